#include "http/handlers/auth/auth_handlers.hpp"
#include "wire/identity_json.hpp"

namespace evently::http::handlers {

Handler AuthLogin(domain::AuthService& auth) {
  return [&auth](Request& req) {
    auto credentials = wire::DecodeCredentials(req.body);
    if (!credentials) return Failure(req, credentials.error());
    auto tokens = auth.Login(credentials->email, credentials->password);
    if (!tokens) return Failure(req, tokens.error());
    return TokenSuccess(req, 200, wire::EncodeTokens(*tokens), "Login successful");
  };
}

}  // namespace evently::http::handlers
