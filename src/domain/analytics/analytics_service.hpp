// Admin analytics: the dashboard over a range of UTC days, and one event's figures per tier.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/ports/analytics.hpp"

namespace evently::domain {

inline constexpr int kMaxAnalyticsDays = 366;

struct RangeFigures {
  std::int64_t bookings = 0;  // confirmations
  std::int64_t revenue = 0;   // net of refunds, minor units
  std::int64_t holds = 0;
  std::int64_t cancellations = 0;
  std::int64_t expired_holds = 0;
  double cancellation_rate = 0;     // % of confirmations later cancelled within the range
  double conversion_rate = 0;       // % of holds that were confirmed
  std::vector<DayActivity> trends;  // one per day, zeros included
};

struct TopEvent {
  std::string event_id;
  std::string name;
  std::int64_t bookings = 0;
  std::int64_t revenue = 0;
  double utilization = 0;
};

struct Dashboard {
  DayRange range;
  std::int64_t total_events = 0;
  double average_capacity_utilization = 0;
  RangeFigures figures;
  std::vector<TopEvent> top_events;
  std::vector<TierActivity> revenue_by_category;
};

struct TierFigures {
  TierState state;
  TierActivity activity;
};

struct EventAnalytics {
  DayRange range;
  EventState state;
  std::int64_t seats_held = 0;
  double utilization = 0;
  RangeFigures figures;
  std::vector<TierFigures> tiers;
};

class AnalyticsService {
 public:
  AnalyticsService(AnalyticsStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Days are "YYYY-MM-DD" (UTC, inclusive); empty: the last 30 days up to today.
  Result<DayRange> ResolveRange(const std::optional<std::string>& start_date,
                                const std::optional<std::string>& end_date) const;
  Dashboard GetDashboard(const DayRange& range);
  Result<EventAnalytics> GetEvent(const std::string& event_id, const DayRange& range);

 private:
  RangeFigures Figures(const DayRange& range, const std::optional<std::string>& event_id);
  AnalyticsStore& store_;
  const Clock& clock_;
};

}  // namespace evently::domain
