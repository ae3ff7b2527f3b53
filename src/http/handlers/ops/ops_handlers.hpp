// Operations endpoints: liveness, readiness, metrics, API root.
#pragma once

#include "domain/ports/health.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace evently::http::handlers {

Handler HealthGet();
Handler ReadyGet(domain::HealthPort& health);
Handler MetricsGet(const Metrics& metrics);
Handler ApiRootGet();

}  // namespace evently::http::handlers
