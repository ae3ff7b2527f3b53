#include "domain/identity/account_service.hpp"

#include "domain/identity/account_rules.hpp"
#include "domain/ids.hpp"

namespace evently::domain {

Result<User> AccountService::Create(NewAccount account, Role role) {
  if (Status valid = ValidateNewAccount(account); !valid) return std::move(valid).error();
  TimePoint now = clock_.Now();
  User user{NewUuidV7(now),
            std::move(account.email),
            hasher_.Hash(account.password),
            std::move(account.full_name),
            std::move(account.phone),
            role,
            now,
            now};
  if (Status stored = users_.Insert(user); !stored) return std::move(stored).error();
  return user;
}

Result<bool> AccountService::CreateIfAbsent(NewAccount account, Role role) {
  if (users_.FindByEmail(NormalizeEmail(account.email))) return false;
  Result<User> created = Create(std::move(account), role);
  if (created.ok()) return true;
  // Another process created it between the lookup and the insert: still "already there".
  if (created.error().code == ErrorCode::kEmailAlreadyRegistered) return false;
  return std::move(created).error();
}

Result<AdminGrantOutcome> AccountService::CreateOrPromoteAdmin(NewAccount account) {
  std::string email = NormalizeEmail(account.email);
  if (auto issue = EmailIssue(email)) return ValidationError("email", *issue);
  if (std::optional<User> existing = users_.FindByEmail(email)) {
    if (existing->role == Role::kAdmin)
      return AdminGrantOutcome{*existing, AdminGrant::kAlreadyAdmin};
    Result<User> promoted = users_.SetRole(existing->id, Role::kAdmin, clock_.Now());
    if (!promoted) return std::move(promoted).error();
    return AdminGrantOutcome{std::move(promoted).value(), AdminGrant::kPromoted};
  }
  std::vector<FieldIssue> missing;
  if (account.password.empty()) missing.push_back({"password", "is required to create an account"});
  if (TrimWhitespace(account.full_name).empty()) {
    missing.push_back({"full_name", "is required to create an account"});
  }
  if (!missing.empty()) return ValidationError(std::move(missing));
  Result<User> created = Create(std::move(account), Role::kAdmin);
  if (!created) return std::move(created).error();
  return AdminGrantOutcome{std::move(created).value(), AdminGrant::kCreated};
}

Result<UserProfile> AccountService::Profile(std::string_view user_id) {
  std::optional<UserProfile> profile =
      IsUuid(user_id) ? users_.FindProfile(user_id, clock_.Now()) : std::nullopt;
  if (!profile) return MakeError(ErrorCode::kUserNotFound);
  return std::move(*profile);
}

Result<UserProfile> AccountService::UpdateProfile(std::string_view user_id, ProfileChange change) {
  if (Status valid = ValidateProfileChange(change); !valid) return std::move(valid).error();
  if (!IsUuid(user_id)) return MakeError(ErrorCode::kUserNotFound);
  TimePoint now = clock_.Now();
  Result<User> updated = users_.UpdateProfile(user_id, change, now);
  if (!updated) return std::move(updated).error();
  UserStats stats = users_.Stats(updated->id, now);
  return UserProfile{std::move(updated).value(), stats};
}

Result<Page<User>> AccountService::List(std::string_view search, const PageRequest& page) {
  std::string needle = NormalizeEmail(search);
  if (needle.size() > kEmailMaxChars)
    return ValidationError("search", "must be at most 254 characters");
  return users_.List(needle, page);
}

Result<User> AccountService::ChangeRole(std::string_view user_id, std::string_view role_name) {
  if (!IsUuid(user_id)) return MakeError(ErrorCode::kUserNotFound);
  std::optional<Role> role = ParseRole(role_name);
  if (!role) return ValidationError("role", "must be user or admin");
  return users_.SetRole(NormalizeUuid(user_id), *role, clock_.Now());
}

}  // namespace evently::domain
