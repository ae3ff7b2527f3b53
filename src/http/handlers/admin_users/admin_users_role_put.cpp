#include "http/handlers/admin_users/admin_users_handlers.hpp"
#include "wire/identity_json.hpp"

namespace evently::http::handlers {

// Takes effect in the user's next access token (at the latest on their next refresh).
Handler AdminUsersRolePut(domain::AccountService& accounts) {
  return [&accounts](Request& req) {
    auto role = wire::DecodeRoleChange(req.body);
    if (!role) return Failure(req, role.error());
    auto user = accounts.ChangeRole(req.Param("user_id"), *role);
    if (!user) return Failure(req, user.error());
    return Success(req, 200, wire::EncodeUser(*user), "Role updated");
  };
}

}  // namespace evently::http::handlers
