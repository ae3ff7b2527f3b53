#include "storage/seat_pipeline.hpp"

#include <map>

#include "domain/notifications/notification.hpp"
#include "storage/outbox_writer.hpp"
#include "storage/seat_feed.hpp"

namespace evently::storage {
namespace {

using domain::ToEpochMillis;

constexpr Statement kAvailableSeats{
    "event_available",
    "SELECT COALESCE(SUM(available), 0) FROM event_sections WHERE event_id = $1"};
constexpr Statement kBumpSeatVersion{
    "event_bump_seat_version", "UPDATE events SET seat_version = seat_version + 1 WHERE id = $1"};
constexpr Statement kReturnToSection{
    "section_return",
    "UPDATE event_sections SET available = available + $3 WHERE event_id = $1 AND position = $2"};
// The first waiting entry, while the event is still on sale. SKIP LOCKED: a release running on
// another node at the same moment offers to the next entry instead of waiting for this one.
constexpr Statement kNextWaitingPg{
    "waitlist_next_waiting",
    "SELECT w.id, w.user_id, w.notify_email, w.notify_sms FROM waitlist_entries w "
    "WHERE w.event_id = $1 AND w.status = 'waiting' AND EXISTS (SELECT 1 FROM events e "
    "WHERE e.id = $1 AND e.cancelled_at IS NULL AND e.start_time > $2) "
    "ORDER BY w.created_at, w.id LIMIT 1 FOR UPDATE OF w SKIP LOCKED"};
constexpr Statement kNextWaitingSqlite{
    "waitlist_next_waiting",
    "SELECT w.id, w.user_id, w.notify_email, w.notify_sms FROM waitlist_entries w "
    "WHERE w.event_id = $1 AND w.status = 'waiting' AND EXISTS (SELECT 1 FROM events e "
    "WHERE e.id = $1 AND e.cancelled_at IS NULL AND e.start_time > $2) "
    "ORDER BY w.created_at, w.id LIMIT 1"};
// A booking's seats by their keys, listed in booking_seats (see migration 0009), starting from
// there (as kBookSeats* in booking_store.cpp); an offer's by the seats_offer index.
// `(event_id = $1) IS TRUE`: never by walking the event (see hold_batch.cpp).
constexpr Statement kReleaseBookingSeatsPg{
    "seats_release_booking",
    "UPDATE seats s SET status = $4, booking_id = NULL, offer_id = $5, updated_at = $3 "
    "FROM booking_seats bs WHERE bs.booking_id = $2 AND bs.event_id = $1 AND s.id = bs.seat_id "
    "AND s.booking_id = $2 RETURNING s.id, s.section_position"};
constexpr Statement kReleaseBookingSeatsSqlite{
    "seats_release_booking",
    "UPDATE seats SET status = $4, booking_id = NULL, offer_id = $5, updated_at = $3 "
    "WHERE (event_id = $1) IS TRUE AND id IN (SELECT seat_id FROM booking_seats "
    "WHERE booking_id = $2) AND booking_id = $2 RETURNING id, section_position"};
constexpr Statement kReleaseOfferSeats{
    "seats_release_offer",
    "UPDATE seats SET status = $4, offer_id = $5, updated_at = $3 "
    "WHERE (event_id = $1) IS TRUE AND offer_id = $2 AND booking_id IS NULL "
    "RETURNING id, section_position"};
constexpr Statement kMakeOffer{
    "waitlist_make_offer",
    "UPDATE waitlist_entries SET status = 'offered', offer_expires_at = $2, updated_at = $3 "
    "WHERE id = $1"};
constexpr Statement kEventName{"event_name", "SELECT name FROM events WHERE id = $1"};

struct WaitingEntry {
  std::string id;
  std::string user_id;
  bool email;
  bool sms;
};

std::optional<WaitingEntry> NextWaiting(Connection& conn, const std::string& event_id,
                                        domain::TimePoint now) {
  Rows rows =
      conn.Exec(Pick(conn, kNextWaitingPg, kNextWaitingSqlite), {event_id, ToEpochMillis(now)});
  if (rows.empty()) return std::nullopt;
  return WaitingEntry{rows.Text(0, 0), rows.Text(0, 1), rows.Int(0, 2) != 0, rows.Int(0, 3) != 0};
}

void MakeOffer(Connection& conn, const WaitingEntry& entry, const std::string& event_id,
               std::size_t seats, domain::TimePoint now, const domain::OfferPolicy& policy) {
  domain::TimePoint expires = now + policy.window;
  conn.Exec(kMakeOffer, {entry.id, ToEpochMillis(expires), ToEpochMillis(now)});
  Rows name = conn.Exec(kEventName, {event_id});
  WriteNotification(
      conn, entry.user_id, event_id,
      domain::WaitlistOfferNotice(name.empty() ? "" : name.Text(0, 0), seats, expires),
      {entry.email, entry.sms}, now);
}

}  // namespace

std::int64_t AvailableSeats(Connection& conn, const std::string& event_id) {
  return conn.Exec(kAvailableSeats, {event_id}).Int(0, 0);
}

Call AvailableSeatsCall(const std::string& event_id) { return {kAvailableSeats, {event_id}}; }

void BumpSeatVersion(Connection& conn, const std::string& event_id) {
  conn.Defer(kBumpSeatVersion, {event_id});
}

domain::SeatChange ChangeOf(Connection& conn, const std::string& event_id,
                            std::vector<std::string> seat_ids, std::string status) {
  std::int64_t available = AvailableSeats(conn, event_id);
  return ChangeOf(conn, event_id, std::move(seat_ids), std::move(status), available);
}

domain::SeatChange ChangeOf(Connection& conn, const std::string& event_id,
                            std::vector<std::string> seat_ids, std::string status,
                            std::int64_t available) {
  BumpSeatVersion(conn, event_id);
  domain::SeatChange change{event_id, std::move(seat_ids), std::move(status), available};
  AnnounceSeatChange(conn, change);
  return change;
}

std::optional<domain::SeatChange> ReleaseSeats(Connection& conn, const std::string& event_id,
                                               const SeatHolder& from, domain::TimePoint now,
                                               const ReleaseRules& rules) {
  std::optional<WaitingEntry> next;
  if (rules.offers_allowed) next = NextWaiting(conn, event_id, now);
  const Statement& release = from.kind == SeatHolder::Kind::kBooking
                                 ? Pick(conn, kReleaseBookingSeatsPg, kReleaseBookingSeatsSqlite)
                                 : kReleaseOfferSeats;
  Rows released = conn.Exec(
      release, {event_id, from.id, ToEpochMillis(now), std::string(next ? "held" : "available"),
                next ? Param(next->id) : Param(nullptr)});
  if (released.empty()) return std::nullopt;
  std::vector<std::string> ids;
  std::map<std::int64_t, std::int64_t> per_section;
  for (std::size_t r = 0; r < released.size(); ++r) {
    ids.push_back(released.Text(r, 0));
    ++per_section[released.Int(r, 1)];
  }
  if (next) {
    MakeOffer(conn, *next, event_id, ids.size(), now, rules.offers);
    return ChangeOf(conn, event_id, std::move(ids), "held");
  }
  for (const auto& [position, count] : per_section) {
    conn.Exec(kReturnToSection, {event_id, position, count});
  }
  return ChangeOf(conn, event_id, std::move(ids), "available");
}

}  // namespace evently::storage
