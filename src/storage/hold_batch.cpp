#include "storage/hold_batch.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "domain/booking/sale_terms.hpp"
#include "storage/activity_rollup.hpp"
#include "storage/json_rows.hpp"
#include "storage/keyed_answers.hpp"
#include "storage/seat_feed.hpp"

namespace evently::storage {
namespace {

using domain::Booking;
using domain::BookingChange;
using domain::BookingStatus;
using domain::ErrorCode;
using domain::HoldRequest;
using domain::Result;
using domain::SeatChange;
using domain::ToEpochMillis;

// The event row is the per-event lock on PostgreSQL: every booking-path transaction takes it
// before touching the event's hot rows (section counters, seat_version, the day's roll-up), so
// those are always locked in one order and concurrent holds, confirms and cancels never
// deadlock. SQLite has a single writer and needs no row locks.
// Being the lock, it also serializes the holds that count a user's seats against the limit.
#define EVENTLY_EVENT_FOR_HOLD                                                              \
  "SELECT name, start_time, cancelled_at, currency, sale_starts_at, max_tickets_per_user, " \
  "queue_enabled FROM events WHERE id = $1"
constexpr Statement kEventForHoldPg{"hold_event", EVENTLY_EVENT_FOR_HOLD " FOR UPDATE"};
constexpr Statement kEventForHoldSqlite{"hold_event", EVENTLY_EVENT_FOR_HOLD};
#undef EVENTLY_EVENT_FOR_HOLD
// The seats of the batch's users' live bookings of the event ($2: their ids), read after the
// lock, when the event has a limit. Pending counts whether or not its hold time has passed: it
// may still be confirmed until the expiry job has turned it `expired`.
#define EVENTLY_LIVE_SEATS                                                                   \
  "SELECT b.user_id, COUNT(*) FROM bookings b JOIN booking_seats bs ON bs.booking_id = b.id " \
  "AND bs.event_id = b.event_id WHERE b.event_id = $1 AND b.status IN ('pending', 'confirmed') "
#define EVENTLY_HAS_LIMIT \
  "AND EXISTS (SELECT 1 FROM events WHERE id = $1 AND max_tickets_per_user IS NOT NULL) "
constexpr Statement kLiveSeatsPg{"hold_live_seats", EVENTLY_LIVE_SEATS
                                 "AND b.user_id = ANY($2::uuid[]) " EVENTLY_HAS_LIMIT
                                 "GROUP BY b.user_id"};
constexpr Statement kLiveSeatsSqlite{"hold_live_seats", EVENTLY_LIVE_SEATS
                                     "AND b.user_id IN (SELECT value FROM json_each($2)) "
                                     EVENTLY_HAS_LIMIT "GROUP BY b.user_id"};
#undef EVENTLY_LIVE_SEATS
#undef EVENTLY_HAS_LIMIT
constexpr Statement kSections{
    "hold_sections",
    "SELECT position, name, price, available FROM event_sections WHERE event_id = $1"};

// The fast path, and the only grant of open seats: all $5 seats are taken if all are on open
// sale and the event is still bookable and on sale at $2, otherwise none (the count is one
// snapshot of the rows the event lock protects). It goes out with the event's lock and sections,
// before the batch has read whether the event is bookable: the statement checks that itself.
// Under a limit it also takes only if user $6's live seats plus $7 (these seats and those of the
// user's earlier holds in the batch, granted or not) stay within it; a hold it refuses for that
// alone is decided exactly by the slow path.
// Seat id lists: a PostgreSQL array literal, or a JSON array walked by SQLite's json_each.
// `+event_id` (SQLite) and `(event_id = $n) IS TRUE` (PostgreSQL) keep the planners on the
// primary key: on an event whose seats the statistics do not know yet (one just put on sale)
// both would otherwise walk all of its seats on the (event, section, row, seat) index.
#define EVENTLY_ON_SALE_WITHIN_LIMIT(seats_of_event, queue)                                 \
  "AND EXISTS (SELECT 1 FROM events e WHERE e.id = $3 AND e.cancelled_at IS NULL "          \
  "AND e.start_time > $2 AND (e.sale_starts_at IS NULL OR e.sale_starts_at <= $2) " queue   \
  "AND (e.max_tickets_per_user IS NULL OR e.max_tickets_per_user >= $7 + (SELECT COUNT(*) " \
  "FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id WHERE " seats_of_event     \
  " "                                                                                       \
  "AND b.event_id = $3 AND b.user_id = $6 AND b.status IN ('pending', 'confirmed')))) "
// A hold without a valid admission token takes seats only of an event whose queue is off.
#define EVENTLY_ADMITTED ""
#define EVENTLY_UNADMITTED "AND (e.queue_enabled IS NULL OR e.queue_enabled = 0) "
#define EVENTLY_TAKE_OPEN_PG(queue)                                                       \
  "UPDATE seats SET status = 'held', booking_id = $1, updated_at = $2 "                   \
  "WHERE (event_id = $3) IS TRUE AND id = ANY($4::uuid[]) AND status = 'available' "      \
  "AND booking_id IS NULL AND (SELECT COUNT(*) FROM seats WHERE (event_id = $3) IS TRUE " \
  "AND id = ANY($4::uuid[]) AND status = 'available' AND booking_id IS NULL) = "          \
  "$5 " EVENTLY_ON_SALE_WITHIN_LIMIT("(bs.event_id = $3) IS TRUE", queue)
#define EVENTLY_TAKE_OPEN_SQLITE(queue)                                                        \
  "UPDATE seats SET status = 'held', booking_id = $1, updated_at = $2 "                        \
  "WHERE +event_id = $3 AND id IN (SELECT value FROM json_each($4)) AND status = 'available' " \
  "AND booking_id IS NULL AND (SELECT COUNT(*) FROM seats WHERE +event_id = $3 "               \
  "AND id IN (SELECT value FROM json_each($4)) AND status = 'available' "                      \
  "AND booking_id IS NULL) = $5 " EVENTLY_ON_SALE_WITHIN_LIMIT("+bs.event_id = $3", queue)
// A keyed hold takes its seats only under its own claim of the key ($6 user, $8 key, $9 claim),
// made earlier in the same round trip (keyed_answers.hpp).
#define EVENTLY_KEY_CLAIMED                                        \
  "AND EXISTS (SELECT 1 FROM idempotency_keys WHERE user_id = $6 " \
  "AND idempotency_key = $8 AND claim = $9) "
#define EVENTLY_TAKE_RETURNING "RETURNING id, section_position, row_label, seat_number"
// The take for a hold: [keyed][admitted], on the connection's engine.
struct TakeStatements {
  Statement pg, sqlite;
};
constexpr TakeStatements kTakeOpenSeats[2][2] = {
    {{{"hold_take_open_unadmitted",
       EVENTLY_TAKE_OPEN_PG(EVENTLY_UNADMITTED) EVENTLY_TAKE_RETURNING},
      {"hold_take_open_unadmitted",
       EVENTLY_TAKE_OPEN_SQLITE(EVENTLY_UNADMITTED) EVENTLY_TAKE_RETURNING}},
     {{"hold_take_open", EVENTLY_TAKE_OPEN_PG(EVENTLY_ADMITTED) EVENTLY_TAKE_RETURNING},
      {"hold_take_open", EVENTLY_TAKE_OPEN_SQLITE(EVENTLY_ADMITTED) EVENTLY_TAKE_RETURNING}}},
    {{{"hold_take_open_keyed_unadmitted",
       EVENTLY_TAKE_OPEN_PG(EVENTLY_UNADMITTED) EVENTLY_KEY_CLAIMED EVENTLY_TAKE_RETURNING},
      {"hold_take_open_keyed_unadmitted",
       EVENTLY_TAKE_OPEN_SQLITE(EVENTLY_UNADMITTED) EVENTLY_KEY_CLAIMED EVENTLY_TAKE_RETURNING}},
     {{"hold_take_open_keyed",
       EVENTLY_TAKE_OPEN_PG(EVENTLY_ADMITTED) EVENTLY_KEY_CLAIMED EVENTLY_TAKE_RETURNING},
      {"hold_take_open_keyed",
       EVENTLY_TAKE_OPEN_SQLITE(EVENTLY_ADMITTED) EVENTLY_KEY_CLAIMED EVENTLY_TAKE_RETURNING}}}};
#undef EVENTLY_ON_SALE_WITHIN_LIMIT
#undef EVENTLY_ADMITTED
#undef EVENTLY_UNADMITTED
#undef EVENTLY_TAKE_OPEN_PG
#undef EVENTLY_TAKE_OPEN_SQLITE
#undef EVENTLY_KEY_CLAIMED
#undef EVENTLY_TAKE_RETURNING

// The slow path: why the seats were refused, or whether some are offered to this user.
constexpr Statement kSeatsPg{
    "hold_seats",
    "SELECT id, status, booking_id, offer_id, section_position, row_label, seat_number "
    "FROM seats WHERE (event_id = $1) IS TRUE AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE"};
constexpr Statement kSeatsSqlite{
    "hold_seats",
    "SELECT id, status, booking_id, offer_id, section_position, row_label, seat_number "
    "FROM seats WHERE +event_id = $1 AND id IN (SELECT value FROM json_each($2)) ORDER BY id"};
constexpr Statement kTakeSeatsPg{
    "hold_take_seats",
    "UPDATE seats SET status = 'held', booking_id = $1, offer_id = NULL, updated_at = $2 "
    "WHERE (event_id = $3) IS TRUE AND id = ANY($4::uuid[]) AND booking_id IS NULL "
    "AND (status = 'available' OR status = 'held')"};
constexpr Statement kTakeSeatsSqlite{
    "hold_take_seats",
    "UPDATE seats SET status = 'held', booking_id = $1, offer_id = NULL, updated_at = $2 "
    "WHERE +event_id = $3 AND id IN (SELECT value FROM json_each($4)) AND booking_id IS NULL "
    "AND (status = 'available' OR status = 'held')"};
constexpr Statement kUserOffers{
    "hold_user_offers",
    "SELECT id FROM waitlist_entries WHERE event_id = $1 AND user_id = $2 AND status = 'offered' "
    "AND offer_expires_at > $3"};
constexpr Statement kConvertEntry{
    "waitlist_convert",
    "UPDATE waitlist_entries SET status = 'converted', updated_at = $2 WHERE id = $1 "
    "AND status = 'offered'"};

// Once per batch.
constexpr Statement kTakeFromSection{
    "section_take",
    "UPDATE event_sections SET available = available - $3 WHERE event_id = $1 AND position = $2"};
// A day's codes for every hold of the batch that may be granted, reserved with the holds' seat
// writes. The day's counter row stays locked until the commit (SQLite: one writer), so the codes
// the refused holds leave unused are given back without a gap in the sequence.
constexpr Statement kReserveBookingCodes{
    "booking_codes_reserve",
    "INSERT INTO booking_code_counters (day, last_value) VALUES ($1, $2) ON CONFLICT (day) "
    "DO UPDATE SET last_value = booking_code_counters.last_value + EXCLUDED.last_value "
    "RETURNING last_value"};
constexpr Statement kReturnBookingCodes{
    "booking_codes_return",
    "UPDATE booking_code_counters SET last_value = last_value - $2 WHERE day = $1"};
// Rows as JSON arrays: [id, user_id, booking_code, total_amount, expires_at, created_at].
constexpr Statement kInsertBookingsPg{
    "bookings_insert_batch",
    "INSERT INTO bookings (id, event_id, user_id, booking_code, status, total_amount, currency, "
    "expires_at, created_at, updated_at) SELECT (r->>0)::uuid, $1::uuid, (r->>1)::uuid, r->>2, "
    "'pending', (r->>3)::bigint, $2::text, (r->>4)::bigint, (r->>5)::bigint, (r->>5)::bigint "
    "FROM json_array_elements($3::json) AS r"};
constexpr Statement kInsertBookingsSqlite{
    "bookings_insert_batch",
    "INSERT INTO bookings (id, event_id, user_id, booking_code, status, total_amount, currency, "
    "expires_at, created_at, updated_at) SELECT json_extract(value, '$[0]'), $1, "
    "json_extract(value, '$[1]'), json_extract(value, '$[2]'), 'pending', "
    "json_extract(value, '$[3]'), $2, json_extract(value, '$[4]'), json_extract(value, '$[5]'), "
    "json_extract(value, '$[5]') FROM json_each($3)"};
// The seats just taken ($2, by key), copied with their section's name and price at this moment.
constexpr Statement kInsertBookingSeatsPg{
    "booking_seats_insert_batch",
    "INSERT INTO booking_seats (booking_id, event_id, seat_id, section_name, row_label, "
    "seat_number, price) SELECT s.booking_id, s.event_id, s.id, es.name, s.row_label, "
    "s.seat_number, es.price FROM seats s JOIN event_sections es ON es.event_id = s.event_id "
    "AND es.position = s.section_position WHERE s.id = ANY($2::uuid[]) "
    "AND s.booking_id = ANY($1::uuid[])"};
constexpr Statement kInsertBookingSeatsSqlite{
    "booking_seats_insert_batch",
    "INSERT INTO booking_seats (booking_id, event_id, seat_id, section_name, row_label, "
    "seat_number, price) SELECT s.booking_id, s.event_id, s.id, es.name, s.row_label, "
    "s.seat_number, es.price FROM seats s JOIN event_sections es ON es.event_id = s.event_id "
    "AND es.position = s.section_position WHERE s.id IN (SELECT value FROM json_each($2)) "
    "AND s.booking_id IN (SELECT value FROM json_each($1))"};

struct Section {
  std::string name;
  std::int64_t price = 0;
  std::int64_t available = 0;  // the stored figure minus what this batch took and not yet wrote
  std::int64_t taken = 0;      // taken by this batch, not yet written
};

// The batch's view of the event: prices and live counters, kept in step with the store.
class EventState {
 public:
  // `sections`: the answer to kSections.
  EventState(Connection& conn, const std::string& event_id, const Rows& sections)
      : conn_(conn), event_id_(event_id) {
    Load(sections);
  }
  void Reload() { Load(conn_.Exec(kSections, {event_id_})); }
  // Writes the counters this batch changed, before anything that reads them from the store.
  void Flush() {
    for (auto& [position, section] : sections_) {
      if (section.taken == 0) continue;
      conn_.Defer(kTakeFromSection, {event_id_, position, section.taken});
      section.taken = 0;
    }
  }
  void Take(std::int64_t position) {
    Section& s = sections_[position];
    --s.available;
    ++s.taken;
  }
  const Section& at(std::int64_t position) { return sections_[position]; }
  std::int64_t Available() const {
    return std::accumulate(
        sections_.begin(), sections_.end(), std::int64_t{0},
        [](std::int64_t sum, const auto& s) { return sum + s.second.available; });
  }

