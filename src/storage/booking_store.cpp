#include "storage/booking_store.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "domain/ids.hpp"
#include "domain/notifications/notification.hpp"
#include "storage/activity_rollup.hpp"
#include "storage/hold_batch.hpp"
#include "storage/json_rows.hpp"
#include "storage/keyed_answers.hpp"
#include "storage/outbox_writer.hpp"
#include "storage/payment_ledger_store.hpp"
#include "storage/seat_pipeline.hpp"

namespace evently::storage {

using domain::Booking;
using domain::BookingChange;
using domain::BookingStatus;
using domain::ErrorCode;
using domain::Result;
using domain::SeatChange;
using domain::TimePoint;
using domain::ToEpochMillis;

namespace {

// What BookingFromRow reads, for every statement that reads whole bookings.
#define EVENTLY_BOOKING_READ                                                                   \
  "SELECT b.id, b.booking_code, b.user_id, b.event_id, e.name, e.start_time, b.total_amount, " \
  "b.currency, b.status, b.expires_at, b.created_at, b.confirmed_at, b.cancelled_at, "         \
  "b.refund_status, b.refund_amount FROM bookings b JOIN events e ON e.id = b.event_id "

// --- statements ------------------------------------------------------------------------------
constexpr Statement kFindBooking{"booking_find", EVENTLY_BOOKING_READ "WHERE b.id = $1"};
constexpr Statement kListBookings{"booking_list_user", EVENTLY_BOOKING_READ
                                  "WHERE b.user_id = $1 AND ($2 = '' OR b.status = $2) "
                                  "ORDER BY b.created_at DESC, b.id DESC LIMIT $3 OFFSET $4"};
constexpr Statement kCountBookings{
    "booking_count_user",
    "SELECT COUNT(*) FROM bookings b WHERE b.user_id = $1 AND ($2 = '' OR b.status = $2)"};

constexpr Statement kLockBookingPg{"booking_lock",
                                   EVENTLY_BOOKING_READ "WHERE b.id = $1 FOR UPDATE OF b, e"};
constexpr Statement kLockBookingSqlite{"booking_lock", EVENTLY_BOOKING_READ "WHERE b.id = $1"};
constexpr Statement kInsertPayment{
    "payment_insert",
    "INSERT INTO payments (id, booking_id, event_id, amount, currency, method, status, "
    "gateway_reference, failure_reason, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"};
// A batch's confirmations, one statement each for all of them. Id lists as in hold_batch.cpp;
// rows as JSON arrays.
constexpr Statement kLockBookingsPg{
    "bookings_lock_batch",
    EVENTLY_BOOKING_READ "WHERE b.id = ANY($1::uuid[]) ORDER BY b.id FOR UPDATE OF b, e"};
constexpr Statement kLockBookingsSqlite{
    "bookings_lock_batch",
    EVENTLY_BOOKING_READ "WHERE b.id IN (SELECT value FROM json_each($1)) ORDER BY b.id"};
// $2 rows: [payment id, booking id, amount, currency, method, gateway reference, created at,
// attempt id, captured at or null].
constexpr Statement kInsertPaymentsPg{
    "payments_insert_batch",
    "INSERT INTO payments (id, booking_id, event_id, amount, currency, method, status, "
    "gateway_reference, failure_reason, created_at, attempt_id, captured_at) SELECT "
    "(r->>0)::uuid, (r->>1)::uuid, $1::uuid, (r->>2)::bigint, r->>3, r->>4, 'succeeded', r->>5, "
    "NULL, (r->>6)::bigint, (r->>7)::uuid, (r->>8)::bigint FROM json_array_elements($2::json) AS "
    "r"};
constexpr Statement kInsertPaymentsSqlite{
    "payments_insert_batch",
    "INSERT INTO payments (id, booking_id, event_id, amount, currency, method, status, "
    "gateway_reference, failure_reason, created_at, attempt_id, captured_at) SELECT "
    "json_extract(value, '$[0]'), json_extract(value, '$[1]'), $1, json_extract(value, '$[2]'), "
    "json_extract(value, '$[3]'), json_extract(value, '$[4]'), 'succeeded', "
    "json_extract(value, '$[5]'), NULL, json_extract(value, '$[6]'), json_extract(value, '$[7]'), "
    "json_extract(value, '$[8]') FROM json_each($2)"};
// The batch's attempts ($1: [attempt id, gateway reference] rows) recorded at $2, each only if
// still started: the reconciler may have settled one whose request outlived its lease.
constexpr Statement kRecordAttemptsPg{
    "attempts_record_batch",
    "UPDATE payment_attempts a SET state = 'recorded', gateway_reference = r->>1, "
    "settled_at = $2 FROM json_array_elements($1::json) AS r WHERE a.id = (r->>0)::uuid "
    "AND a.state = 'started' RETURNING a.id"};
constexpr Statement kRecordAttemptsSqlite{
    "attempts_record_batch",
    "UPDATE payment_attempts SET state = 'recorded', "
    "gateway_reference = json_extract(r.value, '$[1]'), settled_at = $2 FROM json_each($1) AS r "
    "WHERE payment_attempts.id = json_extract(r.value, '$[0]') "
    "AND payment_attempts.state = 'started' RETURNING payment_attempts.id"};
constexpr Statement kFailAttempt{
    "attempt_fail",
    "UPDATE payment_attempts SET state = 'failed', settled_at = $2 WHERE id = $1 "
    "AND state = 'started'"};

// The bookings $1, every one locked and seen pending in this transaction, confirmed at $2 (the
// batch's latest charge). On PostgreSQL the keys lead the plan: a `status = 'pending'` condition
// would draw it to the pending-expiry index and every entry that index still has for bookings
// confirmed since its last vacuum, and JSON rows joined by key to a scan of the whole key index.
constexpr Statement kMarkConfirmedPg{
    "bookings_confirm_batch",
    "UPDATE bookings SET status = 'confirmed', confirmed_at = $2, updated_at = $2 "
    "WHERE id = ANY($1::uuid[])"};
constexpr Statement kMarkConfirmedSqlite{
    "bookings_confirm_batch",
    "UPDATE bookings SET status = 'confirmed', confirmed_at = $2, updated_at = $2 "
    "WHERE id IN (SELECT value FROM json_each($1))"};
// The seats of the bookings being confirmed ($1), by their keys; every one must still be held by
// one of them ($3). PostgreSQL checks the count ($4) itself, so the write can wait for the
// commit's round trip: a shortfall fails the statement, and with it the transaction, with the
// message below (the cast of a text that is not a number is the error; it is built from the
// count so that the planner cannot fold it into an error of every execution).
constexpr Statement kBookSeatsPg{
    "seats_book_batch",
    "WITH booked AS (UPDATE seats SET status = 'booked', updated_at = $2 "
    "WHERE id = ANY($1::uuid[]) AND booking_id = ANY($3::uuid[]) AND status = 'held' RETURNING 1) "
    "SELECT (CASE WHEN COUNT(*) = $4 THEN '0' ELSE 'bookings lost seats while pending: ' || "
    "COUNT(*) || ' of ' || $4 || ' still held' END)::int FROM booked"};
constexpr Statement kBookSeatsSqlite{
    "seats_book_batch",
    "UPDATE seats SET status = 'booked', updated_at = $2 WHERE id IN (SELECT value FROM "
    "json_each($1)) AND booking_id IN (SELECT value FROM json_each($3)) AND status = 'held'"};
// One booking's seats (as kSeatsOfBookings*, whose id list costs SQLite more than the read).
constexpr Statement kBookingSeats{
    "booking_seats_of",
    "SELECT booking_id, seat_id, section_name, row_label, seat_number, price FROM booking_seats "
    "WHERE booking_id = $1 ORDER BY section_name, row_label, seat_number"};
constexpr Statement kSeatsOfBookingsPg{
    "booking_seats_of_batch",
    "SELECT booking_id, seat_id, section_name, row_label, seat_number, price FROM booking_seats "
    "WHERE booking_id = ANY($1::uuid[]) ORDER BY booking_id, section_name, row_label, "
    "seat_number"};
constexpr Statement kSeatsOfBookingsSqlite{
    "booking_seats_of_batch",
    "SELECT booking_id, seat_id, section_name, row_label, seat_number, price FROM booking_seats "
    "WHERE booking_id IN (SELECT value FROM json_each($1)) ORDER BY booking_id, section_name, "
    "row_label, seat_number"};
constexpr Statement kUnrefundedPayments{
    "payments_unrefunded",
    "SELECT p.id, p.amount FROM payments p WHERE p.booking_id = $1 AND p.status = 'succeeded' "
    "AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id)"};
constexpr Statement kMarkCancelled{
    "booking_mark_cancelled",
    "UPDATE bookings SET status = 'cancelled', cancelled_at = $2, updated_at = $2, "
    "refund_status = $3, refund_amount = $4 WHERE id = $1"};
constexpr Statement kMarkExpired{
    "booking_mark_expired",
    "UPDATE bookings SET status = 'expired', updated_at = $2 WHERE id = $1 AND status = 'pending'"};
constexpr Statement kDuePg{"bookings_due",
                           "SELECT id FROM bookings WHERE status = 'pending' AND expires_at <= $1 "
                           "ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED"};
constexpr Statement kDueSqlite{
    "bookings_due",
    "SELECT id FROM bookings WHERE status = 'pending' AND expires_at <= $1 "
    "ORDER BY expires_at LIMIT $2"};
constexpr Statement kLiveOfEventPg{"bookings_live_of_event",
                                   "SELECT id, user_id FROM bookings WHERE event_id = $1 "
                                   "AND status IN ('pending', 'confirmed') ORDER BY id FOR UPDATE"};
constexpr Statement kLiveOfEventSqlite{"bookings_live_of_event",
                                       "SELECT id, user_id FROM bookings WHERE event_id = $1 "
                                       "AND status IN ('pending', 'confirmed') ORDER BY id"};
constexpr Statement kEventNameForNotice{"booking_event_name",
                                        "SELECT name FROM events WHERE id = $1"};
constexpr Statement kActiveEntriesPg{
    "waitlist_active_of_event",
    "SELECT id, user_id, notify_email, notify_sms FROM waitlist_entries WHERE event_id = $1 "
    "AND status IN ('waiting', 'offered') ORDER BY id FOR UPDATE"};
constexpr Statement kActiveEntriesSqlite{
    "waitlist_active_of_event",
    "SELECT id, user_id, notify_email, notify_sms FROM waitlist_entries WHERE event_id = $1 "
    "AND status IN ('waiting', 'offered') ORDER BY id"};
constexpr Statement kCloseEntry{
    "waitlist_close",
    "UPDATE waitlist_entries SET status = 'cancelled', updated_at = $2 WHERE id = $1"};
constexpr Statement kClaimRefundsPg{
    "refunds_claim",
    "UPDATE refunds SET lease_until = $2, attempts = attempts + 1 WHERE id IN ("
    "SELECT id FROM refunds WHERE status = 'processing' AND next_attempt_at <= $1 "
    "AND lease_until <= $1 ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) "
    "RETURNING id, booking_id, payment_id, amount, attempts"};
constexpr Statement kClaimRefundsSqlite{
    "refunds_claim",
    "UPDATE refunds SET lease_until = $2, attempts = attempts + 1 WHERE id IN ("
    "SELECT id FROM refunds WHERE status = 'processing' AND next_attempt_at <= $1 "
    "AND lease_until <= $1 ORDER BY next_attempt_at LIMIT $3) "
    "RETURNING id, booking_id, payment_id, amount, attempts"};
constexpr Statement kPaymentReference{"payment_reference",
                                      "SELECT gateway_reference FROM payments WHERE id = $1"};
constexpr Statement kCompleteRefund{
    "refund_complete",
    "UPDATE refunds SET status = 'completed', completed_at = $2 WHERE id = $1 "
    "AND status = 'processing' RETURNING booking_id, payment_id, amount"};
constexpr Statement kRefundNoticeFacts{
    "refund_notice_facts",
    "SELECT b.user_id, b.event_id, e.name, b.booking_code, b.currency FROM bookings b "
    "JOIN events e ON e.id = b.event_id WHERE b.id = $1"};
constexpr Statement kPaymentRefunded{"payment_refunded",
                                     "UPDATE payments SET status = 'refunded' WHERE id = $1"};
constexpr Statement kBookingRefundDone{
    "booking_refund_done",
    "UPDATE bookings SET refund_status = $2 WHERE id = $1 AND refund_status = 'processing' "
    "AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.booking_id = $1 "
    "AND r.status = 'processing')"};
constexpr Statement kRetryRefund{
    "refund_retry",
    "UPDATE refunds SET next_attempt_at = $2, lease_until = 0, "
    "status = CASE WHEN $3 = 1 THEN 'failed' ELSE status END WHERE id = $1 "
    "RETURNING booking_id"};

#undef EVENTLY_BOOKING_READ

// The plan settings of a batch's transaction (as SET LOCAL). Its statements all find their rows
// by key, so:
// - generic plans: PostgreSQL would otherwise plan the hold update afresh for every hold (its
//   custom plans look cheaper than the generic one);
// - no sequential scans: a connection makes its generic plans once, often while the tables are
//   still small (an event's first minute on sale on a fresh store), when a scan looks cheapest,
//   and keeps them while bookings and booking_seats grow by thousands of rows a second.
constexpr Statement kBatchPlans{"batch_plans",
                                "SELECT set_config('plan_cache_mode', 'force_generic_plan', true), "
                                "set_config('enable_seqscan', 'off', true)"};

// --- reading bookings ------------------------------------------------------------------------

Booking BookingFromRow(const Rows& rows, std::size_t r) {
  Booking b;
  b.id = rows.Text(r, 0);
  b.booking_code = rows.Text(r, 1);
  b.user_id = rows.Text(r, 2);
  b.event.id = rows.Text(r, 3);
  b.event.name = rows.Text(r, 4);
  b.event.start_time = domain::FromEpochMillis(rows.Int(r, 5));
  b.total_amount = rows.Int(r, 6);
  b.currency = rows.Text(r, 7);
  b.status = domain::ParseBookingStatus(rows.Text(r, 8)).value_or(BookingStatus::kPending);
  b.expires_at = domain::FromEpochMillis(rows.Int(r, 9));
  b.created_at = domain::FromEpochMillis(rows.Int(r, 10));
  if (auto t = rows.OptInt(r, 11)) b.confirmed_at = domain::FromEpochMillis(*t);
  if (auto t = rows.OptInt(r, 12)) b.cancelled_at = domain::FromEpochMillis(*t);
  if (auto s = rows.OptText(r, 13)) b.refund_status = domain::ParseRefundStatus(*s);
  b.refund_amount = rows.Int(r, 14);
  return b;
}

// `rows`: the answer to kBookingSeats / kSeatsOfBookings* (in seat order), each row added to its
// booking in `by_id`; rows of other bookings are an error unless `others_too` allows them.
void AddSeatsOf(const Rows& rows, const std::map<std::string, Booking*>& by_id,
                bool others_too = false) {
  for (std::size_t r = 0; r < rows.size(); ++r) {
    auto it = by_id.find(rows.Text(r, 0));
    if (it == by_id.end()) {
      if (others_too) continue;
      throw SqlError(SqlError::Kind::kOther, "seats of a booking that was not asked for");
    }
    it->second->seats.push_back({rows.Text(r, 1), rows.Text(r, 2), rows.Text(r, 3),
                                 static_cast<int>(rows.Int(r, 4)), rows.Int(r, 5)});
  }
}

std::optional<Booking> ReadBooking(Connection& conn, const std::string& id) {
  std::vector<Rows> answers =
      conn.Pipeline(std::vector<Call>{{kFindBooking, {id}}, {kBookingSeats, {id}}});
  if (answers[0].empty()) return std::nullopt;
  Booking booking = BookingFromRow(answers[0], 0);
  AddSeatsOf(answers[1], {{booking.id, &booking}});
  return booking;
}

struct LockedBooking {
  BookingStatus status;
  TimePoint expires_at;
  std::string event_id;
  std::int64_t total_amount;
  TimePoint event_start;
};

// `rows`: the answer to a kLockBooking* statement, whole bookings as BookingFromRow reads them.
LockedBooking LockedFromRow(const Rows& rows, std::size_t r) {
  return LockedBooking{
      domain::ParseBookingStatus(rows.Text(r, 8)).value_or(BookingStatus::kPending),
      domain::FromEpochMillis(rows.Int(r, 9)), rows.Text(r, 3), rows.Int(r, 6),
      domain::FromEpochMillis(rows.Int(r, 5))};
}

std::optional<LockedBooking> LockBooking(Connection& conn, const std::string& id) {
  Rows rows = conn.Exec(Pick(conn, kLockBookingPg, kLockBookingSqlite), {id});
  if (rows.empty()) return std::nullopt;
  return LockedFromRow(rows, 0);
}

// Queues refunds for every charge of the booking that has none yet; returns the amount.
std::int64_t RefundOutstandingCharges(Connection& conn, const std::string& booking_id,
                                      const std::string& event_id, TimePoint now) {
  Rows payments = conn.Exec(kUnrefundedPayments, {booking_id});
  std::int64_t total = 0;
  for (std::size_t r = 0; r < payments.size(); ++r) {
    InsertRefund(conn, booking_id, payments.Text(r, 0), event_id, payments.Int(r, 1), now);
    total += payments.Int(r, 1);
  }
  return total;
}

std::optional<SeatChange> ExpireOne(Connection& conn, const std::string& booking_id,
                                    const std::string& event_id, TimePoint now,
                                    const ReleaseRules& rules) {
  if (conn.Exec(kMarkExpired, {booking_id, ToEpochMillis(now)}).affected() == 0) {
    return std::nullopt;
  }
  RecordActivity(conn, now, event_id, {.expirations = 1});
  return ReleaseSeats(conn, event_id, {SeatHolder::Kind::kBooking, booking_id}, now, rules);
}

// Cancels a live (pending or confirmed) booking whose row is locked: seats back on sale, the
// charge refunded when there was one, and the day's roll-up updated.
std::optional<SeatChange> CancelLocked(Connection& conn, const std::string& booking_id,
                                       const LockedBooking& locked, TimePoint now,
                                       const ReleaseRules& rules) {
  bool confirmed = locked.status == BookingStatus::kConfirmed;
  std::optional<SeatChange> released =
      ReleaseSeats(conn, locked.event_id, {SeatHolder::Kind::kBooking, booking_id}, now, rules);
  std::int64_t refund =
      confirmed ? RefundOutstandingCharges(conn, booking_id, locked.event_id, now) : 0;
  conn.Exec(kMarkCancelled, {booking_id, ToEpochMillis(now),
                             std::string(refund > 0 ? "processing" : "not_applicable"), refund});
  if (confirmed) {
    RecordActivity(conn, now, locked.event_id, {.cancellations = 1, .refunds = refund});
    RecordSale(conn, now, *ReadBooking(conn, booking_id), -1);
  } else {
    RecordActivity(conn, now, locked.event_id, {.abandoned = 1});
  }
  return released;
}

// The confirmations of one batch: their roll-ups, one seat-version step and one notice to other
// nodes are written once, after the last of them.
class ConfirmedBatch {
 public:
  void Add(TimePoint when, const Booking& booking) {
    event_id_ = booking.event.id;
    Day& day = days_[domain::FormatDate(when)];
    day.when = when;
    ++day.count;
    day.revenue += booking.total_amount;
    day.sold.event = booking.event;
    day.sold.seats.insert(day.sold.seats.end(), booking.seats.begin(), booking.seats.end());
    for (const auto& seat : booking.seats) seat_ids_.push_back(seat.seat_id);
  }
  bool empty() const { return days_.empty(); }
  // The event's seats on sale, read with the locks: a confirmation does not change it.
  void SetAvailable(std::int64_t available) { available_ = available; }
  // Returns the event's seats on sale, for the changes the confirmations publish.
  std::int64_t Write(Connection& conn) {
    for (const auto& [_, day] : days_) {
      RecordActivity(conn, day.when, event_id_,
                     {.confirmations = day.count, .revenue = day.revenue});
      RecordSale(conn, day.when, day.sold, +1);
    }
    return ChangeOf(conn, event_id_, std::move(seat_ids_), "booked", available_).available_seats;
  }

