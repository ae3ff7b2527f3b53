#include "storage/activity_rollup.hpp"

#include <map>

#include "domain/ids.hpp"

namespace evently::storage {
namespace {

// Each roll-up is an upsert that adds the new row's figures; PostgreSQL runs the upserts of one
// change as one statement, SQLite (in process) as several. Nobody reads their answers, so they
// are deferred: sent with the transaction's next round trip.
// clang-format off
#define EVENTLY_COUNTS \
  "holds, confirmations, cancellations, abandoned, expirations, revenue, refunds"
#define EVENTLY_ADD(table, column) #column " = " table "." #column " + excluded." #column
#define EVENTLY_ADD_COUNTS(table)                                          \
  EVENTLY_ADD(table, holds) ", " EVENTLY_ADD(table, confirmations) ", "    \
  EVENTLY_ADD(table, cancellations) ", " EVENTLY_ADD(table, abandoned) ", " \
  EVENTLY_ADD(table, expirations) ", " EVENTLY_ADD(table, revenue) ", "     \
  EVENTLY_ADD(table, refunds)
#define EVENTLY_UPSERT_DAY_EVENT(values)                                               \
  "INSERT INTO daily_event_stats (day, event_id, " EVENTLY_COUNTS ") VALUES (" values \
  ") ON CONFLICT (day, event_id) DO UPDATE SET " EVENTLY_ADD_COUNTS("daily_event_stats")
#define EVENTLY_UPSERT_EVENT(values)                                        \
  "INSERT INTO event_stats (event_id, " EVENTLY_COUNTS ") VALUES (" values \
  ") ON CONFLICT (event_id) DO UPDATE SET " EVENTLY_ADD_COUNTS("event_stats")
#define EVENTLY_UPSERT_DAY(values)                                            \
  "INSERT INTO daily_stats (day, shard, " EVENTLY_COUNTS ") VALUES (" values \
  ") ON CONFLICT (day, shard) DO UPDATE SET " EVENTLY_ADD_COUNTS("daily_stats")

#define EVENTLY_SALES "seats_sold, seats_refunded, revenue, refunds"
#define EVENTLY_ADD_SALES(table)                                         \
  EVENTLY_ADD(table, seats_sold) ", " EVENTLY_ADD(table, seats_refunded) \
  ", " EVENTLY_ADD(table, revenue) ", " EVENTLY_ADD(table, refunds)
#define EVENTLY_UPSERT_TIER(values)                                                        \
  "INSERT INTO daily_tier_stats (day, event_id, tier, " EVENTLY_SALES ") VALUES (" values \
  ") ON CONFLICT (day, event_id, tier) DO UPDATE SET " EVENTLY_ADD_SALES("daily_tier_stats")
#define EVENTLY_UPSERT_CATEGORY(values)                                                     \
  "INSERT INTO daily_category_stats (day, tier, shard, " EVENTLY_SALES ") VALUES (" values \
  ") ON CONFLICT (day, tier, shard) DO UPDATE SET " EVENTLY_ADD_SALES("daily_category_stats")

// $1 day, $2 event, $3..$9 the counts, $10 shard.
constexpr Statement kActivityPg{"rollup_activity",
    "WITH by_event AS (" EVENTLY_UPSERT_EVENT("$2, $3, $4, $5, $6, $7, $8, $9") "), "
    "by_day AS (" EVENTLY_UPSERT_DAY("$1, $10, $3, $4, $5, $6, $7, $8, $9") ") "
    EVENTLY_UPSERT_DAY_EVENT("$1, $2, $3, $4, $5, $6, $7, $8, $9")};
constexpr Statement kDayEvent{"rollup_day_event",
    EVENTLY_UPSERT_DAY_EVENT("$1, $2, $3, $4, $5, $6, $7, $8, $9")};
constexpr Statement kEvent{"rollup_event", EVENTLY_UPSERT_EVENT("$1, $2, $3, $4, $5, $6, $7, $8")};
constexpr Statement kDay{"rollup_day", EVENTLY_UPSERT_DAY("$1, $2, $3, $4, $5, $6, $7, $8, $9")};

// $1 day, $2 event, $3 tier, $4 seats sold, $5 seats refunded, $6 revenue, $7 refunds, $8 shard.
constexpr Statement kSalePg{"rollup_sale",
    "WITH by_category AS (" EVENTLY_UPSERT_CATEGORY("$1, $3, $8, $4, $5, $6, $7") "), "
    "by_tier AS (" EVENTLY_UPSERT_TIER("$1, $2, $3, $4, $5, $6, $7") ") "
    "UPDATE event_sections SET sold = sold + $4 - $5 WHERE event_id = $2 AND name = $3"};
constexpr Statement kTier{"rollup_tier", EVENTLY_UPSERT_TIER("$1, $2, $3, $4, $5, $6, $7")};
constexpr Statement kCategory{"rollup_category",
    EVENTLY_UPSERT_CATEGORY("$1, $2, $3, $4, $5, $6, $7")};
constexpr Statement kSectionSold{"section_sold",
    "UPDATE event_sections SET sold = sold + $3 WHERE event_id = $1 AND name = $2"};
// clang-format on

#undef EVENTLY_UPSERT_CATEGORY
#undef EVENTLY_UPSERT_TIER
#undef EVENTLY_ADD_SALES
#undef EVENTLY_SALES
#undef EVENTLY_UPSERT_DAY
#undef EVENTLY_UPSERT_EVENT
#undef EVENTLY_UPSERT_DAY_EVENT
#undef EVENTLY_ADD_COUNTS
#undef EVENTLY_ADD
#undef EVENTLY_COUNTS

}  // namespace

std::int64_t RollupShard(std::string_view event_id) {
  return static_cast<std::int64_t>(domain::Fnv1a(event_id) %
                                   static_cast<std::uint64_t>(kRollupShards));
}

void RecordActivity(Connection& conn, domain::TimePoint when, const std::string& event_id,
                    const ActivityDelta& d) {
  std::string day = domain::FormatDate(when);
  if (conn.dialect() == Dialect::kPostgres) {
    conn.Defer(kActivityPg, {day, event_id, d.holds, d.confirmations, d.cancellations, d.abandoned,
                             d.expirations, d.revenue, d.refunds, RollupShard(event_id)});
    return;
  }
  conn.Defer(kDayEvent, {day, event_id, d.holds, d.confirmations, d.cancellations, d.abandoned,
                         d.expirations, d.revenue, d.refunds});
  conn.Defer(kEvent, {event_id, d.holds, d.confirmations, d.cancellations, d.abandoned,
                      d.expirations, d.revenue, d.refunds});
  conn.Defer(kDay, {day, RollupShard(event_id), d.holds, d.confirmations, d.cancellations,
                    d.abandoned, d.expirations, d.revenue, d.refunds});
}

void RecordSale(Connection& conn, domain::TimePoint when, const domain::Booking& booking,
                int direction) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> tiers;  // seats, amount
  for (const auto& seat : booking.seats) {
    ++tiers[seat.section].first;
    tiers[seat.section].second += seat.price;
  }
  std::string day = domain::FormatDate(when);
  std::int64_t shard = RollupShard(booking.event.id);
  bool sale = direction > 0;
  // Tiers in name order: concurrent transactions take the shared category rows in one order.
  for (const auto& [tier, totals] : tiers) {
    const auto& [seats, amount] = totals;
    std::int64_t sold = sale ? seats : 0, refunded = sale ? 0 : seats;
    std::int64_t revenue = sale ? amount : 0, refunds = sale ? 0 : amount;
    if (conn.dialect() == Dialect::kPostgres) {
      conn.Defer(kSalePg, {day, booking.event.id, tier, sold, refunded, revenue, refunds, shard});
      continue;
    }
    conn.Defer(kTier, {day, booking.event.id, tier, sold, refunded, revenue, refunds});
    conn.Defer(kCategory, {day, tier, shard, sold, refunded, revenue, refunds});
    conn.Defer(kSectionSold, {booking.event.id, tier, sold - refunded});
  }
}

}  // namespace evently::storage
