#include "storage/analytics_store.hpp"

namespace evently::storage {
namespace {

#define EVENTLY_SUMS                                                                       \
  "SUM(holds), SUM(confirmations), SUM(cancellations), SUM(abandoned), SUM(expirations), " \
  "SUM(revenue), SUM(refunds)"

constexpr Statement kDaily{"analytics_daily",
                           "SELECT day, " EVENTLY_SUMS
                           " FROM daily_event_stats WHERE day >= $1 AND day <= $2 "
                           "GROUP BY day ORDER BY day"};
constexpr Statement kDailyForEvent{"analytics_daily_event",
                                   "SELECT day, " EVENTLY_SUMS
                                   " FROM daily_event_stats WHERE day >= $1 AND day <= $2 "
                                   "AND event_id = $3 GROUP BY day ORDER BY day"};
constexpr Statement kEvents{
    "analytics_events",
    "SELECT s.event_id, e.name, e.capacity, "
    "(SELECT COALESCE(SUM(sold), 0) FROM event_sections x WHERE x.event_id = s.event_id), "
    "s.holds, s.confirmations, s.cancellations, s.abandoned, s.expirations, s.revenue, s.refunds "
    "FROM (SELECT event_id, SUM(holds) AS holds, SUM(confirmations) AS confirmations, "
    "SUM(cancellations) AS cancellations, SUM(abandoned) AS abandoned, "
    "SUM(expirations) AS expirations, SUM(revenue) AS revenue, SUM(refunds) AS refunds "
    "FROM daily_event_stats WHERE day >= $1 AND day <= $2 GROUP BY event_id) s "
    "JOIN events e ON e.id = s.event_id"};
constexpr Statement kTiers{
    "analytics_tiers",
    "SELECT tier, SUM(seats_sold), SUM(seats_refunded), SUM(revenue), SUM(refunds) "
    "FROM daily_tier_stats WHERE day >= $1 AND day <= $2 GROUP BY tier ORDER BY tier"};
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

std::vector<domain::EventActivity> AnalyticsStore::Events(const domain::DayRange& range) {
  std::vector<domain::EventActivity> out;
  db_.Read([&](Connection& conn) {
    out.clear();
    Rows rows = conn.Exec(kEvents, {range.first_day, range.last_day});
    for (std::size_t r = 0; r < rows.size(); ++r) {
      out.push_back({rows.Text(r, 0), rows.Text(r, 1), rows.Int(r, 2), rows.Int(r, 3),
                     TotalsFrom(rows, r, 4)});
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