 private:
  struct Day {
    TimePoint when;
    std::int64_t count = 0;
    std::int64_t revenue = 0;
    Booking sold;  // every seat sold that day, as one booking
  };
  std::string event_id_;  // a batch is one event's
  std::map<std::string, Day> days_;
  std::vector<std::string> seat_ids_;
  std::int64_t available_ = 0;
};

// A charge that lost the race: its money goes back, and only its own: another charge may be
// what confirmed the booking. A pending booking past its time is left to the expiry worker,
// which releases its seats and publishes the change like any other expiry.
domain::Error RefundLost(Connection& conn, const domain::SucceededCharge& charge,
                         const LockedBooking& locked) {
  if (charge.amount > 0) {
    QueueChargeRefund(conn, charge.booking_id, charge.payment_id, locked.event_id, charge.amount,
                      charge.now);
  }
  if (locked.status == BookingStatus::kPending || locked.status == BookingStatus::kExpired) {
    return domain::MakeError(ErrorCode::kBookingExpired);
  }
  domain::Error error = domain::MakeError(ErrorCode::kBookingNotPending);
  error.details.strings = {{"status", std::string(domain::BookingStatusName(locked.status))}};
  return error;
}

// The charges succeeded, each for a different booking: a booking is confirmed if it still
// stands, else the payment is recorded with its refund (this path still commits: the money must
// be on record and go back). Each step is one statement for all the charges, and on PostgreSQL
// the whole is one round trip, the locks (which read the whole bookings) with their seats and
// the event's seats on sale; the writes go with the commit. The roll-ups and the seat change are
// left to the batch; the published change gets its availability then.
// `keys`: the charges' keys, claimed here and answered by the caller.
void ConfirmDistinct(Connection& conn, const std::vector<const domain::SucceededCharge*>& charges,
                     std::vector<std::optional<Result<BookingChange>>>& results,
                     const std::vector<std::size_t>& slots, ConfirmedBatch& batch,
                     BatchKeys& keys) {
  Dialect dialect = conn.dialect();
  const std::string& event_id = charges.front()->event_id;
  std::vector<std::string> ids;
  ids.reserve(charges.size());
  for (const auto* charge : charges) ids.push_back(charge->booking_id);
  // The bookings' seats come with the locks: booking_seats never changes after the hold, and
  // the seats are then written by key.
  std::string all_list = IdList(dialect, ids);
  // The keyed confirmations' claims go after the locks. A claim refused does not stop its
  // charge from being recorded (the money was taken): it only decides the answer.
  JsonRows attempt_rows;
  for (const auto* charge : charges) {
    if (!charge->attempt_id.empty())
      attempt_rows.Row().Text(charge->attempt_id).Text(charge->reference);
  }
  bool any_attempt = !attempt_rows.empty();
  std::int64_t first_now = ToEpochMillis(charges.front()->now);
  std::vector<Call> calls{{Pick(conn, kLockBookingsPg, kLockBookingsSqlite), {all_list}},
                          {Pick(conn, kSeatsOfBookingsPg, kSeatsOfBookingsSqlite), {all_list}},
                          AvailableSeatsCall(event_id)};
  if (any_attempt) {
    calls.push_back(
        {Pick(conn, kRecordAttemptsPg, kRecordAttemptsSqlite), {attempt_rows.Close(), first_now}});
  }
  const std::size_t first_claim = calls.size();
  keys.AddClaims(calls);
  std::vector<Rows> locked_and_seats = conn.Pipeline(calls);
  keys.Read(conn, locked_and_seats, first_claim);
  std::set<std::string> recorded;  // attempts this transaction records
  if (any_attempt) {
    const Rows& rows = locked_and_seats[3];
    for (std::size_t r = 0; r < rows.size(); ++r) recorded.insert(rows.Text(r, 0));
  }
  const Rows& lock_rows = locked_and_seats[0];
  const Rows& seat_rows = locked_and_seats[1];
  batch.SetAvailable(locked_and_seats[2].Int(0, 0));
  std::map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < lock_rows.size(); ++r) row_of[lock_rows.Text(r, 0)] = r;

