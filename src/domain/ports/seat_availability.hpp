// How many seats of an event are on sale, per price tier: what a live seat map starts from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace evently::domain {

struct SeatAvailability {
  std::string event_id;
  std::int64_t available_seats = 0;
  std::vector<std::pair<std::string, std::int64_t>> by_tier;  // in layout order
  std::int64_t seat_version = 0;  // bumped by every committed seat change
};

class SeatAvailabilityReader {
 public:
  virtual ~SeatAvailabilityReader() = default;
  // nullopt for an unknown event. May block on the store: call it off the I/O threads.
  virtual std::optional<SeatAvailability> Read(const std::string& event_id) = 0;
};

}  // namespace evently::domain
