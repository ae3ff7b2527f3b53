// The booking invariants, checked straight from the store (tests, benchmarks, operators).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/sql.hpp"

namespace evently::storage {

struct InvariantReport {
  std::int64_t capacity = 0;
  std::int64_t available = 0;
  std::int64_t held = 0;
  std::int64_t booked = 0;
  // The most seats one user holds in live (pending and confirmed) bookings of the event, and the
  // event's max_tickets_per_user (0: none), for the caller to compare: a limit may be lowered
  // after bookings were made, so more than it is not by itself a broken store.
  std::int64_t max_seats_per_user = 0;
  std::int64_t per_user_limit = 0;
  std::vector<std::string> violations;  // empty when every invariant holds
  bool ok() const { return violations.empty(); }
};

InvariantReport CheckBookingInvariants(Database& db, const std::string& event_id);

// The waiting room's tickets of an event as the store recorded them, in milliseconds (the API
// answers in whole seconds): for checking the admission order and rate afterwards.
struct QueueTicketRecord {
  std::string ticket_id;
  std::int64_t joined_at_ms = 0;
  std::optional<std::int64_t> admitted_at_ms;
};
struct QueueRecord {
  std::optional<std::int64_t> sale_starts_at_ms;
  std::vector<QueueTicketRecord> tickets;  // in joining order
};
QueueRecord ReadQueueRecord(Database& db, const std::string& event_id);

}  // namespace evently::storage