  JsonRows payments;
  std::vector<std::size_t> open;  // index into charges
  std::vector<std::pair<std::size_t, LockedBooking>> lost;
  std::vector<std::string> open_ids;
  std::int64_t latest = 0;
  for (std::size_t i = 0; i < charges.size(); ++i) {
    const domain::SucceededCharge& charge = *charges[i];
    auto found = row_of.find(charge.booking_id);
    if (found == row_of.end()) {
      results[slots[i]].emplace(domain::MakeError(ErrorCode::kBookingNotFound));
      continue;
    }
    LockedBooking locked = LockedFromRow(lock_rows, found->second);
    if (locked.event_id != event_id || charge.event_id != event_id) {
      throw SqlError(SqlError::Kind::kOther, "a confirmation queued on another event's batch");
    }
    if (!charge.attempt_id.empty() && !recorded.contains(charge.attempt_id)) {
      // Settled by the reconciler after its lease ran out: its money went back already.
      results[slots[i]].emplace(
          domain::MakeError(ErrorCode::kPaymentFailed,
                            "The payment took too long and was voided; nothing was charged"));
      continue;
    }
    std::int64_t now = ToEpochMillis(charge.now);
    // A free booking has no charge, so no payment row (and nothing to refund if it loses).
    if (charge.amount > 0) {
      payments.Row()
          .Text(charge.payment_id)
          .Text(charge.booking_id)
          .Int(charge.amount)
          .Text(charge.currency)
          .Text(charge.method)
          .Text(charge.reference)
          .Int(now);
      if (charge.attempt_id.empty()) {
        payments.Null();
      } else {
        payments.Text(charge.attempt_id);
      }
      if (charge.captured) {
        payments.Int(now);
      } else {
        payments.Null();
      }
    }
    // A charge whose key answered already (a twin that raced its first to the gateway) never
    // confirms: its money goes back, and its answer is the one under the key.
    if (locked.status == BookingStatus::kPending && charge.now < locked.expires_at &&
        keys.Proceeds(i)) {
      open.push_back(i);
      open_ids.push_back(charge.booking_id);
      latest = std::max(latest, now);
    } else {
      lost.emplace_back(i, std::move(locked));
    }
  }
  // The payments first: a lost charge's refund refers to its payment.
  if (!payments.empty()) {
    conn.Defer(Pick(conn, kInsertPaymentsPg, kInsertPaymentsSqlite), {event_id, payments.Close()});
  }
  for (const auto& [i, locked] : lost) {
    results[slots[i]].emplace(RefundLost(conn, *charges[i], locked));
  }
  if (open.empty()) return;
  std::string open_list = IdList(dialect, open_ids);
  conn.Defer(Pick(conn, kMarkConfirmedPg, kMarkConfirmedSqlite), {open_list, latest});
  std::set<std::string> open_set(open_ids.begin(), open_ids.end());
  std::vector<std::string> open_seats;
  for (std::size_t r = 0; r < seat_rows.size(); ++r) {
    if (open_set.contains(seat_rows.Text(r, 0))) open_seats.push_back(seat_rows.Text(r, 1));
  }
  auto seat_count = static_cast<std::int64_t>(open_seats.size());
  if (dialect == Dialect::kPostgres) {
    conn.Defer(kBookSeatsPg, {IdList(dialect, open_seats), latest, open_list, seat_count});
  } else if (conn.Exec(kBookSeatsSqlite, {IdList(dialect, open_seats), latest, open_list})
                 .affected() != seat_count) {
    throw SqlError(SqlError::Kind::kOther, "bookings lost seats while pending");
  }
  // The bookings as the locks read them, with what kMarkConfirmed* wrote.
  std::map<std::string, Booking> bookings;
  std::map<std::string, Booking*> by_id;
  for (const std::string& id : open_ids) {
    Booking b = BookingFromRow(lock_rows, row_of.at(id));
    b.status = BookingStatus::kConfirmed;
    b.confirmed_at = domain::FromEpochMillis(latest);
    auto [it, _] = bookings.emplace(b.id, std::move(b));
    by_id[it->first] = &it->second;
  }
  AddSeatsOf(seat_rows, by_id, /*others_too=*/true);
  for (std::size_t i : open) {
    const domain::SucceededCharge& charge = *charges[i];
    Booking booking = std::move(bookings.at(charge.booking_id));
    std::vector<std::string> seat_ids;
    for (const auto& seat : booking.seats) seat_ids.push_back(seat.seat_id);
    batch.Add(charge.now, booking);
    SeatChange change{event_id, std::move(seat_ids), "booked", 0};
    WriteNotification(conn, booking.user_id, booking.event.id,
                      domain::BookingConfirmedNotice(booking.event.name, booking.booking_code,
                                                     booking.seats.size(), booking.total_amount,
                                                     booking.currency),
                      {}, charge.now);
    results[slots[i]].emplace(BookingChange{std::move(booking), {std::move(change)}});
  }
}

// Confirms in rounds of distinct bookings and keys: a second charge for the same booking (a
// client that sent its confirmation twice) must see what the first one did, and a key already
// claimed in this transaction is found answered.
std::vector<Result<BookingChange>> ConfirmAll(
    Connection& conn, const std::vector<const domain::SucceededCharge*>& charges,
    ConfirmedBatch& batch) {
  std::vector<std::optional<Result<BookingChange>>> results(charges.size());
  std::vector<std::size_t> pending(charges.size());
  std::iota(pending.begin(), pending.end(), std::size_t{0});
  while (!pending.empty()) {
    std::set<std::string> seen;
    std::set<std::pair<std::string, std::string>> seen_keys;
    std::vector<const domain::SucceededCharge*> round;
    std::vector<std::size_t> slots, later;
    for (std::size_t i : pending) {
      const domain::SucceededCharge& charge = *charges[i];
      bool fresh_key = !charge.keyed || !seen_keys.contains({charge.keyed->request.user_id,
                                                             charge.keyed->request.key});
      if (fresh_key && seen.insert(charge.booking_id).second) {
        if (charge.keyed) {
          seen_keys.insert({charge.keyed->request.user_id, charge.keyed->request.key});
        }
        round.push_back(&charge);
        slots.push_back(i);
      } else {
        later.push_back(i);
      }
    }
    BatchKeys keys = BatchKeys::Of(
        round, [](const domain::SucceededCharge& charge) { return charge.payment_id; });
    ConfirmDistinct(conn, round, results, slots, batch, keys);
    std::vector<Result<BookingChange>> outcomes;
    outcomes.reserve(slots.size());
    for (std::size_t slot : slots) outcomes.push_back(*results[slot]);
    keys.Answer(conn, outcomes);
    pending = std::move(later);
  }
  std::vector<Result<BookingChange>> out;
  out.reserve(results.size());
  for (auto& result : results) out.push_back(std::move(*result));
  return out;
}

// The booking `locked` (as LockBooking read it, if there is one) cancelled, or why not.
Result<BookingChange> CancelLockedBooking(Connection& conn, const std::string& booking_id,
                                          const std::optional<LockedBooking>& locked, TimePoint now,
                                          const ReleaseRules& rules) {
  if (!locked) return domain::MakeError(ErrorCode::kBookingNotFound);
  bool live =
      locked->status == BookingStatus::kPending || locked->status == BookingStatus::kConfirmed;
  if (!live || now >= locked->event_start) {
    domain::Error error = domain::MakeError(
        ErrorCode::kBookingNotCancellable,
        live ? "The event has already started"
             : "Booking is " + std::string(domain::BookingStatusName(locked->status)));
    error.details.strings = {{"status", std::string(domain::BookingStatusName(locked->status))}};
    return error;
  }
  std::optional<SeatChange> released = CancelLocked(conn, booking_id, *locked, now, rules);
  Booking booking = *ReadBooking(conn, booking_id);
  WriteNotification(conn, booking.user_id, booking.event.id,
                    domain::BookingCancelledNotice(booking.event.name, booking.booking_code,
                                                   booking.refund_amount, booking.currency),
                    {}, now);
  BookingChange change{std::move(booking), {}};
  if (released) change.seats.push_back(std::move(*released));
  return change;
}

}  // namespace

