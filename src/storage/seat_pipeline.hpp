// Where seats move between bookings, waitlist offers and open sale, inside the caller's
// transaction, and how each move is recorded (seat version, cross-node notice, availability).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/booking/booking.hpp"
#include "domain/waitlist/waitlist.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

std::int64_t AvailableSeats(Connection& conn, const std::string& event_id);
// The same read as a call, to go out in a pipeline with others: its answer's Int(0, 0).
Call AvailableSeatsCall(const std::string& event_id);

// One step of the event's seat version: cached seat maps and their ETags are stale after it.
void BumpSeatVersion(Connection& conn, const std::string& event_id);

// Records a committed-to-be change of these seats: bumps the event's seat version, announces it
// to other nodes (delivered on commit) and describes it for in-process publishing.
domain::SeatChange ChangeOf(Connection& conn, const std::string& event_id,
                            std::vector<std::string> seat_ids, std::string status);
// The same, with the event's seats on sale after the change already known (read in this
// transaction after the last write that moved them).
domain::SeatChange ChangeOf(Connection& conn, const std::string& event_id,
                            std::vector<std::string> seat_ids, std::string status,
                            std::int64_t available);

// Who held the seats being released.
struct SeatHolder {
  enum class Kind { kBooking, kOffer };
  Kind kind;
  std::string id;  // booking id, or waitlist entry id of the offer
};

struct ReleaseRules {
  domain::OfferPolicy offers;
  bool offers_allowed = true;  // false while the event itself is being cancelled
};

// The single place seats come free (a booking cancelled or expired, an offer lapsed, declined or
// partly taken up): the whole batch is offered to the first waiting entry of the event (held for
// that user, who is notified), or goes back on sale when nobody waits or the event is no longer
// bookable. nullopt when the holder had no seats.
std::optional<domain::SeatChange> ReleaseSeats(Connection& conn, const std::string& event_id,
                                               const SeatHolder& from, domain::TimePoint now,
                                               const ReleaseRules& rules);

}  // namespace evently::storage
