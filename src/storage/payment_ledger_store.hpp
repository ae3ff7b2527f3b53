// The payment attempts and captures of domain/ports/payments.hpp on SQL.
#pragma once

#include "domain/ports/payments.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

// The insert of an attempt, 'started' (BookingStore::BeginPaymentAttempt).
void InsertAttempt(Connection& conn, const domain::PaymentAttempt& attempt);
// The refund row of a recorded charge, processing; it goes out with the next round trip.
void InsertRefund(Connection& conn, const std::string& booking_id, const std::string& payment_id,
                  const std::string& event_id, std::int64_t amount, domain::TimePoint now);
// Queues the refund of a recorded charge (payment `payment_id` of the booking) and marks the
// booking's refund as processing; both go out with the transaction's next round trip.
void QueueChargeRefund(Connection& conn, const std::string& booking_id,
                       const std::string& payment_id, const std::string& event_id,
                       std::int64_t amount, domain::TimePoint now);

class PaymentLedgerStore final : public domain::PaymentLedger {
 public:
  explicit PaymentLedgerStore(Database& db) : db_(db) {}

  std::vector<domain::PaymentAttempt> ClaimStale(domain::TimePoint now, domain::Millis lease,
                                                 int limit) override;
  bool Fail(const std::string& attempt_id, domain::TimePoint now) override;
  bool RecordLost(const domain::PaymentAttempt& attempt, const domain::ChargeReceipt& charge,
                  domain::TimePoint now) override;
  std::vector<Uncaptured> ClaimUncaptured(domain::TimePoint now, domain::Millis lease,
                                          int limit) override;
  void MarkCaptured(const std::string& payment_id, domain::TimePoint now) override;

 private:
  Database& db_;
};

}  // namespace evently::storage
