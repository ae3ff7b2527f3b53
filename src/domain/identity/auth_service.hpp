// Sessions: registration, login, refresh-token rotation with reuse detection, logout.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/identity/account_service.hpp"
#include "domain/identity/user.hpp"
#include "domain/ports/credentials.hpp"
#include "domain/ports/users.hpp"
#include "domain/time.hpp"

namespace evently::domain {

struct AuthTokens {
  std::string access_token;
  std::string refresh_token;  // opaque; only its digest is stored
  std::chrono::seconds expires_in;
};

struct Registration {
  User user;
  AuthTokens tokens;
};

struct AuthPolicy {
  std::chrono::seconds refresh_ttl = std::chrono::hours(24 * 14);
};

class AuthService {
 public:
  struct Ports {
    AccountService& accounts;
    UsersPort& users;
    RefreshTokensPort& refresh_tokens;
    const PasswordHasher& hasher;
    const TokenDigest& digest;
    const AccessTokenIssuer& issuer;
    const Clock& clock;
  };
  explicit AuthService(Ports ports, AuthPolicy policy = {});

  // Always role `user`; admins come from the command line or another admin.
  Result<Registration> Register(NewAccount account);
  // Unknown email and wrong password cost the same and fail the same way.
  Result<AuthTokens> Login(std::string_view email, std::string_view password);
  // Rotates: the presented token is spent and a new one of its family returned. Presenting a
  // spent token again means it leaked: the whole family is revoked.
  Result<AuthTokens> Refresh(std::string_view refresh_token);
  // Ends the token's session (its family); idempotent for any token this server issued.
  Status Logout(std::string_view refresh_token);

 private:
  AuthTokens StartSession(const User& user, std::string family_id, TimePoint now);
  RefreshTokenRecord NewRefreshToken(std::string& secret, TimePoint now) const;

  Ports ports_;
  AuthPolicy policy_;
  std::string dummy_hash_;  // verified against when the email is unknown
};

// 32 random bytes as 64 lower-case hex characters: the only shape a refresh token has.
bool LooksLikeRefreshToken(std::string_view token);

}  // namespace evently::domain
