// Keeps the analytics roll-ups in step with booking changes, inside their transactions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/booking/booking.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

struct ActivityDelta {
  std::int64_t holds = 0;
  std::int64_t confirmations = 0;
  std::int64_t cancellations = 0;  // confirmed bookings cancelled (refunded)
  std::int64_t abandoned = 0;      // pending bookings cancelled by their owner or an admin
  std::int64_t expirations = 0;
  std::int64_t revenue = 0;
  std::int64_t refunds = 0;
};

// Global and per-category day rows are split this many ways (see migration 0007).
inline constexpr std::int64_t kRollupShards = 16;
// The shard of an event's global roll-up rows: fixed per event, so two events on sale at once
// wait on each other's day rows only when they share a shard (about one pair in 16).
std::int64_t RollupShard(std::string_view event_id);

// One booking change on a day: the (day, event), event and (day, shard) figures.
void RecordActivity(Connection& conn, domain::TimePoint when, const std::string& event_id,
                    const ActivityDelta& delta);
// A confirmed booking's seats sold (+1) or refunded (-1), per tier: the (day, event, tier) and
// (day, tier, shard) figures and the sections' sold counts.
void RecordSale(Connection& conn, domain::TimePoint when, const domain::Booking& booking,
                int direction);

}  // namespace evently::storage
