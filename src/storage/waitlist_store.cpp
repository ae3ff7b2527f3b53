#include "storage/waitlist_store.hpp"

#include "domain/notifications/notification.hpp"
#include "storage/outbox_writer.hpp"

namespace evently::storage {

using domain::ErrorCode;
using domain::TimePoint;
using domain::ToEpochMillis;
using domain::WaitlistEntry;
using domain::WaitlistStatus;

namespace {

constexpr Statement kActiveEntry{
    "waitlist_active_entry",
    "SELECT id FROM waitlist_entries WHERE event_id = $1 AND user_id = $2 "
    "AND status IN ('waiting', 'offered')"};
constexpr Statement kEventForJoin{"waitlist_join_event",
                                  "SELECT start_time, cancelled_at FROM events WHERE id = $1"};
// DO NOTHING: a twin join racing this one wins, and this one answers with its entry.
constexpr Statement kInsertEntry{
    "waitlist_insert",
    "INSERT INTO waitlist_entries (id, event_id, user_id, status, notify_email, notify_sms, "
    "created_at, updated_at) VALUES ($1, $2, $3, 'waiting', $4, $5, $6, $6) ON CONFLICT DO "
    "NOTHING"};
constexpr Statement kEntry{
    "waitlist_entry",
    "SELECT w.id, w.event_id, e.name, w.user_id, w.status, w.notify_email, w.notify_sms, "
    "w.offer_expires_at, w.created_at, w.updated_at FROM waitlist_entries w "
    "JOIN events e ON e.id = w.event_id WHERE w.id = $1"};
constexpr Statement kListForUser{
    "waitlist_list_user",
    "SELECT w.id, w.event_id, e.name, w.user_id, w.status, w.notify_email, w.notify_sms, "
    "w.offer_expires_at, w.created_at, w.updated_at FROM waitlist_entries w "
    "JOIN events e ON e.id = w.event_id WHERE w.user_id = $1 "
    "ORDER BY w.created_at DESC, w.id DESC LIMIT $2 OFFSET $3"};
constexpr Statement kCountForUser{"waitlist_count_user",
                                  "SELECT COUNT(*) FROM waitlist_entries WHERE user_id = $1"};
constexpr Statement kPosition{
    "waitlist_position",
    "SELECT COUNT(*) FROM waitlist_entries WHERE event_id = $1 AND status = 'waiting' "
    "AND (created_at < $2 OR (created_at = $2 AND id <= $3))"};
constexpr Statement kOfferedSeats{
    "waitlist_offered_seats",
    "SELECT id FROM seats WHERE (event_id = $1) IS TRUE AND offer_id = $2 AND booking_id IS NULL "
    "ORDER BY id"};
constexpr Statement kLockEntryPg{
    "waitlist_lock", "SELECT status, event_id FROM waitlist_entries WHERE id = $1 FOR UPDATE"};
constexpr Statement kLockEntrySqlite{"waitlist_lock",
                                     "SELECT status, event_id FROM waitlist_entries WHERE id = $1"};
constexpr Statement kLeave{
    "waitlist_leave", "UPDATE waitlist_entries SET status = 'left', updated_at = $2 WHERE id = $1"};
constexpr Statement kDueOffersPg{
    "waitlist_due_offers",
    "SELECT id, event_id, user_id FROM waitlist_entries WHERE status = 'offered' "
    "AND offer_expires_at <= $1 ORDER BY offer_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED"};
constexpr Statement kDueOffersSqlite{
    "waitlist_due_offers",
    "SELECT id, event_id, user_id FROM waitlist_entries WHERE status = 'offered' "
    "AND offer_expires_at <= $1 ORDER BY offer_expires_at LIMIT $2"};
constexpr Statement kLapse{
    "waitlist_lapse",
    "UPDATE waitlist_entries SET status = 'lapsed', updated_at = $2 WHERE id = $1 "
    "AND status = 'offered'"};
constexpr Statement kEventNameForLapse{"waitlist_event_name",
                                       "SELECT name FROM events WHERE id = $1"};
constexpr Statement kReleases{
    "waitlist_releases_since",
    "SELECT COUNT(*) FROM bookings WHERE event_id = $1 AND status IN ('cancelled', 'expired') "
    "AND updated_at >= $2"};

WaitlistEntry EntryFromRow(Connection& conn, const Rows& rows, std::size_t r) {
  WaitlistEntry e;
  e.id = rows.Text(r, 0);
  e.event_id = rows.Text(r, 1);
  e.event_name = rows.Text(r, 2);
  e.user_id = rows.Text(r, 3);
  e.status = domain::ParseWaitlistStatus(rows.Text(r, 4)).value_or(WaitlistStatus::kWaiting);
  e.preferences = {rows.Int(r, 5) != 0, rows.Int(r, 6) != 0};
  e.created_at = domain::FromEpochMillis(rows.Int(r, 8));
  e.updated_at = domain::FromEpochMillis(rows.Int(r, 9));
  if (e.status == WaitlistStatus::kWaiting) {
    e.position = conn.Exec(kPosition, {e.event_id, rows.Int(r, 8), e.id}).Int(0, 0);
  }
  if (e.status == WaitlistStatus::kOffered) {
    if (auto t = rows.OptInt(r, 7)) e.offer_expires_at = domain::FromEpochMillis(*t);
    Rows seats = conn.Exec(kOfferedSeats, {e.event_id, e.id});
    for (std::size_t s = 0; s < seats.size(); ++s) e.offered_seat_ids.push_back(seats.Text(s, 0));
  }
  return e;
}

std::optional<WaitlistEntry> ReadEntry(Connection& conn, const std::string& id) {
  Rows rows = conn.Exec(kEntry, {id});
  if (rows.empty()) return std::nullopt;
  return EntryFromRow(conn, rows, 0);
}

}  // namespace

domain::Result<domain::JoinOutcome> WaitlistStore::Join(const domain::JoinRequest& req) {
  std::optional<domain::Result<domain::JoinOutcome>> outcome;
  db_.Write([&](Connection& conn) {
    outcome.reset();
    if (Rows active = conn.Exec(kActiveEntry, {req.event_id, req.user_id}); !active.empty()) {
      outcome.emplace(domain::JoinOutcome{*ReadEntry(conn, active.Text(0, 0)), false});
      return;
    }
    Rows event = conn.Exec(kEventForJoin, {req.event_id});
    if (event.empty()) {
      outcome.emplace(domain::MakeError(ErrorCode::kEventNotFound));
      return;
    }
    if (!event.IsNull(0, 1) || req.now >= domain::FromEpochMillis(event.Int(0, 0))) {
      outcome.emplace(domain::MakeError(ErrorCode::kEventNotBookable));
      return;
    }
    if (std::int64_t available = AvailableSeats(conn, req.event_id); available > 0) {
      domain::Error error = domain::MakeError(ErrorCode::kWaitlistNotAvailable);
      error.details.numbers = {{"available_seats", available}};
      outcome.emplace(std::move(error));
      return;
    }
    std::int64_t inserted =
        conn.Exec(kInsertEntry, {req.entry_id, req.event_id, req.user_id,
                                 std::int64_t{req.preferences.email ? 1 : 0},
                                 std::int64_t{req.preferences.sms ? 1 : 0}, ToEpochMillis(req.now)})
            .affected();
    std::string id = req.entry_id;
    if (inserted == 0) id = conn.Exec(kActiveEntry, {req.event_id, req.user_id}).Text(0, 0);
    outcome.emplace(domain::JoinOutcome{*ReadEntry(conn, id), inserted == 1});
  });
  return std::move(*outcome);
}

std::optional<WaitlistEntry> WaitlistStore::Find(const std::string& entry_id) {
  std::optional<WaitlistEntry> entry;
  // One snapshot: an entry read as waiting must be counted in its own position (on PostgreSQL
  // each statement of a plain read sees its own moment, and an offer between them made it 0).
  db_.ReadSnapshot([&](Connection& conn) { entry = ReadEntry(conn, entry_id); });
  return entry;
}

domain::Page<WaitlistEntry> WaitlistStore::ListForUser(const std::string& user_id,
                                                       domain::PageRequest page) {
  domain::Page<WaitlistEntry> out;
  db_.ReadSnapshot([&](Connection& conn) {  // as Find
    out.items.clear();
    out.total = conn.Exec(kCountForUser, {user_id}).Int(0, 0);
    Rows rows = conn.Exec(kListForUser, {user_id, page.per_page, page.offset()});
    for (std::size_t r = 0; r < rows.size(); ++r) out.items.push_back(EntryFromRow(conn, rows, r));
  });
  return out;
}

domain::Result<domain::WaitlistChange> WaitlistStore::Leave(const std::string& entry_id,
                                                            TimePoint now) {
  std::optional<domain::Result<domain::WaitlistChange>> outcome;
  db_.Write([&](Connection& conn) {
    Rows locked = conn.Exec(Pick(conn, kLockEntryPg, kLockEntrySqlite), {entry_id});
    if (locked.empty()) {
      outcome.emplace(domain::MakeError(ErrorCode::kWaitlistEntryNotFound));
      return;
    }
    auto status = domain::ParseWaitlistStatus(locked.Text(0, 0));
    domain::WaitlistChange change;
    if (status && domain::IsActive(*status)) {
      conn.Exec(kLeave, {entry_id, ToEpochMillis(now)});
    }
    // A declined offer passes its seats on like a lapsed one.
    if (status == WaitlistStatus::kOffered) {
      if (auto passed = ReleaseSeats(conn, locked.Text(0, 1), {SeatHolder::Kind::kOffer, entry_id},
                                     now, {offers_, true})) {
        change.seats.push_back(std::move(*passed));
      }
    }
    change.entry = *ReadEntry(conn, entry_id);
    outcome.emplace(std::move(change));
  });
  return std::move(*outcome);
}

std::vector<domain::SeatChange> WaitlistStore::LapseDueOffers(TimePoint now, int limit) {
  std::vector<domain::SeatChange> changes;
  db_.Write([&](Connection& conn) {
    changes.clear();
    Rows due = conn.Exec(Pick(conn, kDueOffersPg, kDueOffersSqlite),
                         {ToEpochMillis(now), std::int64_t{limit}});
    for (std::size_t r = 0; r < due.size(); ++r) {
      std::string entry = due.Text(r, 0), event_id = due.Text(r, 1);
      if (conn.Exec(kLapse, {entry, ToEpochMillis(now)}).affected() == 0) continue;
      Rows name = conn.Exec(kEventNameForLapse, {event_id});
      WriteNotification(conn, due.Text(r, 2), event_id,
                        domain::WaitlistOfferLapsedNotice(name.empty() ? "" : name.Text(0, 0)),
                        {/*email=*/false, /*sms=*/false}, now);
      if (auto passed = ReleaseSeats(conn, event_id, {SeatHolder::Kind::kOffer, entry}, now,
                                     {offers_, true})) {
        changes.push_back(std::move(*passed));
      }
    }
  });
  return changes;
}

std::int64_t WaitlistStore::ReleasesSince(const std::string& event_id, TimePoint since) {
  std::int64_t count = 0;
  db_.Read([&](Connection& conn) {
    count = conn.Exec(kReleases, {event_id, ToEpochMillis(since)}).Int(0, 0);
  });
  return count;
}

}  // namespace evently::storage