 private:
  Connection& conn_;
  const std::string& event_id_;
  void Load(const Rows& rows) {
    sections_.clear();
    for (std::size_t r = 0; r < rows.size(); ++r) {
      sections_[rows.Int(r, 0)] = {rows.Text(r, 1), rows.Int(r, 2), rows.Int(r, 3), 0};
    }
  }

  std::map<std::int64_t, Section> sections_;
};

struct EventRow {
  std::string name;
  domain::TimePoint start;
  std::string currency;
  domain::SaleTerms terms;
};

EventRow ReadEventRow(const Rows& row) {
  EventRow event{row.Text(0, 0), domain::FromEpochMillis(row.Int(0, 1)), row.Text(0, 3), {}};
  event.terms.cancelled = !row.IsNull(0, 2);
  event.terms.start = event.start;
  if (auto sale = row.OptInt(0, 4)) event.terms.sale_starts_at = domain::FromEpochMillis(*sale);
  event.terms.max_tickets_per_user = row.OptInt(0, 5);
  event.terms.queue_on = row.OptInt(0, 6).value_or(0) == 1;
  return event;
}

// Seats per user: those of the users' live bookings as the store had them under the event's
// lock, plus those this batch has granted them since.
class UserSeats {
 public:
  // `live`: the answer to kLiveSeats* (empty when the event has no limit).
  explicit UserSeats(const Rows& live) {
    for (std::size_t r = 0; r < live.size(); ++r) held_[live.Text(r, 0)] = live.Int(r, 1);
  }
  std::int64_t Held(const std::string& user_id) const {
    auto found = held_.find(user_id);
    return found == held_.end() ? 0 : found->second;
  }
  void Grant(const std::string& user_id, std::int64_t seats) { held_[user_id] += seats; }

