#include "http/handlers/users/users_handlers.hpp"
#include "wire/identity_json.hpp"

namespace evently::http::handlers {

Handler UsersProfileGet(domain::AccountService& accounts) {
  return [&accounts](Request& req) {
    auto profile = accounts.Profile(req.User().user_id);
    if (!profile) return Failure(req, profile.error());
    return Success(req, 200, wire::EncodeProfile(*profile));
  };
}

}  // namespace evently::http::handlers
