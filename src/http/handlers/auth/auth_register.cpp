#include "http/handlers/auth/auth_handlers.hpp"
#include "wire/identity_json.hpp"

namespace evently::http::handlers {

Response TokenSuccess(const Request& req, int status, std::string_view data_json,
                      std::string_view message) {
  Response res = Success(req, status, data_json, message);
  res.SetHeader("Cache-Control", "no-store");
  return res;
}

Handler AuthRegister(domain::AuthService& auth) {
  return [&auth](Request& req) {
    auto account = wire::DecodeNewAccount(req.body);
    if (!account) return Failure(req, account.error());
    auto registration = auth.Register(std::move(account).value());
    if (!registration) return Failure(req, registration.error());
    return TokenSuccess(req, 201, wire::EncodeRegistration(*registration),
                        "Registration successful");
  };
}

}  // namespace evently::http::handlers