 private:
  std::map<std::string, std::int64_t> held_;
};

// A granted hold before its booking row exists: the code is given once the batch is decided.
Booking NewBooking(const HoldRequest& req, const EventRow& event) {
  Booking booking;
  booking.id = req.booking_id;
  booking.user_id = req.user_id;
  booking.event = {req.event_id, event.name, event.start};
  booking.currency = event.currency;
  booking.status = BookingStatus::kPending;
  booking.expires_at = req.expires_at;
  booking.created_at = req.now;
  return booking;
}

void AddSeat(Booking& booking, EventState& state, const std::string& seat_id, std::int64_t position,
             const std::string& row, std::int64_t number) {
  const Section& section = state.at(position);
  booking.seats.push_back({seat_id, section.name, row, static_cast<int>(number), section.price});
  booking.total_amount += section.price;
}

void SortSeats(Booking& booking) {
  std::sort(booking.seats.begin(), booking.seats.end(), [](const auto& a, const auto& b) {
    return std::tie(a.section, a.row, a.seat_number) < std::tie(b.section, b.row, b.seat_number);
  });
}

// The rows of `seats` (as kSeats* reads them) that are among `ids`, in their order.
Rows RowsOfSeats(const Rows& seats, const std::vector<std::string>& ids) {
  std::set<std::string_view> wanted(ids.begin(), ids.end());
  Rows out;
  out.SetColumns(seats.columns());
  for (std::size_t r = 0; r < seats.size(); ++r) {
    if (!wanted.contains(seats.Text(r, 0))) continue;
    for (std::size_t c = 0; c < seats.columns(); ++c) out.Append(seats.OptText(r, c));
  }
  return out;
}

// The open seats were not all free: explains the refusal, or takes seats offered to this user
// from the waitlist (with any open ones among them). `seats`: the answer to kSeats* for them.
Result<BookingChange> HoldSlowly(Connection& conn, const HoldRequest& req, const EventRow& event,
                                 const std::string& ids, const Rows& seats, EventState& state,
                                 const ReleaseRules& rules) {
  std::set<std::string> found;
  for (std::size_t r = 0; r < seats.size(); ++r) found.insert(seats.Text(r, 0));
  std::vector<domain::FieldIssue> foreign;
  for (std::size_t i = 0; i < req.seat_ids.size(); ++i) {
    if (!found.contains(req.seat_ids[i])) {
      foreign.push_back({"seat_ids[" + std::to_string(i) + "]", "is not a seat of this event"});
    }
  }
  if (!foreign.empty()) return domain::ValidationError(std::move(foreign));

  std::set<std::string> my_offers;
  bool any_offer = false;
  for (std::size_t r = 0; r < seats.size(); ++r) any_offer = any_offer || !seats.IsNull(r, 3);
  if (any_offer) {
    Rows offers = conn.Exec(kUserOffers, {req.event_id, req.user_id, ToEpochMillis(req.now)});
    for (std::size_t r = 0; r < offers.size(); ++r) my_offers.insert(offers.Text(r, 0));
  }
  std::vector<std::string> unavailable;
  std::set<std::string> taken_offers;  // the caller's offers this hold takes up
  for (std::size_t r = 0; r < seats.size(); ++r) {
    const std::string& status = seats.Text(r, 1);
    bool offered_to_me = status == "held" && seats.IsNull(r, 2) && !seats.IsNull(r, 3) &&
                         my_offers.contains(seats.Text(r, 3));
    if (offered_to_me) taken_offers.insert(seats.Text(r, 3));
    if (status != "available" && !offered_to_me) unavailable.push_back(seats.Text(r, 0));
  }
  if (!unavailable.empty()) {
    if (unavailable.size() == req.seat_ids.size() && state.Available() == 0) {
      return domain::MakeError(ErrorCode::kEventSoldOut);
    }
    domain::Error error = domain::MakeError(ErrorCode::kBookingSeatsUnavailable);
    error.details.string_lists = {{"unavailable_seat_ids", std::move(unavailable)}};
    return error;
  }
  // No offer among them and every seat open: an earlier hold of this batch let them go (its
  // offer passed on) after this one's fast path was refused. They are locked now: take them.
  Rows taken = conn.Exec(Pick(conn, kTakeSeatsPg, kTakeSeatsSqlite),
                         {req.booking_id, ToEpochMillis(req.now), req.event_id, ids});
  if (taken.affected() != static_cast<std::int64_t>(req.seat_ids.size())) {
    throw SqlError(SqlError::Kind::kRetryable, "seat changed between lock and write");
  }
  Booking booking = NewBooking(req, event);
  for (std::size_t r = 0; r < seats.size(); ++r) {
    if (seats.Text(r, 1) == "available") state.Take(seats.Int(r, 4));
    AddSeat(booking, state, seats.Text(r, 0), seats.Int(r, 4), seats.Text(r, 5), seats.Int(r, 6));
  }
  SortSeats(booking);
  BookingChange change{std::move(booking),
                       {SeatChange{req.event_id, req.seat_ids, "held", state.Available()}}};
  // Booking from an offer converts the waitlist entry; the offer's other seats pass on. The
  // release reads and writes the counters itself, so the batch's view is written and re-read.
  state.Flush();
  for (const std::string& entry : taken_offers) {
    conn.Exec(kConvertEntry, {entry, ToEpochMillis(req.now)});
    if (auto rest =
            ReleaseSeats(conn, req.event_id, {SeatHolder::Kind::kOffer, entry}, req.now, rules)) {
      change.seats.push_back(std::move(*rest));
    }
  }
  state.Reload();
  return change;
}

// A day's reserved booking codes: `count` codes ending at `last`.
struct CodeRange {
  std::int64_t count = 0;
  std::int64_t last = 0;
};

std::map<std::string, std::vector<Booking*>> ByDay(const std::vector<Booking*>& bookings) {
  std::map<std::string, std::vector<Booking*>> by_day;
  for (Booking* b : bookings) by_day[domain::FormatDate(b->created_at)].push_back(b);
  return by_day;
}

// Gives each granted booking (`by_day`: as ByDay groups them) the next of its day's reserved
// codes; the codes left over go back.
void AssignCodes(Connection& conn, const std::map<std::string, CodeRange>& codes,
                 const std::map<std::string, std::vector<Booking*>>& by_day) {
  for (const auto& [day, range] : codes) {
    auto found = by_day.find(day);
    std::int64_t used = found == by_day.end() ? 0 : static_cast<std::int64_t>(found->second.size());
    for (std::int64_t i = 0; i < used; ++i) {
      Booking& b = *found->second[static_cast<std::size_t>(i)];
      b.booking_code = domain::FormatBookingCode(b.created_at, range.last - range.count + 1 + i);
    }
    if (used < range.count) conn.Defer(kReturnBookingCodes, {day, range.count - used});
  }
}

// Writes the granted bookings' rows, counters and roll-ups (`by_day`: the same, as ByDay groups
// them).
void WriteGranted(Connection& conn, const std::string& event_id, const EventRow& event,
                  const std::vector<Booking*>& granted,
                  const std::map<std::string, std::vector<Booking*>>& by_day, EventState& state) {
  Dialect dialect = conn.dialect();
  for (const auto& [_, bookings] : by_day) {
    RecordActivity(conn, bookings.front()->created_at, event_id,
                   {.holds = static_cast<std::int64_t>(bookings.size())});
  }
  JsonRows rows;
  std::vector<std::string> ids;
  std::vector<std::string> seat_ids;
  for (const Booking* b : granted) {
    for (const auto& seat : b->seats) seat_ids.push_back(seat.seat_id);
    rows.Row()
        .Text(b->id)
        .Text(b->user_id)
        .Text(b->booking_code)
        .Int(b->total_amount)
        .Int(ToEpochMillis(b->expires_at))
        .Int(ToEpochMillis(b->created_at));
    ids.push_back(b->id);
  }
  conn.Defer(Pick(conn, kInsertBookingsPg, kInsertBookingsSqlite),
             {event_id, event.currency, rows.Close()});
  conn.Defer(Pick(conn, kInsertBookingSeatsPg, kInsertBookingSeatsSqlite),
             {IdList(dialect, ids), IdList(dialect, seat_ids)});
  state.Flush();
}

}  // namespace

std::vector<Result<BookingChange>> HoldBatch(Connection& conn,
                                             const std::vector<const HoldRequest*>& requests,
                                             const ReleaseRules& rules) {
  std::vector<Result<BookingChange>> results;
  results.reserve(requests.size());
  if (requests.empty()) return results;
  const std::string& event_id = requests.front()->event_id;
  Dialect dialect = conn.dialect();
  // One round trip on PostgreSQL: the event's lock and sections, the keyed holds' claims of their
  // keys, then every hold's all-or-nothing take, in order (so a later hold never takes a seat an
  // earlier one got), then the codes every hold may need. The answers are read in the same
  // order; a refused hold is explained (or served from its offers) right there.
  BatchKeys keys = BatchKeys::Of(requests, [](const HoldRequest& req) { return req.booking_id; });
  std::vector<std::string> users;
  users.reserve(requests.size());
  for (const HoldRequest* req : requests) users.push_back(req->user_id);
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  std::vector<Call> calls{{Pick(conn, kEventForHoldPg, kEventForHoldSqlite), {event_id}},
                          {kSections, {event_id}},
                          {Pick(conn, kLiveSeatsPg, kLiveSeatsSqlite),
                           {event_id, IdList(dialect, users)}}};
  keys.AddClaims(calls);
  // answers: the event, its sections, the users' live seats, the claims, then one per hold
  const std::size_t kFirstClaim = 3;
  const std::size_t kFirstTake = kFirstClaim + keys.size();
  std::vector<std::string> id_lists;
  std::map<std::string, CodeRange> codes;  // by day: the codes every hold may need
  std::map<std::string, std::int64_t> asked;  // by user: the seats of their holds so far
  for (const HoldRequest* req : requests) {
    id_lists.push_back(IdList(dialect, req->seat_ids));
    auto n = static_cast<std::int64_t>(req->seat_ids.size());
    std::vector<Param> params{req->booking_id, ToEpochMillis(req->now), event_id,
                              id_lists.back(),  n,
                              req->user_id,     asked[req->user_id] += n};
    if (req->keyed) params.insert(params.end(), {req->keyed->request.key, req->booking_id});
    const TakeStatements& take = kTakeOpenSeats[req->keyed ? 1 : 0][req->admitted ? 1 : 0];
    calls.push_back({Pick(conn, take.pg, take.sqlite), std::move(params)});
    ++codes[domain::FormatDate(req->now)].count;
  }
  for (const auto& [day, range] : codes)
    calls.push_back({kReserveBookingCodes, {day, range.count}});
  // PostgreSQL: every requested seat, read (and locked) after the takes in the same round trip,
  // so that a refused hold can be explained without another one. SQLite has no round trips and
  // reads only the refused holds' seats, below.
  bool read_with_takes = dialect == Dialect::kPostgres;
  if (read_with_takes) {
    std::vector<std::string> all_ids;
    for (const HoldRequest* req : requests) {
      all_ids.insert(all_ids.end(), req->seat_ids.begin(), req->seat_ids.end());
    }
    calls.push_back({kSeatsPg, {event_id, IdList(dialect, all_ids)}});
  }
  std::vector<Rows> answers = conn.Pipeline(calls);
  {
    std::size_t answer = kFirstTake + requests.size();
    for (auto& [_, range] : codes) range.last = answers[answer++].Int(0, 0);
  }
  keys.Read(conn, answers, kFirstClaim);
  const Rows& event_row = answers[0];
  if (event_row.empty()) {
    AssignCodes(conn, codes, {});  // none used
    for (std::size_t i = 0; i < requests.size(); ++i) {
      results.emplace_back(keys.Proceeds(i) ? domain::MakeError(ErrorCode::kEventNotFound)
                                            : keys.Refusal(i));
    }
    keys.Answer(conn, results);
    return results;
  }
  EventRow event = ReadEventRow(event_row);
  EventState state(conn, event_id, answers[1]);
  UserSeats user_seats(answers[2]);
  auto bookable = [&](const HoldRequest& req) {
    return !domain::RefuseHoldAt(event.terms, req.now, req.admitted).has_value();
  };
  // The refused holds' seats: on PostgreSQL from the read above, on SQLite read now. A refusal
  // changes nothing, so these reads stay true until a refused hold is served from its offers
  // after all; the ones after that read their seats again.
  std::vector<Call> reads;
  std::vector<Rows> refused_seats;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (!keys.Proceeds(i) || !bookable(*requests[i]) || answers[kFirstTake + i].size() != 0) {
      continue;
    }
    if (read_with_takes) {
      refused_seats.push_back(RowsOfSeats(answers.back(), requests[i]->seat_ids));
    } else {
      reads.push_back({kSeatsSqlite, {event_id, id_lists[i]}});
    }
  }
  if (!read_with_takes) refused_seats = conn.Pipeline(reads);
  std::size_t next_refused = 0;
  bool reads_stale = false;
  std::vector<std::string> all_held;  // every seat this batch took, for other nodes
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const HoldRequest* req = requests[i];
    if (!keys.Proceeds(i)) {
      if (answers[kFirstTake + i].size() != 0) {
        throw SqlError(SqlError::Kind::kOther, "a hold took seats under a key it had not claimed");
      }
      results.emplace_back(keys.Refusal(i));
      continue;
    }
    if (auto refusal = domain::RefuseHoldAt(event.terms, req->now, req->admitted)) {
      if (answers[kFirstTake + i].size() != 0) {
        throw SqlError(SqlError::Kind::kOther, "a hold took seats of an event not on sale");
      }
      results.emplace_back(std::move(*refusal));
      continue;
    }
    const std::string& ids = id_lists[i];
    auto n = static_cast<std::int64_t>(req->seat_ids.size());
    const Rows& taken = answers[kFirstTake + i];
    auto over_limit = domain::RefuseOverLimit(event.terms, user_seats.Held(req->user_id), n);
    if (taken.size() == 0) {
      Rows fresh;
      const Rows& seats = refused_seats[next_refused++];
      if (over_limit) {
        results.emplace_back(std::move(*over_limit));
        continue;
      }
      if (reads_stale) fresh = conn.Exec(Pick(conn, kSeatsPg, kSeatsSqlite), {event_id, ids});
      results.push_back(
          HoldSlowly(conn, *req, event, ids, reads_stale ? fresh : seats, state, rules));
      reads_stale = reads_stale || results.back().ok();
    } else if (static_cast<std::int64_t>(taken.size()) != n) {
      throw SqlError(SqlError::Kind::kOther, "a hold took some of its seats, not all");
    } else if (over_limit) {
      throw SqlError(SqlError::Kind::kOther, "a hold took seats beyond the user's limit");
    } else {
      Booking booking = NewBooking(*req, event);
      for (std::size_t r = 0; r < taken.size(); ++r) {
        state.Take(taken.Int(r, 1));
        AddSeat(booking, state, taken.Text(r, 0), taken.Int(r, 1), taken.Text(r, 2),
                taken.Int(r, 3));
      }
      SortSeats(booking);
      results.emplace_back(BookingChange{
          std::move(booking), {SeatChange{event_id, req->seat_ids, "held", state.Available()}}});
    }
    if (results.back().ok()) {
      user_seats.Grant(req->user_id, n);
      const auto& seats = results.back().value().seats.front().seat_ids;
      all_held.insert(all_held.end(), seats.begin(), seats.end());
    }
  }
  std::vector<Booking*> granted;
  for (auto& result : results) {
    if (result.ok()) granted.push_back(&result.value().booking);
  }
  std::map<std::string, std::vector<Booking*>> by_day = ByDay(granted);
  AssignCodes(conn, codes, by_day);
  keys.Answer(conn, results);
  if (granted.empty()) return results;
  WriteGranted(conn, event_id, event, granted, by_day, state);
  // One seat-version step and one notice to other nodes for the whole batch; in this process
  // each hold publishes its own change.
  BumpSeatVersion(conn, event_id);
  AnnounceSeatChange(conn, SeatChange{event_id, std::move(all_held), "held", state.Available()});
  return results;
}

}  // namespace evently::storage
