// The booking rules: who may hold, confirm, cancel and see which booking, and in what order
// money and seats move.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/booking/booking.hpp"
#include "domain/booking/held_bookings.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/paging.hpp"
#include "domain/ports/bookings.hpp"
#include "domain/ports/payments.hpp"
#include "domain/ports/seat_changes.hpp"
#include "domain/principal.hpp"

namespace evently::domain {

struct BookingPolicy {
  std::chrono::seconds hold_time{300};
  std::size_t max_seats = 10;
  int refund_max_attempts = 8;
  std::size_t remembered_holds = 100'000;  // see HeldBookings; 0: every confirmation reads
  // How long a confirmation may take between recording its payment attempt and committing it;
  // past it the reconciler settles the attempt (PaymentReconciler). Far above the gateway's and
  // the store's deadlines. Also the lease of a claimed refund (a node that dies mid-refund).
  std::chrono::seconds payment_lease{60};
};

struct PaymentIntent {
  std::string booking_id;
  std::int64_t amount = 0;
  std::string currency;
  std::string status;  // requires_payment_method, succeeded, canceled
  std::string client_token;
  std::string gateway;
  TimePoint expires_at{};
};

// Also the catalogue's cancellation listener: an event's cancellation releases its holds and
// refunds its confirmed bookings.
class BookingService final : public EventCancellationListener {
 public:
  BookingService(BookingStore& store, PaymentGateway& gateway, SeatChangeSink& changes,
                 const Clock& clock, BookingPolicy policy);

  // With `keyed`, the answer is kept under its key with the change (ports/idempotency.hpp):
  // once `keyed` is decided, it is the answer, whatever the result says. `admitted`: the hold
  // carries a valid admission token of the event's waiting room (checked by the caller, without
  // a store read); the batch refuses a hold without one while the event's queue is on.
  Result<Booking> Hold(const Principal& who, const std::string& event_id,
                       const std::vector<std::string>& seat_ids, BookingAnswer* keyed = nullptr,
                       bool admitted = false);
  Result<Booking> Confirm(const Principal& who, const std::string& booking_id,
                          const PaymentDetails& payment, BookingAnswer* keyed = nullptr);
  Result<Booking> Cancel(const Principal& who, const std::string& booking_id,
                         BookingAnswer* keyed = nullptr);
  Result<Booking> Get(const Principal& who, const std::string& booking_id);
  Page<Booking> ListMine(const Principal& who, std::optional<BookingStatus> status,
                         PageRequest page);
  Result<PaymentIntent> Intent(const Principal& who, const std::string& booking_id);

  // Background work, safe on every node at once. Each returns how much it did.
  int ExpireDue(int limit = 500);
  // The refunds due.
  int ProcessRefunds(int limit = 100);
  // Called when an admin cancels an event.
  int CancelEventBookings(const std::string& event_id);
  void EventCancelled(const EventDetails& event, TimePoint now) override;

  const BookingPolicy& policy() const { return policy_; }

 private:
  // Publishes the committed seat change and hands back the booking.
  Result<Booking> Committed(Result<BookingChange> change);
  // The same for a confirmation or cancellation: the booking is no longer a pending hold here.
  Result<Booking> Decided(const std::string& booking_id, Result<BookingChange> change);
  // The booking when `who` may see it; BOOKING_NOT_FOUND otherwise (no existence leak).
  Result<Booking> Visible(const Principal& who, const std::string& booking_id, bool owner_only);

  BookingStore& store_;
  PaymentGateway& gateway_;
  SeatChangeSink& changes_;
  const Clock& clock_;
  BookingPolicy policy_;
  HeldBookings held_;  // the pending bookings held on this node
};

}  // namespace evently::domain
