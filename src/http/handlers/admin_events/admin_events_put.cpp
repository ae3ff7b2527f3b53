// PUT /api/v1/admin/events/{event_id}
#include "http/handlers/admin_events/admin_events_handlers.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {

Handler AdminEventsPut(domain::CatalogService& catalog) {
  return [&catalog](Request& req) {
    auto changes = wire::DecodeEventChanges(req.body);
    if (!changes) return Failure(req, changes.error());
    auto event = catalog.UpdateEvent(req.Param("event_id"), *changes);
    if (!event) return Failure(req, event.error());
    return Success(req, 200, wire::EventDetailsJson(*event, req.now), "Event updated");
  };
}

}  // namespace evently::http::handlers
