// The waitlist rules: who may join, see and leave which entry; offers that lapse pass on.
#pragma once

#include <string>

#include "domain/paging.hpp"
#include "domain/ports/seat_changes.hpp"
#include "domain/ports/waitlist.hpp"
#include "domain/principal.hpp"

namespace evently::domain {

class WaitlistService {
 public:
  WaitlistService(WaitlistStore& store, SeatChangeSink& changes, const Clock& clock);

  Result<JoinOutcome> Join(const Principal& who, const std::string& event_id,
                           NotificationPreferences preferences);
  // The owner's (or an admin's) entry; WAITLIST_ENTRY_NOT_FOUND for anyone else.
  Result<WaitlistEntry> Get(const Principal& who, const std::string& entry_id);
  Page<WaitlistEntry> ListMine(const Principal& who, PageRequest page);
  // Owner only: others get WAITLIST_ENTRY_NOT_FOUND.
  Result<WaitlistEntry> Leave(const Principal& who, const std::string& entry_id);

  // Background work, safe on every node at once; returns how many offers lapsed.
  int LapseDueOffers(int limit = 200);

 private:
  Result<WaitlistEntry> Visible(const Principal& who, const std::string& entry_id, bool owner_only);
  WaitlistEntry WithEstimate(WaitlistEntry entry);

  WaitlistStore& store_;
  SeatChangeSink& changes_;
  const Clock& clock_;
};

}  // namespace evently::domain
