#include "storage/activity_rollup.hpp"

#include <map>

namespace evently::storage {
namespace {

constexpr Statement kUpsertDay{
    "rollup_day",
    "INSERT INTO daily_event_stats (day, event_id, holds, confirmations, cancellations, abandoned, "
    "expirations, revenue, refunds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
    "ON CONFLICT (day, event_id) DO UPDATE SET holds = daily_event_stats.holds + $3, "
    "confirmations = daily_event_stats.confirmations + $4, "
    "cancellations = daily_event_stats.cancellations + $5, "
    "abandoned = daily_event_stats.abandoned + $6, "
    "expirations = daily_event_stats.expirations + $7, "
    "revenue = daily_event_stats.revenue + $8, refunds = daily_event_stats.refunds + $9"};
constexpr Statement kUpsertTier{
    "rollup_tier",
    "INSERT INTO daily_tier_stats (day, event_id, tier, seats_sold, seats_refunded, revenue, "
    "refunds) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (day, event_id, tier) DO UPDATE "
    "SET seats_sold = daily_tier_stats.seats_sold + $4, "
    "seats_refunded = daily_tier_stats.seats_refunded + $5, "
    "revenue = daily_tier_stats.revenue + $6, refunds = daily_tier_stats.refunds + $7"};
constexpr Statement kSectionSold{
    "section_sold", "UPDATE event_sections SET sold = sold + $3 WHERE event_id = $1 AND name = $2"};

}  // namespace

void RecordActivity(Connection& conn, domain::TimePoint when, const std::string& event_id,
                    const ActivityDelta& d) {
  conn.Exec(kUpsertDay, {domain::FormatDate(when), event_id, d.holds, d.confirmations,
                         d.cancellations, d.abandoned, d.expirations, d.revenue, d.refunds});
}

void RecordSale(Connection& conn, domain::TimePoint when, const domain::Booking& booking,
                int direction) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> tiers;  // seats, amount
  for (const auto& seat : booking.seats) {
    ++tiers[seat.section].first;
    tiers[seat.section].second += seat.price;
  }
  std::string day = domain::FormatDate(when);
  for (const auto& [tier, totals] : tiers) {
    const auto& [seats, amount] = totals;
    bool sale = direction > 0;
    conn.Exec(kUpsertTier, {day, booking.event.id, tier, sale ? seats : 0, sale ? 0 : seats,
                            sale ? amount : 0, sale ? 0 : amount});
    conn.Exec(kSectionSold, {booking.event.id, tier, sale ? seats : -seats});
  }
}

}  // namespace evently::storage
