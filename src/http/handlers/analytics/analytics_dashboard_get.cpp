#include "http/handlers/analytics/analytics_handlers.hpp"
#include "wire/analytics_json.hpp"

namespace evently::http::handlers {
namespace {

std::optional<std::string> QueryText(const Request& req, std::string_view name) {
  auto value = req.Query(name);
  return value ? std::optional<std::string>(std::string(*value)) : std::nullopt;
}

}  // namespace

Handler AnalyticsDashboardGet(domain::AnalyticsService& analytics) {
  return [&analytics](Request& req) {
    auto range = analytics.ResolveRange(QueryText(req, "start_date"), QueryText(req, "end_date"));
    if (!range.ok()) return Failure(req, range.error());
    return Success(req, 200, wire::EncodeDashboard(analytics.GetDashboard(*range)));
  };
}

Handler AnalyticsEventGet(domain::AnalyticsService& analytics) {
  return [&analytics](Request& req) {
    auto range = analytics.ResolveRange(QueryText(req, "start_date"), QueryText(req, "end_date"));
    if (!range.ok()) return Failure(req, range.error());
    auto result = analytics.GetEvent(std::string(req.Param("event_id")), *range);
    if (!result.ok()) return Failure(req, result.error());
    return Success(req, 200, wire::EncodeEventAnalytics(*result));
  };
}

}  // namespace evently::http::handlers
