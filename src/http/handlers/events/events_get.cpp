// GET /api/v1/events/{event_id}
#include "http/handlers/events/events_handlers.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {

Handler EventsGet(domain::CatalogService& catalog) {
  return [&catalog](Request& req) {
    auto details = catalog.GetEvent(req.Param("event_id"));
    if (!details) return Failure(req, details.error());
    return Success(req, 200, wire::EventDetailsJson(*details, req.now));
  };
}

}  // namespace evently::http::handlers
