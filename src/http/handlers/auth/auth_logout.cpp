#include "http/handlers/auth/auth_handlers.hpp"
#include "wire/identity_json.hpp"

namespace evently::http::handlers {

// Ends the refresh token's session; a second logout with the same token answers the same.
Handler AuthLogout(domain::AuthService& auth) {
  return [&auth](Request& req) {
    auto refresh_token = wire::DecodeRefreshToken(req.body);
    if (!refresh_token) return Failure(req, refresh_token.error());
    if (auto done = auth.Logout(*refresh_token); !done) return Failure(req, done.error());
    return Success(req, 200, "{}", "Logged out");
  };
}

}  // namespace evently::http::handlers
