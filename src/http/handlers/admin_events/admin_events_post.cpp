// POST /api/v1/admin/events
#include "http/handlers/admin_events/admin_events_handlers.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {

Handler AdminEventsPost(domain::CatalogService& catalog) {
  return [&catalog](Request& req) {
    auto draft = wire::DecodeNewEvent(req.body);
    if (!draft) return Failure(req, draft.error());
    auto event = catalog.CreateEvent(*draft);
    if (!event) return Failure(req, event.error());
    Response res = Success(req, 201, wire::EventDetailsJson(*event, req.now), "Event created");
    res.SetHeader("Location", "/api/v1/events/" + event->event.id);
    return res;
  };
}

}  // namespace evently::http::handlers
