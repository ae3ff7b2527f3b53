#include "http/routes.hpp"

#include "http/handlers/admin_events/admin_events_handlers.hpp"
#include "http/handlers/events/events_handlers.hpp"
#include "http/handlers/ops/ops_handlers.hpp"
#include "http/handlers/venues/venues_handlers.hpp"

namespace evently::http {

void AddRoutes(Router& router, const Services& s) {
  namespace h = handlers;
  // method, pattern, handler, access, rate class, idempotent, inline on the I/O thread
  router.Add({"GET", "/health", h::HealthGet(), Access::kPublic, RateClass::kNone, false, true});
  router.Add({"GET", "/ready", h::ReadyGet(s.health), Access::kPublic, RateClass::kNone});
  router.Add({"GET", "/metrics", h::MetricsGet(s.metrics), Access::kPublic, RateClass::kNone,
              false, true});
  router.Add({"GET", "/api/v1", h::ApiRootGet(), Access::kPublic, RateClass::kPublic, false, true});

  // Catalogue
  router.Add({"GET", "/api/v1/venues", h::VenuesList(s.catalog)});
  router.Add({"GET", "/api/v1/venues/{venue_id}", h::VenuesGet(s.catalog)});
  router.Add({"POST", "/api/v1/admin/venues", h::VenuesPost(s.catalog), Access::kAdmin,
              RateClass::kAdmin});
  router.Add({"PUT", "/api/v1/admin/venues/{venue_id}", h::VenuesPut(s.catalog), Access::kAdmin,
              RateClass::kAdmin});
  router.Add({"GET", "/api/v1/events", h::EventsList(s.catalog, s.browse)});
  router.Add({"GET", "/api/v1/events/{event_id}", h::EventsGet(s.catalog, s.browse)});
  router.Add({"GET", "/api/v1/events/{event_id}/seats", h::EventSeatsGet(s.catalog, s.seat_maps)});
  router.Add({"POST", "/api/v1/admin/events", h::AdminEventsPost(s.catalog), Access::kAdmin,
              RateClass::kAdmin});
  router.Add({"PUT", "/api/v1/admin/events/{event_id}", h::AdminEventsPut(s.catalog),
              Access::kAdmin, RateClass::kAdmin});
  router.Add({"POST", "/api/v1/admin/events/{event_id}/cancel", h::AdminEventsCancelPost(s.catalog),
              Access::kAdmin, RateClass::kAdmin});
}

}  // namespace evently::http
