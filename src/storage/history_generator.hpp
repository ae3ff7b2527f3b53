// Bulk historical data for the growth benchmark: events, seats and bookings with their payments
// and analytics roll-ups, written with multi-row statements (far faster than the API).
#pragma once

#include <cstdint>
#include <string>

#include "domain/time.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

struct HistoryOptions {
  std::int64_t bookings = 100000;
  int events = 100;          // bookings are spread over these; each gets enough seats
  int days = 365;            // bookings fall on the days before `until`
  domain::TimePoint until{};  // usually now
  std::uint32_t seed = 42;
};

struct HistorySummary {
  std::int64_t bookings = 0;
  std::int64_t seats = 0;
  double seconds = 0;
};

HistorySummary GenerateHistory(Database& db, const HistoryOptions& options);

}  // namespace evently::storage
