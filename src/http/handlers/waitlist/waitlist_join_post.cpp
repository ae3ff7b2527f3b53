#include "http/handlers/waitlist/waitlist_handlers.hpp"
#include "wire/waitlist_json.hpp"

namespace evently::http::handlers {

// 201 with a new entry; 200 with the caller's existing active entry for the event.
Handler WaitlistJoinPost(domain::WaitlistService& waitlist) {
  return [&waitlist](Request& req) {
    auto body = wire::DecodeJoin(req.body);
    if (!body.ok()) return Failure(req, body.error());
    auto joined = waitlist.Join(req.User(), body->event_id, body->preferences);
    if (!joined.ok()) return Failure(req, joined.error());
    std::string data = wire::EncodeWaitlistEntry(joined->entry);
    if (!joined->created) return Success(req, 200, std::move(data), "Already on the waitlist");
    Response res = Success(req, 201, std::move(data), "Joined the waitlist");
    res.SetHeader("Location", "/api/v1/waitlist/" + joined->entry.id);
    return res;
  };
}

}  // namespace evently::http::handlers
