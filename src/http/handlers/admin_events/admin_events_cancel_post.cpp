// POST /api/v1/admin/events/{event_id}/cancel — idempotent.
#include "http/handlers/admin_events/admin_events_handlers.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {

Handler AdminEventsCancelPost(domain::CatalogService& catalog) {
  return [&catalog](Request& req) {
    auto event = catalog.CancelEvent(req.Param("event_id"));
    if (!event) return Failure(req, event.error());
    return Success(req, 200, wire::EventDetailsJson(*event, req.now), "Event cancelled");
  };
}

}  // namespace evently::http::handlers
