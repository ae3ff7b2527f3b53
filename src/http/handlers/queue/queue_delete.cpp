// DELETE /api/v1/events/{event_id}/queue — leaves the waiting room (the ticket turns `left`).
#include "http/handlers/queue/queue_handlers.hpp"
#include "wire/queue_json.hpp"

namespace evently::http::handlers {

Handler QueueDelete(domain::QueueService& queue) {
  return [&queue](Request& req) {
    auto ticket = queue.Leave(req.User(), std::string(req.Param("event_id")));
    if (!ticket.ok()) return Failure(req, ticket.error());
    return Success(req, 200, wire::EncodeQueueTicket(*ticket), "Left the waiting room");
  };
}

}  // namespace evently::http::handlers
