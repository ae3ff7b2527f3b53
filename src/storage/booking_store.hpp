// The booking port on SQL: conditional seat writes, group commit of concurrent holds per event.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/ports/bookings.hpp"
#include "domain/waitlist/waitlist.hpp"
#include "storage/seat_pipeline.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

struct BookingStoreOptions {
  std::size_t max_batch = 64;  // holds and confirmations folded into one transaction
  domain::OfferPolicy offers;  // released seats go to the waitlist first
};

// What the store's batches did since it was made, by size (bench/hold_store prints it: where a
// batch's time goes, and how big concurrent writes make them).
struct BatchStats {
  struct Size {
    std::uint64_t batches = 0, writes = 0, holds = 0;
    std::chrono::microseconds busy{0};  // from the first statement to the commit's answer
  };
  static constexpr std::size_t kWidth = 8;  // sizes 1-8, 9-16, ...
  std::vector<Size> by_size;                // [i]: batches of i * kWidth + 1 .. (i + 1) * kWidth
};

class BookingStore final : public domain::BookingStore {
 public:
  BookingStore(Database& db, BookingStoreOptions options = {});

  BatchStats Stats() const;

  domain::Result<domain::BookingChange> Hold(const domain::HoldRequest& request) override;
  std::optional<domain::Booking> Find(const std::string& booking_id) override;
  domain::Page<domain::Booking> ListForUser(const std::string& user_id,
                                            std::optional<domain::BookingStatus> status,
                                            domain::PageRequest page) override;
  domain::Result<domain::BookingChange> ConfirmPaid(const domain::SucceededCharge& charge) override;
  bool ChargeRecorded(const std::string& booking_id, const std::string& reference) override;
  void RecordFailedPayment(const std::string& booking_id, const std::string& method,
                           std::int64_t amount, const std::string& currency,
                           const std::string& reason, domain::TimePoint now) override;
  domain::Result<domain::BookingChange> Cancel(const std::string& booking_id,
                                               domain::TimePoint now) override;
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
    bool done = false;
    std::condition_variable wake;  // done, or this waiter leads the next batch
  };
  struct EventQueue {
    std::deque<PendingWrite*> waiting;
    bool leader_active = false;
  };
  domain::Result<domain::BookingChange> Submit(const std::string& event_id, PendingWrite& me);
  void RunBatch(const std::vector<PendingWrite*>& batch);
  ReleaseRules Rules() const;

  Database& db_;
  BookingStoreOptions options_;
  mutable std::mutex queues_mu_;
  std::unordered_map<std::string, EventQueue> queues_;
  BatchStats stats_;  // with queues_mu_
};

}  // namespace evently::storage
