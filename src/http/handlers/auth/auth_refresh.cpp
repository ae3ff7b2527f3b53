#include "http/handlers/auth/auth_handlers.hpp"
#include "wire/identity_json.hpp"

namespace evently::http::handlers {

Handler AuthRefresh(domain::AuthService& auth) {
  return [&auth](Request& req) {
    auto refresh_token = wire::DecodeRefreshToken(req.body);
    if (!refresh_token) return Failure(req, refresh_token.error());
    auto tokens = auth.Refresh(*refresh_token);
    if (!tokens) return Failure(req, tokens.error());
    return TokenSuccess(req, 200, wire::EncodeTokens(*tokens), "Token refreshed");
  };
}

}  // namespace evently::http::handlers
