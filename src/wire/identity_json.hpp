// Bodies of the auth, profile and admin-user endpoints: strict decoding and encoding.
#pragma once

#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/identity/auth_service.hpp"
#include "domain/identity/user.hpp"

namespace evently::wire {

struct Credentials {
  std::string email;
  std::string password;
};

// Shape only (presence, types, unknown fields); the domain judges the values.
domain::Result<domain::NewAccount> DecodeNewAccount(std::string_view body);
domain::Result<Credentials> DecodeCredentials(std::string_view body);
domain::Result<std::string> DecodeRefreshToken(std::string_view body);
domain::Result<domain::ProfileChange> DecodeProfileChange(std::string_view body);
domain::Result<std::string> DecodeRoleChange(std::string_view body);

std::string EncodeTokens(const domain::AuthTokens& tokens);
std::string EncodeRegistration(const domain::Registration& registration);
std::string EncodeProfile(const domain::UserProfile& profile);
// A user as admins see it (no credentials, phone included).
std::string EncodeUser(const domain::User& user);
std::string EncodeUsers(const std::vector<domain::User>& users);

}  // namespace evently::wire
