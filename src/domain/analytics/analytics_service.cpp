#include "domain/analytics/analytics_service.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "domain/ids.hpp"

namespace evently::domain {
namespace {

double Percent(std::int64_t part, std::int64_t whole) {
  return whole <= 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

Result<DayRange> AnalyticsService::ResolveRange(const std::optional<std::string>& start_date,
                                                const std::optional<std::string>& end_date) const {
  std::vector<FieldIssue> issues;
  TimePoint end = StartOfDay(clock_.Now());
  if (end_date) {
    auto parsed = ParseDate(*end_date);
    if (parsed) {
      end = *parsed;
    } else {
      issues.push_back({"end_date", "must be a date YYYY-MM-DD"});
    }
  }
  TimePoint start = end - std::chrono::days(29);
  if (start_date) {
    auto parsed = ParseDate(*start_date);
    if (parsed) {
      start = *parsed;
    } else {
      issues.push_back({"start_date", "must be a date YYYY-MM-DD"});
    }
  }
  if (!issues.empty()) return ValidationError(std::move(issues));
  if (end < start) return ValidationError("end_date", "must not be before start_date");
  if (DaysInclusive(start, end) > kMaxAnalyticsDays) {
    return ValidationError("end_date", "the range may span at most 366 days");
  }
  return DayRange{FormatDate(start), FormatDate(end)};
}

RangeFigures AnalyticsService::Figures(const DayRange& range,
                                       const std::optional<std::string>& event_id) {
  RangeFigures f;
  std::map<std::string, ActivityTotals> by_day;
  for (auto& day : store_.Daily(range, event_id)) by_day[day.day] = day.totals;
  TimePoint first = *ParseDate(range.first_day);
  TimePoint last = *ParseDate(range.last_day);
  for (TimePoint d = first; d <= last; d += std::chrono::days(1)) {
    std::string key = FormatDate(d);
    ActivityTotals t = by_day.count(key) ? by_day[key] : ActivityTotals{};
    f.bookings += t.confirmations;
    f.revenue += t.revenue - t.refunds;
    f.holds += t.holds;
    f.cancellations += t.cancellations;
    f.expired_holds += t.expirations;
    f.trends.push_back({key, t});
  }
  f.cancellation_rate = Percent(f.cancellations, f.bookings);
  f.conversion_rate = Percent(f.bookings, f.holds);
  return f;
}

Dashboard AnalyticsService::GetDashboard(const DayRange& range) {
  Dashboard d;
  d.range = range;
  d.figures = Figures(range, std::nullopt);
  std::vector<EventActivity> events = store_.Events(range);
  d.total_events = static_cast<std::int64_t>(events.size());
  double utilization_sum = 0;
  for (const auto& e : events) {
    double utilization = Percent(e.sold, e.capacity);
    utilization_sum += utilization;
    d.top_events.push_back({e.event_id, e.name, e.totals.confirmations,
                            e.totals.revenue - e.totals.refunds, utilization});
  }
  d.average_capacity_utilization = events.empty() ? 0 : utilization_sum / events.size();
  std::sort(d.top_events.begin(), d.top_events.end(), [](const TopEvent& a, const TopEvent& b) {
    return std::tie(b.bookings, b.revenue, a.name) < std::tie(a.bookings, a.revenue, b.name);
  });
  if (d.top_events.size() > 10) d.top_events.resize(10);
  d.revenue_by_category = store_.Tiers(range, std::nullopt);
  return d;
}

Result<EventAnalytics> AnalyticsService::GetEvent(const std::string& event_id,
                                                  const DayRange& range) {
  if (!IsUuid(event_id)) return MakeError(ErrorCode::kEventNotFound);
  std::string id = NormalizeUuid(event_id);
  std::optional<EventState> state = store_.Event(id);
  if (!state) return MakeError(ErrorCode::kEventNotFound);
  EventAnalytics a;
  a.range = range;
  a.figures = Figures(range, id);
  std::map<std::string, TierActivity> activity;
  for (auto& t : store_.Tiers(range, id)) activity[t.tier] = t;
  std::int64_t seats = 0, sold = 0, available = 0;
  for (const auto& tier : state->tiers) {
    seats += tier.seats;
    sold += tier.sold;
    available += tier.available;
    TierActivity act = activity.count(tier.tier) ? activity[tier.tier] : TierActivity{tier.tier};
    a.tiers.push_back({tier, act});
  }
  a.seats_held = seats - sold - available;
  a.utilization = Percent(sold, state->capacity);
  a.state = std::move(*state);
  return a;
}

}  // namespace evently::domain
