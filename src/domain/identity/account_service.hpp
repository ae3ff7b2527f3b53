// Accounts: creating them (registration, the command line, demo data), profiles, and the
// admin's user list and role changes.
#pragma once

#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/identity/user.hpp"
#include "domain/paging.hpp"
#include "domain/ports/credentials.hpp"
#include "domain/ports/users.hpp"
#include "domain/time.hpp"

namespace evently::domain {

enum class AdminGrant { kCreated, kPromoted, kAlreadyAdmin };

struct AdminGrantOutcome {
  User user;
  AdminGrant grant;
};

class AccountService {
 public:
  AccountService(UsersPort& users, const PasswordHasher& hasher, const Clock& clock)
      : users_(users), hasher_(hasher), clock_(clock) {}

  // Validates (every field's problem at once), hashes the password, stores the user.
  Result<User> Create(NewAccount account, Role role);
  // Demo data: creates the account unless its email is registered; `created` says which.
  Result<bool> CreateIfAbsent(NewAccount account, Role role);
  // `evently admin create`: an unknown email becomes a new admin (password and name needed);
  // a known one is promoted, its password and name left as they are.
  Result<AdminGrantOutcome> CreateOrPromoteAdmin(NewAccount account);

  Result<UserProfile> Profile(std::string_view user_id);
  Result<UserProfile> UpdateProfile(std::string_view user_id, ProfileChange change);
  // `search`: case-insensitive substring of the email.
  Result<Page<User>> List(std::string_view search, const PageRequest& page);
  Result<User> ChangeRole(std::string_view user_id, std::string_view role_name);

 private:
  UsersPort& users_;
  const PasswordHasher& hasher_;
  const Clock& clock_;
};

}  // namespace evently::domain
