// GET /api/v1/admin/events/{event_id}/queue — the box office's view of a waiting room: tickets by
// status and admissions in the last minute, with the settings.
#include "domain/ids.hpp"
#include "http/handlers/queue/queue_handlers.hpp"
#include "wire/queue_json.hpp"

namespace evently::http::handlers {

Handler AdminQueueGet(domain::QueueService& queue, domain::CatalogService& catalog) {
  return [&queue, &catalog](Request& req) {
    auto event = catalog.GetEvent(req.Param("event_id"));
    if (!event.ok()) return Failure(req, event.error());
    auto summary = queue.Summary(event->event.id, event->event.queue);
    if (!summary.ok()) return Failure(req, summary.error());
    return Success(req, 200, wire::EncodeQueueSummary(*summary));
  };
}

}  // namespace evently::http::handlers