namespace {

std::size_t BatchThreads(const Database& db, std::size_t asked) {
  if (asked > 0) return asked;
  return db.dialect() == Dialect::kSqlite ? 1 : 4;
}

}  // namespace

BookingStore::BookingStore(Database& db, BookingStoreOptions options)
    : db_(db),
      options_(options),
      threads_(BatchThreads(db, options.batch_threads)),
      batches_(
          threads_, options.max_batch, [this](const auto& batch) { RunBatch(batch); },
          [](const std::vector<PendingWrite*>& batch) {
            return static_cast<std::uint64_t>(std::count_if(
                batch.begin(), batch.end(), [](const PendingWrite* p) { return p->hold; }));
          },
          options.max_queue_wait) {}

ReleaseRules BookingStore::Rules() const { return ReleaseRules{options_.offers, true}; }

BatchStats BookingStore::Stats() const { return batches_.Stats(); }

Result<BookingChange> BookingStore::Hold(const domain::HoldRequest& request) {
  PendingWrite me;
  me.hold = &request;
  return Submit(request.event_id, me);
}

Result<BookingChange> BookingStore::Submit(const std::string& event_id, PendingWrite& me) {
  batches_.SubmitAndWait(event_id, me);
  if (me.failure) std::rethrow_exception(me.failure);
  return std::move(*me.result);
}

