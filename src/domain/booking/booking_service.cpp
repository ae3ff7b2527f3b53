#include "domain/booking/booking_service.hpp"

#include <algorithm>
#include <iterator>
#include <set>

#include "domain/ids.hpp"

namespace evently::domain {

BookingService::BookingService(BookingStore& store, PaymentGateway& gateway,
                               SeatChangeSink& changes, const Clock& clock, BookingPolicy policy)
    : store_(store),
      gateway_(gateway),
      changes_(changes),
      clock_(clock),
      policy_(policy),
      held_(policy.remembered_holds) {}

Result<Booking> BookingService::Hold(const Principal& who, const std::string& event_id,
                                     const std::vector<std::string>& seat_ids, BookingAnswer* keyed,
                                     bool admitted) {
  if (!IsUuid(event_id)) return ValidationError("event_id", "must be a UUID");
  if (seat_ids.empty() || seat_ids.size() > policy_.max_seats) {
    return ValidationError(
        "seat_ids", "must hold between 1 and " + std::to_string(policy_.max_seats) + " seat ids");
  }
  std::vector<FieldIssue> issues;
  std::set<std::string> distinct;
  std::vector<std::string> normalized;
  for (std::size_t i = 0; i < seat_ids.size(); ++i) {
    std::string field = "seat_ids[" + std::to_string(i) + "]";
    if (!IsUuid(seat_ids[i])) {
      issues.push_back({field, "must be a UUID"});
    } else if (!distinct.insert(NormalizeUuid(seat_ids[i])).second) {
      issues.push_back({field, "is a duplicate"});
    } else {
      normalized.push_back(NormalizeUuid(seat_ids[i]));
    }
  }
  if (!issues.empty()) return ValidationError(std::move(issues));
  TimePoint now = clock_.Now();
  HoldRequest request{NewUuidV7(now),
                      NormalizeUuid(event_id),
                      who.user_id,
                      std::move(normalized),
                      now,
                      now + policy_.hold_time,
                      keyed,
                      admitted};
  Result<Booking> held = Committed(store_.Hold(request));
  if (held.ok()) held_.Remember(held.value(), now);
  return held;
}

Result<Booking> BookingService::Visible(const Principal& who, const std::string& booking_id,
                                        bool owner_only) {
  if (!IsUuid(booking_id)) return MakeError(ErrorCode::kBookingNotFound);
  std::optional<Booking> booking = store_.Find(NormalizeUuid(booking_id));
  if (!booking) return MakeError(ErrorCode::kBookingNotFound);
  bool allowed = booking->user_id == who.user_id || (!owner_only && who.is_admin());
  if (!allowed) return MakeError(ErrorCode::kBookingNotFound);
  return std::move(*booking);
}

namespace {

Error NotPending(const Booking& booking) {
  if (booking.status == BookingStatus::kExpired) return MakeError(ErrorCode::kBookingExpired);
  Error error = MakeError(ErrorCode::kBookingNotPending,
                          "Booking is " + std::string(BookingStatusName(booking.status)));
  error.details.strings = {{"status", std::string(BookingStatusName(booking.status))}};
  return error;
}

}  // namespace

Result<Booking> BookingService::Confirm(const Principal& who, const std::string& booking_id,
                                        const PaymentDetails& payment, BookingAnswer* keyed) {
  // A retry of a confirmation that was answered gets that answer, before anything is charged.
  if (keyed) {
    store_.FindAnswer(*keyed);
    if (keyed->decided()) return MakeError(ErrorCode::kIdempotencyKeyMismatch);
  }
  // What the charge needs: remembered from the hold when it was made on this node, else read.
  std::string id = IsUuid(booking_id) ? NormalizeUuid(booking_id) : std::string();
  std::optional<HeldBookings::Facts> facts;
  if (!id.empty()) facts = held_.Find(id);
  if (!facts || facts->user_id != who.user_id) {
    Result<Booking> found = Visible(who, booking_id, /*owner_only=*/true);
    if (!found.ok()) return found;
    const Booking& booking = found.value();
    if (booking.status != BookingStatus::kPending) return NotPending(booking);
    facts = HeldBookings::FactsOf(booking);
  }
  if (clock_.Now() >= facts->expires_at) return MakeError(ErrorCode::kBookingExpired);

  // A free booking (every seat priced 0) is confirmed without a charge: there is nothing to take
  // and, on cancellation, nothing to give back. Otherwise the attempt is recorded first, the
  // charge runs outside any transaction, and ConfirmPaid decides, atomically, whether the
  // booking still stands or the money goes back. A crash (or a store failure) anywhere after the
  // attempt leaves it started, and the reconciler settles it once its lease runs out.
  std::string reference, attempt_id;
  bool captured = true;
  if (facts->total_amount > 0) {
    TimePoint started = clock_.Now();
    attempt_id = NewUuidV7(started);
    store_.BeginPaymentAttempt({attempt_id, id, facts->user_id, facts->total_amount,
                                facts->currency, std::string(gateway_.name()), payment.method,
                                started, started + policy_.payment_lease});
    ChargeRequest charge{attempt_id, id, facts->total_amount, facts->currency, payment};
    Result<ChargeReceipt> receipt = gateway_.Charge(charge);
    if (!receipt.ok()) {
      // A decline is on record with its attempt; any other failure leaves the attempt to the
      // reconciler, which asks the gateway what became of it.
      if (receipt.error().code == ErrorCode::kPaymentFailed) {
        store_.RecordFailedPayment(id, attempt_id, payment.method, facts->total_amount,
                                   facts->currency, receipt.error(), clock_.Now(), keyed);
      }
      return receipt.error();
    }
    reference = receipt->reference;
    captured = receipt->captured;
  }
  TimePoint now = clock_.Now();
  SucceededCharge charge{NewUuidV7(now),     id,        facts->event_id,      facts->user_id,
                         payment.method,     reference, facts->total_amount,  facts->currency,
                         now,                keyed,     attempt_id,           captured};
  return Decided(id, store_.ConfirmPaid(charge));
}

Result<Booking> BookingService::Decided(const std::string& booking_id,
                                        Result<BookingChange> change) {
  // Confirmed, or it had stopped being pending: either way no longer a pending hold.
  held_.Forget(booking_id);
  return Committed(std::move(change));
}

Result<Booking> BookingService::Cancel(const Principal& who, const std::string& booking_id,
                                       BookingAnswer* keyed) {
  Result<Booking> found = Visible(who, booking_id, /*owner_only=*/false);
  if (!found.ok()) return found;
  return Decided(found->id, store_.Cancel(found->id, clock_.Now(), keyed));
}

Result<Booking> BookingService::Committed(Result<BookingChange> change) {
  if (!change.ok()) return std::move(change).error();
  for (const SeatChange& seats : change->seats) changes_.Publish(seats);
  return std::move(change->booking);
}

Result<Booking> BookingService::Get(const Principal& who, const std::string& booking_id) {
  return Visible(who, booking_id, /*owner_only=*/false);
}

Page<Booking> BookingService::ListMine(const Principal& who, std::optional<BookingStatus> status,
                                       PageRequest page) {
  return store_.ListForUser(who.user_id, status, page);
}

Result<PaymentIntent> BookingService::Intent(const Principal& who, const std::string& booking_id) {
  Result<Booking> found = Visible(who, booking_id, /*owner_only=*/true);
  if (!found.ok()) return found.error();
  const Booking& b = found.value();
  std::string status = b.status == BookingStatus::kConfirmed ? "succeeded"
                       : b.status == BookingStatus::kPending ? "requires_payment_method"
                                                             : "canceled";
  if (b.status == BookingStatus::kPending && clock_.Now() >= b.expires_at) status = "canceled";
  // The client token names the booking; it is what a browser SDK would exchange for a charge.
  return PaymentIntent{b.id,        b.total_amount,       b.currency,
                       status,      "pi_sandbox_" + b.id, std::string(gateway_.name()),
                       b.expires_at};
}

int BookingService::ExpireDue(int limit) {
  std::vector<SeatChange> released = store_.ExpireDue(clock_.Now(), limit);
  for (const auto& change : released) changes_.Publish(change);
  return static_cast<int>(released.size());
}

int BookingService::CancelEventBookings(const std::string& event_id) {
  std::vector<SeatChange> released = store_.CancelEventBookings(event_id, clock_.Now());
  held_.ForgetEvent(event_id);
  for (const auto& change : released) changes_.Publish(change);
  return static_cast<int>(released.size());
}

void BookingService::EventCancelled(const EventDetails& event, TimePoint) {
  CancelEventBookings(event.event.id);
}

int BookingService::ProcessRefunds(int limit) {
  TimePoint now = clock_.Now();
  // A refund claimed by a node that died comes back once the lease is out: the payment lease,
  // which also bounds how long a charge waits for its reconciler.
  std::vector<DueRefund> due = store_.ClaimDueRefunds(now, policy_.payment_lease, limit);
  for (const DueRefund& refund : due) {
    Status result = gateway_.Refund(refund.payment_reference, refund.amount, refund.refund_id);
    if (result.ok()) {
      store_.CompleteRefund(refund.refund_id, clock_.Now());
    } else {
      // Exponential backoff: 2s, 4s, 8s ... capped at ten minutes.
      auto delay = std::chrono::seconds(
          std::min<std::int64_t>(600, 2LL << std::min<std::int64_t>(refund.attempts, 9)));
      store_.RetryRefundLater(refund.refund_id, clock_.Now() + delay,
                              refund.attempts + 1 >= policy_.refund_max_attempts);
    }
  }
  return static_cast<int>(due.size());
}

}  // namespace evently::domain
