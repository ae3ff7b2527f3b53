#include "storage/analytics_store.hpp"

#include <algorithm>
#include <chrono>
#include <map>

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
#define EVENTLY_EVENT_COLUMNS                                                       \
  "SELECT e.id, e.name, e.capacity, "                                               \
  "(SELECT COALESCE(SUM(sold), 0) FROM event_sections x WHERE x.event_id = e.id), " \
  "s.holds, s.confirmations, s.cancellations, s.abandoned, s.expirations, s.revenue, s.refunds "
constexpr Statement kEventTotals{"analytics_event_totals", EVENTLY_EVENT_COLUMNS
                                 "FROM event_stats s JOIN events e ON e.id = s.event_id"};
constexpr Statement kEventsWithin{
    "analytics_events", EVENTLY_EVENT_COLUMNS
    "FROM (SELECT event_id, SUM(holds) AS holds, SUM(confirmations) AS confirmations, "
    "SUM(cancellations) AS cancellations, SUM(abandoned) AS abandoned, "
    "SUM(expirations) AS expirations, SUM(revenue) AS revenue, SUM(refunds) AS refunds "
    "FROM daily_event_stats WHERE day >= $1 AND day <= $2 GROUP BY event_id) s "
    "JOIN events e ON e.id = s.event_id"};
#undef EVENTLY_EVENT_COLUMNS
// Two range scans of the day index (an OR of the two would scan every row).
constexpr Statement kEventsOutside{
    "analytics_events_outside",
    "SELECT event_id, " EVENTLY_SUMS
    " FROM (SELECT * FROM daily_event_stats WHERE day < $1 "
    "UNION ALL SELECT * FROM daily_event_stats WHERE day > $2) outside GROUP BY event_id"};
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

domain::ActivityTotals Minus(const domain::ActivityTotals& a, const domain::ActivityTotals& b) {
  return {a.holds - b.holds,
          a.confirmations - b.confirmations,
          a.cancellations - b.cancellations,
          a.abandoned - b.abandoned,
          a.expirations - b.expirations,
          a.revenue - b.revenue,
          a.refunds - b.refunds};
}

// Days from first to last, both "YYYY-MM-DD", inclusive (0 when last is before first).
std::int64_t DaysBetween(const std::string& first, const std::string& last) {
  auto from = domain::ParseDate(first), to = domain::ParseDate(last);
  if (!from || !to || *to < *from) return 0;
  return std::chrono::duration_cast<std::chrono::days>(*to - *from).count() + 1;
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
// minus its rows outside the range, so read whichever side of the range holds fewer days.
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
    std::map<std::string, domain::ActivityTotals> excluded;
    if (outside > 0 && outside < inside) {
      Rows rows = conn.Exec(kEventsOutside, {range.first_day, range.last_day});
      for (std::size_t r = 0; r < rows.size(); ++r)
        excluded[rows.Text(r, 0)] = TotalsFrom(rows, r, 1);
    }
    bool within = outside >= inside;
    Rows rows = within ? conn.Exec(kEventsWithin, {range.first_day, range.last_day})
                       : conn.Exec(kEventTotals);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      domain::EventActivity event{rows.Text(r, 0), rows.Text(r, 1), rows.Int(r, 2), rows.Int(r, 3),
                                  TotalsFrom(rows, r, 4)};
      if (auto it = excluded.find(event.event_id); it != excluded.end()) {
        event.totals = Minus(event.totals, it->second);
      }
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
