// GET /api/v1/events/{event_id}/queue — the caller's ticket: one read by key, and the position
// from this node's snapshot of the waiting order (a binary search, no count per poll).
#include "http/handlers/queue/queue_handlers.hpp"
#include "wire/queue_json.hpp"

namespace evently::http::handlers {

Handler QueueGet(domain::QueueService& queue) {
  return [&queue](Request& req) {
    auto ticket = queue.Mine(req.User(), std::string(req.Param("event_id")));
    if (!ticket.ok()) return Failure(req, ticket.error());
    return Success(req, 200, wire::EncodeQueueTicket(*ticket));
  };
}

}  // namespace evently::http::handlers
