// What the booking rules need from the store. Every method is one transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/booking/booking.hpp"
#include "domain/error.hpp"
#include "domain/paging.hpp"
#include "domain/ports/idempotency.hpp"
#include "domain/ports/payments.hpp"

namespace evently::domain {

// A keyed booking write's answer, kept in the transaction of its change.
using BookingAnswer = KeyedAnswer<Result<Booking>>;

struct HoldRequest {
  std::string booking_id;
  std::string event_id;
  std::string user_id;
  std::vector<std::string> seat_ids;  // distinct, lower-case UUIDs
  TimePoint now{};
  TimePoint expires_at{};
  BookingAnswer* keyed = nullptr;  // with an Idempotency-Key
  bool admitted = false;           // carries a valid admission token of the event's queue
};

struct SucceededCharge {
  std::string payment_id;
  std::string booking_id;
  std::string event_id;  // whose bookings this confirmation is committed with
  std::string user_id;
  std::string method;
  std::string reference;
  std::int64_t amount = 0;
  std::string currency;
  TimePoint now{};
  BookingAnswer* keyed = nullptr;  // with an Idempotency-Key
  std::string attempt_id;          // its PaymentAttempt, recorded with it (empty: none)
  bool captured = true;            // false: an authorization the capture job takes later
};

// A booking after a change, and the seat changes to publish once it is committed (a hold that
// takes up a waitlist offer also passes the offer's other seats on).
struct BookingChange {
  Booking booking;
  std::vector<SeatChange> seats;
};

struct DueRefund {
  std::string refund_id;
  std::string booking_id;
  std::string payment_reference;
  std::int64_t amount = 0;
  std::int64_t attempts = 0;
};

class BookingStore {
 public:
  virtual ~BookingStore() = default;

  // All or nothing. EVENT_NOT_FOUND, EVENT_NOT_BOOKABLE, VALIDATION_ERROR (a seat not of this
  // event), BOOKING_SEATS_UNAVAILABLE (details.unavailable_seat_ids), EVENT_SOLD_OUT,
  // AUTH_TOKEN_INVALID (the user is gone).
  //
  // Keyed writes (`keyed` set) claim their key in their transaction and keep its answer there;
  // when the key already had one, nothing is changed, `keyed` holds what was found and the
  // result is IDEMPOTENCY_KEY_MISMATCH (the caller answers from `keyed`).
  virtual Result<BookingChange> Hold(const HoldRequest& request) = 0;
  // What is kept under a keyed write's key, if anything (`keyed` is then decided).
  virtual void FindAnswer(BookingAnswer& keyed) = 0;
  virtual std::optional<Booking> Find(const std::string& booking_id) = 0;
  virtual Page<Booking> ListForUser(const std::string& user_id, std::optional<BookingStatus> status,
                                    PageRequest page) = 0;

  // Books the seats of a still-pending, unexpired booking and records its payment, and its
  // attempt as recorded. When the booking lost the race (expired, cancelled, confirmed by a twin
  // request) the charge is recorded with a refund, so no money is kept, and the matching error is
  // returned. An attempt the reconciler settled meanwhile (its lease ran out) records nothing:
  // PAYMENT_FAILED, its money already given back.
  virtual Result<BookingChange> ConfirmPaid(const SucceededCharge& charge) = 0;
  // Records a charge's attempt before the gateway is called (committed when this returns).
  virtual void BeginPaymentAttempt(const PaymentAttempt& attempt) = 0;
  // A declined charge (its attempt failed), and its answer (`error`) under the key of a keyed
  // confirmation.
  virtual void RecordFailedPayment(const std::string& booking_id, const std::string& attempt_id,
                                   const std::string& method, std::int64_t amount,
                                   const std::string& currency, const Error& error, TimePoint now,
                                   BookingAnswer* keyed) = 0;

  // Pending -> cancelled (nothing to refund); confirmed -> cancelled with a refund queued.
  // BOOKING_NOT_CANCELLABLE when already cancelled/expired or the event has started.
  virtual Result<BookingChange> Cancel(const std::string& booking_id, TimePoint now,
                                       BookingAnswer* keyed) = 0;
  // Pending bookings past expires_at become expired and their seats return to sale.
  virtual std::vector<SeatChange> ExpireDue(TimePoint now, int limit) = 0;
  // An event's cancellation: holds released, confirmed bookings cancelled and refunded.
  virtual std::vector<SeatChange> CancelEventBookings(const std::string& event_id,
                                                      TimePoint now) = 0;

  // Refund worker: refunds due now, leased so that one node works each at a time.
  virtual std::vector<DueRefund> ClaimDueRefunds(TimePoint now, Millis lease, int limit) = 0;
  virtual void CompleteRefund(const std::string& refund_id, TimePoint now) = 0;
  virtual void RetryRefundLater(const std::string& refund_id, TimePoint next_attempt,
                                bool give_up) = 0;
};

}  // namespace evently::domain
