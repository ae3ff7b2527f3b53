// The booking port on SQL: conditional seat writes, group commit of concurrent holds per event.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "domain/ports/bookings.hpp"
#include "domain/waitlist/waitlist.hpp"
#include "storage/group_commit.hpp"
#include "storage/seat_pipeline.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

struct BookingStoreOptions {
  std::size_t max_batch = 64;  // holds and confirmations folded into one transaction
  domain::OfferPolicy offers;  // released seats go to the waitlist first
  // Threads running the batches: 0 picks one on SQLite (a single writer) and four on
  // PostgreSQL (batches of different events side by side, each on its own connection).
  std::size_t batch_threads = 0;
  // The longest a hold or confirmation waits for its batch to start (0: no limit), so that in an
  // outage a write queued behind other events' stuck batches is answered 503 (GroupCommit's
  // max_wait) instead of waiting one store timeout for each batch ahead of it.
  std::chrono::milliseconds max_queue_wait{0};
};

class BookingStore final : public domain::BookingStore {
 public:
  BookingStore(Database& db, BookingStoreOptions options = {});

  BatchStats Stats() const;

  domain::Result<domain::BookingChange> Hold(const domain::HoldRequest& request) override;
  void FindAnswer(domain::BookingAnswer& keyed) override;
  std::optional<domain::Booking> Find(const std::string& booking_id) override;
  domain::Page<domain::Booking> ListForUser(const std::string& user_id,
                                            std::optional<domain::BookingStatus> status,
                                            domain::PageRequest page) override;
  domain::Result<domain::BookingChange> ConfirmPaid(const domain::SucceededCharge& charge) override;
  void BeginPaymentAttempt(const domain::PaymentAttempt& attempt) override;
  void RecordFailedPayment(const std::string& booking_id, const std::string& attempt_id,
                           const std::string& method,
                           std::int64_t amount, const std::string& currency,
                           const domain::Error& error, domain::TimePoint now,
                           domain::BookingAnswer* keyed) override;
  domain::Result<domain::BookingChange> Cancel(const std::string& booking_id, domain::TimePoint now,
                                               domain::BookingAnswer* keyed) override;
  std::vector<domain::SeatChange> ExpireDue(domain::TimePoint now, int limit) override;
  std::vector<domain::SeatChange> CancelEventBookings(const std::string& event_id,
                                                      domain::TimePoint now) override;
  std::vector<domain::DueRefund> ClaimDueRefunds(domain::TimePoint now, domain::Millis lease,
                                                 int limit) override;
  void CompleteRefund(const std::string& refund_id, domain::TimePoint now) override;
  void RetryRefundLater(const std::string& refund_id, domain::TimePoint next_attempt,
                        bool give_up) override;

 private:
  // One hold or one paid confirmation waiting for its event's next batch.
  struct PendingWrite {
    const domain::HoldRequest* hold = nullptr;
    const domain::SucceededCharge* charge = nullptr;
    std::optional<domain::Result<domain::BookingChange>> result;
    std::exception_ptr failure;
  };
  domain::Result<domain::BookingChange> Submit(const std::string& event_id, PendingWrite& me);
  void RunBatch(const std::vector<PendingWrite*>& batch);
  ReleaseRules Rules() const;

  Database& db_;
  BookingStoreOptions options_;
  StoreThreads threads_;
  GroupCommit<PendingWrite> batches_;
};

}  // namespace evently::storage
