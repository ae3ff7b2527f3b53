#include "storage/payment_ledger_store.hpp"

#include "domain/ids.hpp"

namespace evently::storage {
namespace {

using domain::FromEpochMillis;
using domain::ToEpochMillis;

constexpr Statement kBegin{
    "attempt_begin",
    "INSERT INTO payment_attempts (id, booking_id, user_id, amount, currency, gateway, method, "
    "state, created_at, lease_until) VALUES ($1, $2, $3, $4, $5, $6, $7, 'started', $8, $9)"};
#define EVENTLY_STALE_ATTEMPTS(lock)                                                           \
  "UPDATE payment_attempts SET lease_until = $2 WHERE id IN (SELECT id FROM payment_attempts " \
  "WHERE state = 'started' AND lease_until <= $1 ORDER BY lease_until LIMIT $3" lock           \
  ") "                                                                                         \
  "RETURNING id, booking_id, user_id, amount, currency, gateway, method, created_at, lease_until"
constexpr Statement kClaimStalePg{"attempts_claim_stale",
                                  EVENTLY_STALE_ATTEMPTS(" FOR UPDATE SKIP LOCKED")};
constexpr Statement kClaimStaleSqlite{"attempts_claim_stale", EVENTLY_STALE_ATTEMPTS("")};
#undef EVENTLY_STALE_ATTEMPTS
constexpr Statement kSettle{
    "attempt_settle",
    "UPDATE payment_attempts SET state = $2, settled_at = $3, gateway_reference = $4 "
    "WHERE id = $1 AND state = 'started'"};
constexpr Statement kInsertLostPayment{
    "payment_insert_lost",
    "INSERT INTO payments (id, booking_id, event_id, amount, currency, method, status, "
    "gateway_reference, created_at, attempt_id, captured_at) SELECT $1, b.id, b.event_id, $3, $4, "
    "$5, 'succeeded', $6, $7, $8, $9 FROM bookings b WHERE b.id = $2 RETURNING event_id"};
constexpr Statement kInsertRefund{
    "refund_insert",
    "INSERT INTO refunds (id, booking_id, payment_id, event_id, amount, status, attempts, "
    "next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 'processing', 0, $6, $6)"};
constexpr Statement kSetRefundState{
    "booking_refund_state",
    "UPDATE bookings SET refund_status = $2, refund_amount = refund_amount + $3, updated_at = $4 "
    "WHERE id = $1"};
// Only a confirmed booking's authorization is captured; a cancelled one's is voided by its refund.
#define EVENTLY_UNCAPTURED(lock)                                                                   \
  "UPDATE payments SET capture_lease_until = $2 WHERE id IN (SELECT p.id FROM payments p "         \
  "JOIN bookings b ON b.id = p.booking_id WHERE p.status = 'succeeded' AND p.captured_at IS NULL " \
  "AND b.status = 'confirmed' AND p.capture_lease_until <= $1 ORDER BY p.created_at LIMIT $3" lock \
  ") RETURNING id, gateway_reference, amount"
constexpr Statement kClaimUncapturedPg{"payments_claim_uncaptured",
                                       EVENTLY_UNCAPTURED(" FOR UPDATE OF p SKIP LOCKED")};
constexpr Statement kClaimUncapturedSqlite{"payments_claim_uncaptured", EVENTLY_UNCAPTURED("")};
#undef EVENTLY_UNCAPTURED
constexpr Statement kMarkCaptured{"payment_captured",
                                  "UPDATE payments SET captured_at = $2 WHERE id = $1"};

}  // namespace

void InsertAttempt(Connection& conn, const domain::PaymentAttempt& a) {
  conn.Exec(kBegin, {a.id, a.booking_id, a.user_id, a.amount, a.currency, a.gateway, a.method,
                     ToEpochMillis(a.created_at), ToEpochMillis(a.lease_until)});
}

void InsertRefund(Connection& conn, const std::string& booking_id, const std::string& payment_id,
                  const std::string& event_id, std::int64_t amount, domain::TimePoint now) {
  conn.Defer(kInsertRefund, {domain::NewUuidV7(now), booking_id, payment_id, event_id, amount,
                             ToEpochMillis(now)});
}

void QueueChargeRefund(Connection& conn, const std::string& booking_id,
                       const std::string& payment_id, const std::string& event_id,
                       std::int64_t amount, domain::TimePoint now) {
  InsertRefund(conn, booking_id, payment_id, event_id, amount, now);
  conn.Defer(kSetRefundState, {booking_id, std::string("processing"), amount, ToEpochMillis(now)});
}

std::vector<domain::PaymentAttempt> PaymentLedgerStore::ClaimStale(domain::TimePoint now,
                                                                   domain::Millis lease,
                                                                   int limit) {
  std::vector<domain::PaymentAttempt> out;
  db_.Write([&](Connection& conn) {
    out.clear();
    Rows rows = conn.Exec(Pick(conn, kClaimStalePg, kClaimStaleSqlite),
                          {ToEpochMillis(now), ToEpochMillis(now + lease), std::int64_t{limit}});
    for (std::size_t r = 0; r < rows.size(); ++r) {
      out.push_back({rows.Text(r, 0), rows.Text(r, 1), rows.Text(r, 2), rows.Int(r, 3),
                     rows.Text(r, 4), rows.Text(r, 5), rows.Text(r, 6),
                     FromEpochMillis(rows.Int(r, 7)), FromEpochMillis(rows.Int(r, 8))});
    }
  });
  return out;
}

bool PaymentLedgerStore::Fail(const std::string& attempt_id, domain::TimePoint now) {
  bool failed = false;
  db_.Write([&](Connection& conn) {
    failed = conn.Exec(kSettle, {attempt_id, std::string("failed"), ToEpochMillis(now), nullptr})
                 .affected() > 0;
  });
  return failed;
}

bool PaymentLedgerStore::RecordLost(const domain::PaymentAttempt& attempt,
                                    const domain::ChargeReceipt& charge, domain::TimePoint now) {
  bool recorded = false;
  db_.Write([&](Connection& conn) {
    std::int64_t at = ToEpochMillis(now);
    recorded =
        conn.Exec(kSettle, {attempt.id, std::string("voided"), at, charge.reference}).affected() >
        0;
    if (!recorded) return;
    std::string payment_id = domain::NewUuidV7(now);
    Param captured = charge.captured ? Param(at) : Param(nullptr);
    Rows event = conn.Exec(kInsertLostPayment,
                           {payment_id, attempt.booking_id, attempt.amount, attempt.currency,
                            attempt.method, charge.reference, at, attempt.id, captured});
    QueueChargeRefund(conn, attempt.booking_id, payment_id, event.Text(0, 0), attempt.amount, now);
  });
  return recorded;
}

std::vector<domain::PaymentLedger::Uncaptured> PaymentLedgerStore::ClaimUncaptured(
    domain::TimePoint now, domain::Millis lease, int limit) {
  std::vector<Uncaptured> out;
  db_.Write([&](Connection& conn) {
    out.clear();
    Rows rows = conn.Exec(Pick(conn, kClaimUncapturedPg, kClaimUncapturedSqlite),
                          {ToEpochMillis(now), ToEpochMillis(now + lease), std::int64_t{limit}});
    for (std::size_t r = 0; r < rows.size(); ++r) {
      out.push_back({rows.Text(r, 0), rows.OptText(r, 1).value_or(""), rows.Int(r, 2)});
    }
  });
  return out;
}

void PaymentLedgerStore::MarkCaptured(const std::string& payment_id, domain::TimePoint now) {
  db_.Write([&](Connection& conn) { conn.Exec(kMarkCaptured, {payment_id, ToEpochMillis(now)}); });
}

}  // namespace evently::storage