// Holds first (they lock the event row on PostgreSQL before any booking row), then the
// confirmations, each deciding on its own booking, all in one commit.
void BookingStore::RunBatch(const std::vector<PendingWrite*>& batch) {
  std::vector<const domain::HoldRequest*> holds;
  std::vector<PendingWrite*> hold_writes;
  for (PendingWrite* p : batch) {
    if (p->hold) {
      holds.push_back(p->hold);
      hold_writes.push_back(p);
    }
  }
  db_.Write([&](Connection& conn) {
    if (conn.dialect() == Dialect::kPostgres) conn.Defer(kBatchPlans, {});
    if (!holds.empty()) {
      std::vector<Result<BookingChange>> results = HoldBatch(conn, holds, Rules());
      for (std::size_t i = 0; i < hold_writes.size(); ++i) {
        hold_writes[i]->result.emplace(std::move(results[i]));
      }
    }
    ConfirmedBatch confirmed;
    std::vector<const domain::SucceededCharge*> charges;
    for (PendingWrite* p : batch) {
      if (p->charge) charges.push_back(p->charge);
    }
    if (charges.empty()) return;
    std::vector<Result<BookingChange>> confirmations = ConfirmAll(conn, charges, confirmed);
    std::size_t next = 0;
    for (PendingWrite* p : batch) {
      if (p->charge) p->result.emplace(std::move(confirmations[next++]));
    }
    if (confirmed.empty()) return;
    std::int64_t available = confirmed.Write(conn);
    for (PendingWrite* p : batch) {
      if (p->charge && p->result->ok())
        p->result->value().seats.front().available_seats = available;
    }
  });
}

