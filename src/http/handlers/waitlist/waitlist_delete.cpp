#include "http/handlers/waitlist/waitlist_handlers.hpp"
#include "wire/waitlist_json.hpp"

namespace evently::http::handlers {

// 200 with the entry as it is now ("left"; an entry already done is returned unchanged).
Handler WaitlistDelete(domain::WaitlistService& waitlist) {
  return [&waitlist](Request& req) {
    auto left = waitlist.Leave(req.User(), std::string(req.Param("waitlist_id")));
    if (!left.ok()) return Failure(req, left.error());
    return Success(req, 200, wire::EncodeWaitlistEntry(*left), "Left the waitlist");
  };
}

}  // namespace evently::http::handlers
