// /api/v1/auth/*: register, login, refresh, logout.
#pragma once

#include "domain/identity/auth_service.hpp"
#include "http/router.hpp"

namespace evently::http::handlers {

Handler AuthRegister(domain::AuthService& auth);
Handler AuthLogin(domain::AuthService& auth);
Handler AuthRefresh(domain::AuthService& auth);
Handler AuthLogout(domain::AuthService& auth);

// Token answers must not be cached by anything between the server and the client (RFC 6749).
Response TokenSuccess(const Request& req, int status, std::string_view data_json,
                      std::string_view message);

}  // namespace evently::http::handlers
