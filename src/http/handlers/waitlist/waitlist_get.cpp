#include "http/handlers/waitlist/waitlist_handlers.hpp"
#include "wire/waitlist_json.hpp"

namespace evently::http::handlers {

Handler WaitlistGet(domain::WaitlistService& waitlist) {
  return [&waitlist](Request& req) {
    auto entry = waitlist.Get(req.User(), std::string(req.Param("waitlist_id")));
    if (!entry.ok()) return Failure(req, entry.error());
    return Success(req, 200, wire::EncodeWaitlistEntry(*entry));
  };
}

}  // namespace evently::http::handlers
