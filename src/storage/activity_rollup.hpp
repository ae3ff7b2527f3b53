// Keeps the per-day analytics roll-ups in step with booking changes, inside their transactions.
#pragma once

#include <cstdint>
#include <string>

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

void RecordActivity(Connection& conn, domain::TimePoint when, const std::string& event_id,
                    const ActivityDelta& delta);
// A confirmed booking's seats sold (+1) or refunded (-1), per tier, and the sections' sold counts.
void RecordSale(Connection& conn, domain::TimePoint when, const domain::Booking& booking,
                int direction);

}  // namespace evently::storage
