// GET /api/v1/events/{event_id} — from the browse cache when it holds a fresh answer (then on
// the I/O thread).
#include "http/handlers/events/events_handlers.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {

Handler EventsGet(domain::CatalogService& catalog, BrowseCache& browse) {
  return [&catalog, &browse](Request& req) {
    std::string_view id = req.Param("event_id");
    return BrowseAnswerFor(req, browse, "event\x1f" + std::string(id),
                           [&]() -> domain::Result<BrowseAnswer> {
                             auto details = catalog.GetEvent(id);
                             if (!details) return std::move(details).error();
                             return BrowseAnswer{wire::EventDetailsJson(*details, req.now),
                                                 {},
                                                 domain::NextStatusChange(details->event, req.now)};
                           });
  };
}

}  // namespace evently::http::handlers
