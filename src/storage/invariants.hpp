// The booking invariants, checked straight from the store (tests, benchmarks, operators).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/sql.hpp"

namespace evently::storage {

struct InvariantReport {
  std::int64_t capacity = 0;
  std::int64_t available = 0;
  std::int64_t held = 0;
  std::int64_t booked = 0;
  std::vector<std::string> violations;  // empty when every invariant holds
  bool ok() const { return violations.empty(); }
};

InvariantReport CheckBookingInvariants(Database& db, const std::string& event_id);

}  // namespace evently::storage
