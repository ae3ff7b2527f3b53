#include "http/handlers/users/users_handlers.hpp"
#include "wire/identity_json.hpp"

namespace evently::http::handlers {

// Only full_name and phone; "phone": null removes the phone.
Handler UsersProfilePut(domain::AccountService& accounts) {
  return [&accounts](Request& req) {
    auto change = wire::DecodeProfileChange(req.body);
    if (!change) return Failure(req, change.error());
    auto profile = accounts.UpdateProfile(req.User().user_id, std::move(change).value());
    if (!profile) return Failure(req, profile.error());
    return Success(req, 200, wire::EncodeProfile(*profile), "Profile updated");
  };
}

}  // namespace evently::http::handlers
