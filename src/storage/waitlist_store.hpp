// The waitlist port on SQL: entries, positions, leaving, and offers that lapse.
#pragma once

#include "domain/ports/waitlist.hpp"
#include "storage/seat_pipeline.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class WaitlistStore final : public domain::WaitlistStore {
 public:
  WaitlistStore(Database& db, domain::OfferPolicy offers) : db_(db), offers_(offers) {}

  domain::Result<domain::JoinOutcome> Join(const domain::JoinRequest& request) override;
  std::optional<domain::WaitlistEntry> Find(const std::string& entry_id) override;
  domain::Page<domain::WaitlistEntry> ListForUser(const std::string& user_id,
                                                  domain::PageRequest page) override;
  domain::Result<domain::WaitlistChange> Leave(const std::string& entry_id,
                                               domain::TimePoint now) override;
  std::vector<domain::SeatChange> LapseDueOffers(domain::TimePoint now, int limit) override;
  std::int64_t ReleasesSince(const std::string& event_id, domain::TimePoint since) override;

 private:
  Database& db_;
  domain::OfferPolicy offers_;
};

}  // namespace evently::storage