std::optional<Booking> BookingStore::Find(const std::string& booking_id) {
  std::optional<Booking> booking;
  db_.Read([&](Connection& conn) { booking = ReadBooking(conn, booking_id); });
  return booking;
}

domain::Page<Booking> BookingStore::ListForUser(const std::string& user_id,
                                                std::optional<BookingStatus> status,
                                                domain::PageRequest page) {
  domain::Page<Booking> out;
  std::string filter = status ? std::string(domain::BookingStatusName(*status)) : std::string();
  db_.Read([&](Connection& conn) {
    out.items.clear();
    std::vector<Rows> page_rows = conn.Pipeline(
        std::vector<Call>{{kCountBookings, {user_id, filter}},
                          {kListBookings, {user_id, filter, page.per_page, page.offset()}}});
    out.total = page_rows[0].Int(0, 0);
    const Rows& rows = page_rows[1];
    if (rows.empty()) return;
    std::vector<std::string> ids;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      out.items.push_back(BookingFromRow(rows, r));
      ids.push_back(out.items.back().id);
    }
    std::map<std::string, Booking*> by_id;
    for (Booking& b : out.items) by_id[b.id] = &b;
    AddSeatsOf(conn.Exec(Pick(conn, kSeatsOfBookingsPg, kSeatsOfBookingsSqlite),
                         {IdList(conn.dialect(), ids)}),
               by_id);
  });
  return out;
}

