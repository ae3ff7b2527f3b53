#include "http/routes.hpp"

#include "http/handlers/ops/ops_handlers.hpp"

namespace evently::http {

void AddRoutes(Router& router, const Services& s) {
  namespace h = handlers;
  // method, pattern, handler, access, rate class, idempotent, inline on the I/O thread
  router.Add({"GET", "/health", h::HealthGet(), Access::kPublic, RateClass::kNone, false, true});
  router.Add({"GET", "/ready", h::ReadyGet(s.health), Access::kPublic, RateClass::kNone});
  router.Add({"GET", "/metrics", h::MetricsGet(s.metrics), Access::kPublic, RateClass::kNone,
              false, true});
  router.Add({"GET", "/api/v1", h::ApiRootGet(), Access::kPublic, RateClass::kPublic, false, true});
}

}  // namespace evently::http
