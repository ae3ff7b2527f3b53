#include "domain/waitlist/waitlist_service.hpp"

#include "domain/ids.hpp"

namespace evently::domain {

WaitlistService::WaitlistService(WaitlistStore& store, SeatChangeSink& changes, const Clock& clock)
    : store_(store), changes_(changes), clock_(clock) {}

Result<JoinOutcome> WaitlistService::Join(const Principal& who, const std::string& event_id,
                                          NotificationPreferences preferences) {
  if (!IsUuid(event_id)) return ValidationError("event_id", "must be a UUID");
  TimePoint now = clock_.Now();
  Result<JoinOutcome> joined = store_.Join(
      JoinRequest{NewUuidV7(now), NormalizeUuid(event_id), who.user_id, preferences, now});
  if (!joined.ok()) return joined;
  joined->entry = WithEstimate(std::move(joined->entry));
  return joined;
}

WaitlistEntry WaitlistService::WithEstimate(WaitlistEntry entry) {
  if (entry.status != WaitlistStatus::kWaiting || !entry.position) return entry;
  std::int64_t releases = store_.ReleasesSince(entry.event_id, clock_.Now() - kReleaseRateWindow);
  entry.estimated_wait_time = EstimateWaitTime(*entry.position, releases);
  return entry;
}

Result<WaitlistEntry> WaitlistService::Visible(const Principal& who, const std::string& entry_id,
                                               bool owner_only) {
  if (!IsUuid(entry_id)) return MakeError(ErrorCode::kWaitlistEntryNotFound);
  std::optional<WaitlistEntry> entry = store_.Find(NormalizeUuid(entry_id));
  if (!entry) return MakeError(ErrorCode::kWaitlistEntryNotFound);
  bool allowed = entry->user_id == who.user_id || (!owner_only && who.is_admin());
  if (!allowed) return MakeError(ErrorCode::kWaitlistEntryNotFound);
  return std::move(*entry);
}

Result<WaitlistEntry> WaitlistService::Get(const Principal& who, const std::string& entry_id) {
  Result<WaitlistEntry> entry = Visible(who, entry_id, /*owner_only=*/false);
  if (!entry.ok()) return entry;
  return WithEstimate(std::move(entry).value());
}

Page<WaitlistEntry> WaitlistService::ListMine(const Principal& who, PageRequest page) {
  Page<WaitlistEntry> entries = store_.ListForUser(who.user_id, page);
  for (auto& entry : entries.items) entry = WithEstimate(std::move(entry));
  return entries;
}

Result<WaitlistEntry> WaitlistService::Leave(const Principal& who, const std::string& entry_id) {
  Result<WaitlistEntry> entry = Visible(who, entry_id, /*owner_only=*/true);
  if (!entry.ok()) return entry;
  Result<WaitlistChange> left = store_.Leave(entry->id, clock_.Now());
  if (!left.ok()) return left.error();
  for (const SeatChange& change : left->seats) changes_.Publish(change);
  return std::move(left->entry);
}

int WaitlistService::LapseDueOffers(int limit) {
  std::vector<SeatChange> passed_on = store_.LapseDueOffers(clock_.Now(), limit);
  for (const SeatChange& change : passed_on) changes_.Publish(change);
  return static_cast<int>(passed_on.size());
}

}  // namespace evently::domain
