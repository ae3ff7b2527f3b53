#include "storage/analytics_store.hpp"

#include <algorithm>
#include <chrono>

namespace evently::storage {
namespace {

#define EVENTLY_SUMS                                                                       \
  "SUM(holds), SUM(confirmations), SUM(cancellations), SUM(abandoned), SUM(expirations), " \
  "SUM(revenue), SUM(refunds)"

// The dashboard reads roll-ups whose size does not grow with the number of events: one row per
// (day, shard) and per (day, tier, shard), and one all-time row per event (migration 0007).
constexpr Statement kDaily{"analytics_daily", "SELECT day, " EVENTLY_SUMS
                                              " FROM daily_stats WHERE day >= $1 AND day <= $2 "
                                              "GROUP BY day ORDER BY day"};
constexpr Statement kDailyForEvent{"analytics_daily_event",
                                   "SELECT day, " EVENTLY_SUMS
                                   " FROM daily_event_stats WHERE day >= $1 AND day <= $2 "
                                   "AND event_id = $3 GROUP BY day ORDER BY day"};
// First and last day with any activity (two subqueries: each is one index probe).
constexpr Statement kActivitySpan{
    "analytics_span",
    "SELECT (SELECT MIN(day) FROM daily_stats), (SELECT MAX(day) FROM daily_stats)"};
#define EVENTLY_EVENT_COLUMNS         \
  "SELECT e.id, e.name, e.capacity, " \
  "(SELECT COALESCE(SUM(sold), 0) FROM event_sections x WHERE x.event_id = e.id), "
#define EVENTLY_SUMS_AS                                                \
  "SUM(holds) AS holds, SUM(confirmations) AS confirmations, "         \
  "SUM(cancellations) AS cancellations, SUM(abandoned) AS abandoned, " \
  "SUM(expirations) AS expirations, SUM(revenue) AS revenue, SUM(refunds) AS refunds"
constexpr Statement kEventsWithin{
    "analytics_events", EVENTLY_EVENT_COLUMNS
    "s.holds, s.confirmations, s.cancellations, s.abandoned, s.expirations, s.revenue, s.refunds "
    "FROM (SELECT event_id, " EVENTLY_SUMS_AS
    " FROM daily_event_stats "
    "WHERE day >= $1 AND day <= $2 GROUP BY event_id) s JOIN events e ON e.id = s.event_id"};
// All-time figures minus the rows outside the range, in one statement (one snapshot). The
// outside rows are read by two range scans of the day index: an OR would scan every row.
constexpr Statement kEventsBesides{
    "analytics_events_besides", EVENTLY_EVENT_COLUMNS
    "t.holds - COALESCE(o.holds, 0), t.confirmations - COALESCE(o.confirmations, 0), "
    "t.cancellations - COALESCE(o.cancellations, 0), t.abandoned - COALESCE(o.abandoned, 0), "
    "t.expirations - COALESCE(o.expirations, 0), t.revenue - COALESCE(o.revenue, 0), "
    "t.refunds - COALESCE(o.refunds, 0) "
    "FROM event_stats t JOIN events e ON e.id = t.event_id LEFT JOIN (SELECT "
    "event_id, " EVENTLY_SUMS_AS
    " FROM (SELECT * FROM daily_event_stats WHERE day < $1 UNION ALL "
    "SELECT * FROM daily_event_stats WHERE day > $2) x GROUP BY event_id) o "
    "ON o.event_id = t.event_id"};
#undef EVENTLY_SUMS_AS
#undef EVENTLY_EVENT_COLUMNS
constexpr Statement kTiers{
    "analytics_tiers",
    "SELECT tier, SUM(seats_sold), SUM(seats_refunded), SUM(revenue), SUM(refunds) "
    "FROM daily_category_stats WHERE day >= $1 AND day <= $2 GROUP BY tier ORDER BY tier"};
constexpr Statement kTiersForEvent{
    "analytics_tiers_event",
    "SELECT tier, SUM(seats_sold), SUM(seats_refunded), SUM(revenue), SUM(refunds) "
    "FROM daily_tier_stats WHERE day >= $1 AND day <= $2 AND event_id = $3 "
    "GROUP BY tier ORDER BY tier"};
constexpr Statement kEventState{
    "analytics_event_state",
    "SELECT name, currency, capacity, (SELECT COUNT(*) FROM waitlist_entries w "
    "WHERE w.event_id = events.id AND w.status = 'waiting') FROM events WHERE id = $1"};
constexpr Statement kEventTiers{
    "analytics_event_tiers",
    "SELECT name, price, seat_count, sold, available FROM event_sections WHERE event_id = $1 "
    "ORDER BY position"};

#undef EVENTLY_SUMS

domain::ActivityTotals TotalsFrom(const Rows& rows, std::size_t r, std::size_t first) {
  auto at = [&](std::size_t i) { return rows.OptInt(r, first + i).value_or(0); };
  return {at(0), at(1), at(2), at(3), at(4), at(5), at(6)};
}

// Days from first to last, both "YYYY-MM-DD", inclusive (0 when last is before first).
std::int64_t DaysBetween(const std::string& first, const std::string& last) {
  auto from = domain::ParseDate(first), to = domain::ParseDate(last);
  return from && to ? domain::DaysInclusive(*from, *to) : 0;
}

}  // namespace

std::vector<domain::DayActivity> AnalyticsStore::Daily(const domain::DayRange& range,
                                                       const std::optional<std::string>& event_id) {
  std::vector<domain::DayActivity> out;
  db_.Read([&](Connection& conn) {
    out.clear();
    Rows rows = event_id ? conn.Exec(kDailyForEvent, {range.first_day, range.last_day, *event_id})
                         : conn.Exec(kDaily, {range.first_day, range.last_day});
    for (std::size_t r = 0; r < rows.size(); ++r) {
      out.push_back({rows.Text(r, 0), TotalsFrom(rows, r, 1)});
    }
  });
  return out;
}

// Top events must be exact for any range, yet summing every (day, event) row of a year costs
// as many rows as events times days. An event's range figures are also its all-time figures
// minus its rows outside the range, so read whichever side of the range holds fewer days (the
// span only picks the side: either answer is exact on its own).
std::vector<domain::EventActivity> AnalyticsStore::Events(const domain::DayRange& range) {
  std::vector<domain::EventActivity> out;
  db_.Read([&](Connection& conn) {
    out.clear();
    Rows span = conn.Exec(kActivitySpan);
    if (span.IsNull(0, 0)) return;
    std::int64_t inside = DaysBetween(std::max(range.first_day, span.Text(0, 0)),
                                      std::min(range.last_day, span.Text(0, 1)));
    if (inside <= 0) return;
    std::int64_t outside = DaysBetween(span.Text(0, 0), span.Text(0, 1)) - inside;
    Rows rows = conn.Exec(outside < inside ? kEventsBesides : kEventsWithin,
                          {range.first_day, range.last_day});
    for (std::size_t r = 0; r < rows.size(); ++r) {
      domain::EventActivity event{rows.Text(r, 0), rows.Text(r, 1), rows.Int(r, 2), rows.Int(r, 3),
                                  TotalsFrom(rows, r, 4)};
      // Every recorded change counts at least one of these: none means no activity in range.
      const auto& t = event.totals;
      if (t.holds + t.confirmations + t.cancellations + t.abandoned + t.expirations == 0) continue;
      out.push_back(std::move(event));
    }
  });
  return out;
}

std::vector<domain::TierActivity> AnalyticsStore::Tiers(
    const domain::DayRange& range, const std::optional<std::string>& event_id) {
  std::vector<domain::TierActivity> out;
  db_.Read([&](Connection& conn) {
    out.clear();
    Rows rows = event_id ? conn.Exec(kTiersForEvent, {range.first_day, range.last_day, *event_id})
                         : conn.Exec(kTiers, {range.first_day, range.last_day});
    for (std::size_t r = 0; r < rows.size(); ++r) {
      out.push_back({rows.Text(r, 0), rows.OptInt(r, 1).value_or(0), rows.OptInt(r, 2).value_or(0),
                     rows.OptInt(r, 3).value_or(0), rows.OptInt(r, 4).value_or(0)});
    }
  });
  return out;
}

std::optional<domain::EventState> AnalyticsStore::Event(const std::string& event_id) {
  std::optional<domain::EventState> out;
  db_.Read([&](Connection& conn) {
    out.reset();
    Rows event = conn.Exec(kEventState, {event_id});
    if (event.empty()) return;
    domain::EventState state{event_id, event.Text(0, 0), event.Text(0, 1), event.Int(0, 2),
                             {},       event.Int(0, 3)};
    Rows tiers = conn.Exec(kEventTiers, {event_id});
    for (std::size_t r = 0; r < tiers.size(); ++r) {
      state.tiers.push_back(
          {tiers.Text(r, 0), tiers.Int(r, 1), tiers.Int(r, 2), tiers.Int(r, 3), tiers.Int(r, 4)});
    }
    out = std::move(state);
  });
  return out;
}

}  // namespace evently::storage
