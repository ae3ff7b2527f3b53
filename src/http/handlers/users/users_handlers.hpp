// /api/v1/users/profile: the caller's own account.
#pragma once

#include "domain/identity/account_service.hpp"
#include "http/router.hpp"

namespace evently::http::handlers {

Handler UsersProfileGet(domain::AccountService& accounts);
Handler UsersProfilePut(domain::AccountService& accounts);

}  // namespace evently::http::handlers
