// Who is calling: the verified subject of an access token.
#pragma once

#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/time.hpp"

namespace evently::domain {

enum class Role { kUser, kAdmin };

inline std::string_view RoleName(Role role) { return role == Role::kAdmin ? "admin" : "user"; }

struct Principal {
  std::string user_id;
  Role role = Role::kUser;
  bool is_admin() const { return role == Role::kAdmin; }
};

// Verifies bearer access tokens (JWT in production; the identity issue supplies it).
class AccessTokenVerifier {
 public:
  virtual ~AccessTokenVerifier() = default;
  virtual Result<Principal> Verify(std::string_view token, TimePoint now) const = 0;
};

}  // namespace evently::domain
