#include "domain/identity/auth_service.hpp"

#include "domain/identity/account_rules.hpp"
#include "domain/ids.hpp"
#include "domain/text.hpp"

namespace evently::domain {
namespace {

Error InvalidRefreshToken(std::string message) {
  return MakeError(ErrorCode::kAuthTokenInvalid, std::move(message));
}

}  // namespace

bool LooksLikeRefreshToken(std::string_view token) {
  if (token.size() != 64) return false;
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

AuthService::AuthService(Ports ports, AuthPolicy policy)
    : ports_(ports), policy_(policy), dummy_hash_(ports.hasher.Hash(RandomHex(16))) {}

RefreshTokenRecord AuthService::NewRefreshToken(std::string& secret, TimePoint now) const {
  secret = RandomHex(32);
  RefreshTokenRecord record;
  record.id = NewUuidV7(now);
  record.token_digest = ports_.digest.Digest(secret);
  record.created_at = now;
  record.expires_at = now + policy_.refresh_ttl;
  return record;
}

AuthTokens AuthService::StartSession(const User& user, std::string family_id, TimePoint now) {
  std::string secret;
  RefreshTokenRecord record = NewRefreshToken(secret, now);
  record.user_id = user.id;
  record.family_id = std::move(family_id);
  ports_.refresh_tokens.Insert(record);
  IssuedAccessToken access = ports_.issuer.Issue(Principal{user.id, user.role}, now);
  return AuthTokens{std::move(access.token), std::move(secret), access.expires_in};
}

Result<Registration> AuthService::Register(NewAccount account) {
  Result<User> user = ports_.accounts.Create(std::move(account), Role::kUser);
  if (!user) return std::move(user).error();
  TimePoint now = ports_.clock.Now();
  AuthTokens tokens = StartSession(*user, NewUuidV7(now), now);
  return Registration{std::move(user).value(), std::move(tokens)};
}

Result<AuthTokens> AuthService::Login(std::string_view email, std::string_view password) {
  std::vector<FieldIssue> issues;
  if (TrimWhitespace(email).empty()) issues.push_back({"email", "must not be empty"});
  if (password.empty()) issues.push_back({"password", "must not be empty"});
  // No stored password is longer, and hashing an attacker's megabytes is not free.
  if (password.size() > kPasswordMaxChars * 4 || Utf8Length(password) > kPasswordMaxChars) {
    issues.push_back({"password", "must be at most 128 characters"});
  }
  if (!issues.empty()) return ValidationError(std::move(issues));
  std::optional<User> user = ports_.users.FindByEmail(NormalizeEmail(email));
  bool verified = ports_.hasher.Verify(user ? user->password_hash : dummy_hash_, password);
  if (!user || !verified) return MakeError(ErrorCode::kAuthInvalidCredentials);
  TimePoint now = ports_.clock.Now();
  return StartSession(*user, NewUuidV7(now), now);
}

Result<AuthTokens> AuthService::Refresh(std::string_view refresh_token) {
  if (!LooksLikeRefreshToken(refresh_token)) return InvalidRefreshToken("Refresh token is invalid");
  TimePoint now = ports_.clock.Now();
  std::string secret;
  RefreshTokenRecord successor = NewRefreshToken(secret, now);
  RotationOutcome outcome =
      ports_.refresh_tokens.Rotate(ports_.digest.Digest(refresh_token), successor, now);
  switch (outcome.state) {
    case RefreshState::kRotated:
      break;
    case RefreshState::kAlreadyUsed:
      ports_.refresh_tokens.RevokeFamily(outcome.family_id, now);
      return InvalidRefreshToken("Refresh token was already used; its session has been revoked");
    case RefreshState::kRevoked:
      return InvalidRefreshToken("Refresh token has been revoked");
    case RefreshState::kExpired:
      return InvalidRefreshToken("Refresh token has expired; log in again");
    case RefreshState::kUnknown:
      return InvalidRefreshToken("Refresh token is invalid");
  }
  std::optional<User> user = ports_.users.FindById(outcome.user_id);
  if (!user) return InvalidRefreshToken("Refresh token is invalid");
  // The role is read again here, so a promotion or demotion shows in the next access token.
  IssuedAccessToken access = ports_.issuer.Issue(Principal{user->id, user->role}, now);
  return AuthTokens{std::move(access.token), std::move(secret), access.expires_in};
}

Status AuthService::Logout(std::string_view refresh_token) {
  if (LooksLikeRefreshToken(refresh_token) &&
      ports_.refresh_tokens.RevokeFamilyOf(ports_.digest.Digest(refresh_token),
                                           ports_.clock.Now())) {
    return Ok();
  }
  return InvalidRefreshToken("Refresh token is invalid");
}

}  // namespace evently::domain
