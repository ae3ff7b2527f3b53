// /api/v1/admin/users: the user list and role changes (admins only).
#pragma once

#include "domain/identity/account_service.hpp"
#include "http/router.hpp"

namespace evently::http::handlers {

Handler AdminUsersGet(domain::AccountService& accounts);
Handler AdminUsersRolePut(domain::AccountService& accounts);

}  // namespace evently::http::handlers
