// Seat availability per event and tier, read for live seat maps.
#pragma once

#include "domain/ports/seat_availability.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class AvailabilityStore final : public domain::SeatAvailabilityReader {
 public:
  explicit AvailabilityStore(Database& db) : db_(db) {}
  std::optional<domain::SeatAvailability> Read(const std::string& event_id) override;

 private:
  Database& db_;
};

}  // namespace evently::storage
