// Analytics responses: the spec's dashboard (plus rates and expired holds) and per-event figures.
#pragma once

#include <string>

#include "domain/analytics/analytics_service.hpp"

namespace evently::wire {

std::string EncodeDashboard(const domain::Dashboard& dashboard);
std::string EncodeEventAnalytics(const domain::EventAnalytics& analytics);

}  // namespace evently::wire
