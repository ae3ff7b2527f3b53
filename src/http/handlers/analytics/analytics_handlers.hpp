// Admin analytics endpoints.
#pragma once

#include "domain/analytics/analytics_service.hpp"
#include "http/router.hpp"

namespace evently::http::handlers {

Handler AnalyticsDashboardGet(domain::AnalyticsService& analytics);
Handler AnalyticsEventGet(domain::AnalyticsService& analytics);

}  // namespace evently::http::handlers
