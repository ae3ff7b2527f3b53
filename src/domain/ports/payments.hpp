// The payment gateway seam (the built-in one is the sandbox; payments/stripe_gateway.hpp speaks
// Stripe's REST API). Every call carries an idempotency key, so that a call repeated after a
// timeout or a crash is one call at the gateway.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/time.hpp"

namespace evently::domain {

struct CardDetails {
  std::string number;
  std::int64_t exp_month = 0;
  std::int64_t exp_year = 0;
  std::string cvc;
};

struct PaymentDetails {
  std::string method;                // "credit_card", "debit_card"
  std::optional<std::string> token;  // a gateway token, e.g. "tok_visa"
  std::optional<CardDetails> card;   // or raw card fields (sandbox only)
};

struct ChargeRequest {
  std::string attempt_id;  // the gateway's Idempotency-Key, recorded before the call
  std::string booking_id;
  std::int64_t amount = 0;
  std::string currency;
  PaymentDetails details;
};

struct ChargeReceipt {
  std::string reference;
  // False for an authorization that waits for its capture (a two-step gateway): the capture job
  // takes it once the booking is confirmed, and a lost one is voided instead of refunded.
  bool captured = true;
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;
  virtual std::string_view name() const = 0;
  // VALIDATION_ERROR for malformed details, PAYMENT_FAILED for a decline, SERVICE_UNAVAILABLE
  // when the gateway did not answer (the charge may or may not exist: the attempt says so later).
  virtual Result<ChargeReceipt> Charge(const ChargeRequest& request) = 0;
  // Takes the money of an authorization.
  virtual Status Capture(const std::string& reference, std::int64_t amount) = 0;
  // Gives the money back: an uncaptured authorization is voided, a captured charge refunded.
  // `key` makes a repeated call one refund.
  virtual Status Refund(const std::string& reference, std::int64_t amount,
                        const std::string& key) = 0;
  // The charge the attempt made, if any (the reconciler's question after a crash); nullopt when
  // the gateway has none for it. SERVICE_UNAVAILABLE when it cannot say.
  virtual Result<std::optional<ChargeReceipt>> FindCharge(const std::string& attempt_id) = 0;
};

// A call to the gateway, recorded before it is made.
struct PaymentAttempt {
  std::string id;
  std::string booking_id;
  std::string user_id;
  std::int64_t amount = 0;
  std::string currency;
  std::string gateway;
  std::string method;  // of the payment details
  TimePoint created_at{};
  TimePoint lease_until{};  // until then the request that made it may still record it
};

// Payment attempts (begun with BookingStore::BeginPaymentAttempt) and captures, for the
// reconciler and the capture job.
class PaymentLedger {
 public:
  virtual ~PaymentLedger() = default;
  // Attempts still started whose lease ran out (their request died, or lost its store), leased
  // anew to one reconciler at a time.
  virtual std::vector<PaymentAttempt> ClaimStale(TimePoint now, Millis lease, int limit) = 0;
  // A stale attempt with no charge at the gateway: failed. False when the attempt was recorded
  // with its booking (or settled by another node) meanwhile.
  virtual bool Fail(const std::string& attempt_id, TimePoint now) = 0;
  // A stale attempt whose charge exists: recorded as a payment of its booking with its refund
  // queued (the refund worker gives the money back), in one transaction; the attempt is voided.
  // False, with nothing written, when the attempt was recorded or settled meanwhile.
  virtual bool RecordLost(const PaymentAttempt& attempt, const ChargeReceipt& charge,
                          TimePoint now) = 0;

  struct Uncaptured {
    std::string payment_id;
    std::string reference;
    std::int64_t amount = 0;
  };
  // Authorizations of confirmed bookings not captured yet, leased to one capture job at a time.
  virtual std::vector<Uncaptured> ClaimUncaptured(TimePoint now, Millis lease, int limit) = 0;
  virtual void MarkCaptured(const std::string& payment_id, TimePoint now) = 0;
};

}  // namespace evently::domain