Result<BookingChange> BookingStore::ConfirmPaid(const domain::SucceededCharge& charge) {
  PendingWrite me;
  me.charge = &charge;
  return Submit(charge.event_id, me);
}

void BookingStore::FindAnswer(domain::BookingAnswer& keyed) {
  keyed.Undecide();
  db_.Read([&](Connection& conn) {
    std::optional<FoundAnswer> found = ReadAnswer(conn, keyed.request);
    if (!found) return;
    keyed.found = found->same_request ? domain::BookingAnswer::Found::kReplay
                                      : domain::BookingAnswer::Found::kMismatch;
    if (found->same_request) keyed.answer = std::move(found->answer);
  });
}

void BookingStore::BeginPaymentAttempt(const domain::PaymentAttempt& attempt) {
  db_.Write([&](Connection& conn) { InsertAttempt(conn, attempt); });
}

void BookingStore::RecordFailedPayment(const std::string& booking_id, const std::string& attempt_id,
                                       const std::string& method, std::int64_t amount,
                                       const std::string& currency, const domain::Error& error,
                                       TimePoint now, domain::BookingAnswer* keyed) {
  std::string payment_id = domain::NewUuidV7(now);
  db_.Write([&](Connection& conn) {
    auto locked = LockBooking(conn, booking_id);
    if (!locked) return;
    if (!attempt_id.empty()) conn.Exec(kFailAttempt, {attempt_id, ToEpochMillis(now)});
    conn.Exec(kInsertPayment,
              {payment_id, booking_id, locked->event_id, amount, currency, method,
               std::string("failed"), nullptr, std::string(error.Message()), ToEpochMillis(now)});
    if (!keyed) return;
    keyed->Undecide();
    if (ClaimKey(conn, keyed->request, payment_id)) {
      Answer(conn, *keyed, payment_id, Result<Booking>(error));
    } else {
      TakeFound(conn, *keyed);
    }
  });
}

