// What the waitlist rules need from the store. Every method is one transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/booking/booking.hpp"
#include "domain/error.hpp"
#include "domain/paging.hpp"
#include "domain/waitlist/waitlist.hpp"

namespace evently::domain {

struct JoinRequest {
  std::string entry_id;
  std::string event_id;
  std::string user_id;
  NotificationPreferences preferences;
  TimePoint now{};
};

struct JoinOutcome {
  WaitlistEntry entry;
  bool created = false;  // false: the user's active entry for the event, unchanged
};

// An entry after a change, and the seat changes to publish once it is committed.
struct WaitlistChange {
  WaitlistEntry entry;
  std::vector<SeatChange> seats;
};

class WaitlistStore {
 public:
  virtual ~WaitlistStore() = default;

  // The user's active entry when there is one; else EVENT_NOT_FOUND, EVENT_NOT_BOOKABLE, or
  // WAITLIST_NOT_AVAILABLE while any seat is on sale.
  virtual Result<JoinOutcome> Join(const JoinRequest& request) = 0;
  virtual std::optional<WaitlistEntry> Find(const std::string& entry_id) = 0;
  virtual Page<WaitlistEntry> ListForUser(const std::string& user_id, PageRequest page) = 0;
  // Waiting or offered -> left; the seats of an offer go to the next entry or back on sale.
  // An entry that is no longer active is returned unchanged.
  virtual Result<WaitlistChange> Leave(const std::string& entry_id, TimePoint now) = 0;
  // Offers past their window lapse and their seats pass on; safe on several nodes at once.
  virtual std::vector<SeatChange> LapseDueOffers(TimePoint now, int limit) = 0;
  // Seat batches released (bookings cancelled or expired) for the event since `since`.
  virtual std::int64_t ReleasesSince(const std::string& event_id, TimePoint since) = 0;
};

}  // namespace evently::domain