Result<BookingChange> BookingStore::Cancel(const std::string& booking_id, TimePoint now,
                                           domain::BookingAnswer* keyed) {
  std::optional<Result<BookingChange>> outcome;
  std::string claim = domain::NewUuidV7(now);
  db_.Write([&](Connection& conn) {
    outcome.reset();
    auto locked = LockBooking(conn, booking_id);
    // After the booking's lock, as a batch claims after the event's: one order of locks.
    if (keyed) {
      keyed->Undecide();
      if (!ClaimKey(conn, keyed->request, claim)) {
        TakeFound(conn, *keyed);
        outcome.emplace(domain::MakeError(ErrorCode::kIdempotencyKeyMismatch));
        return;
      }
    }
    outcome.emplace(CancelLockedBooking(conn, booking_id, locked, now, Rules()));
    if (keyed) Answer(conn, *keyed, claim, OutcomeOf(*outcome));
  });
  return std::move(*outcome);
}

std::vector<SeatChange> BookingStore::ExpireDue(TimePoint now, int limit) {
  std::vector<SeatChange> changes;
  db_.Write([&](Connection& conn) {
    changes.clear();
    Rows due = conn.Exec(Pick(conn, kDuePg, kDueSqlite), {ToEpochMillis(now), std::int64_t{limit}});
    for (std::size_t r = 0; r < due.size(); ++r) {
      auto locked = LockBooking(conn, due.Text(r, 0));
      if (!locked) continue;
      if (auto change = ExpireOne(conn, due.Text(r, 0), locked->event_id, now, Rules())) {
        changes.push_back(std::move(*change));
      }
    }
  });
  return changes;
}

std::vector<SeatChange> BookingStore::CancelEventBookings(const std::string& event_id,
                                                          TimePoint now) {
  std::vector<SeatChange> changes;
  db_.Write([&](Connection& conn) {
    changes.clear();
    // Nothing is offered any more: the seats of the event go back to plain availability.
    ReleaseRules closing{options_.offers, /*offers_allowed=*/false};
    Rows name_row = conn.Exec(kEventNameForNotice, {event_id});
    std::string name = name_row.empty() ? std::string() : name_row.Text(0, 0);
    Rows live = conn.Exec(Pick(conn, kLiveOfEventPg, kLiveOfEventSqlite), {event_id});
    for (std::size_t r = 0; r < live.size(); ++r) {
      const std::string& id = live.Text(r, 0);
      auto locked = LockBooking(conn, id);
      if (!locked) continue;
      if (auto change = CancelLocked(conn, id, *locked, now, closing)) {
        changes.push_back(std::move(*change));
      }
      WriteNotification(conn, live.Text(r, 1), event_id, domain::EventCancelledNotice(name, true),
                        {}, now);
    }
    Rows waiting = conn.Exec(Pick(conn, kActiveEntriesPg, kActiveEntriesSqlite), {event_id});
    for (std::size_t r = 0; r < waiting.size(); ++r) {
      std::string entry = waiting.Text(r, 0);
      if (auto change =
              ReleaseSeats(conn, event_id, {SeatHolder::Kind::kOffer, entry}, now, closing)) {
        changes.push_back(std::move(*change));
      }
      conn.Exec(kCloseEntry, {entry, ToEpochMillis(now)});
      WriteNotification(conn, waiting.Text(r, 1), event_id,
                        domain::EventCancelledNotice(name, false),
                        {waiting.Int(r, 2) != 0, waiting.Int(r, 3) != 0}, now);
    }
  });
  return changes;
}

std::vector<domain::DueRefund> BookingStore::ClaimDueRefunds(TimePoint now, domain::Millis lease,
                                                             int limit) {
  std::vector<domain::DueRefund> due;
  db_.Write([&](Connection& conn) {
    due.clear();
    Rows rows = conn.Exec(Pick(conn, kClaimRefundsPg, kClaimRefundsSqlite),
                          {ToEpochMillis(now), ToEpochMillis(now + lease), std::int64_t{limit}});
    for (std::size_t r = 0; r < rows.size(); ++r) {
      Rows reference = conn.Exec(kPaymentReference, {rows.Text(r, 2)});
      due.push_back({rows.Text(r, 0), rows.Text(r, 1),
                     reference.empty() ? std::string() : reference.OptText(0, 0).value_or(""),
                     rows.Int(r, 3), rows.Int(r, 4) - 1});
    }
  });
  return due;
}

void BookingStore::CompleteRefund(const std::string& refund_id, TimePoint now) {
  db_.Write([&](Connection& conn) {
    Rows done = conn.Exec(kCompleteRefund, {refund_id, ToEpochMillis(now)});
    if (done.empty()) return;
    conn.Exec(kPaymentRefunded, {done.Text(0, 1)});
    conn.Exec(kBookingRefundDone, {done.Text(0, 0), std::string("completed")});
    Rows facts = conn.Exec(kRefundNoticeFacts, {done.Text(0, 0)});
    WriteNotification(conn, facts.Text(0, 0), facts.Text(0, 1),
                      domain::RefundCompletedNotice(facts.Text(0, 2), facts.Text(0, 3),
                                                    done.Int(0, 2), facts.Text(0, 4)),
                      {}, now);
  });
}

void BookingStore::RetryRefundLater(const std::string& refund_id, TimePoint next_attempt,
                                    bool give_up) {
  db_.Write([&](Connection& conn) {
    Rows rows = conn.Exec(kRetryRefund,
                          {refund_id, ToEpochMillis(next_attempt), std::int64_t{give_up ? 1 : 0}});
    if (give_up && !rows.empty()) {
      conn.Exec(kBookingRefundDone, {rows.Text(0, 0), std::string("failed")});
    }
  });
}

}  // namespace evently::storage
