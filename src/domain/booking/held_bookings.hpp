// What a hold on this node learned about its booking that never changes while it is pending:
// whose it is, what it costs and until when it is held. A confirmation on this node then needs no
// read of the booking before the charge. The batch that confirms still decides on the booking's
// state at that moment, so an entry that went stale (the booking cancelled through another node)
// costs a charge that is refunded, never a wrong confirmation.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "domain/booking/booking.hpp"

namespace evently::domain {

class HeldBookings {
 public:
  struct Facts {
    std::string user_id;
    std::string event_id;
    std::int64_t total_amount = 0;
    std::string currency;
    TimePoint expires_at{};
  };

  // What a charge needs of a pending booking.
  static Facts FactsOf(const Booking& booking);

  explicit HeldBookings(std::size_t capacity) : capacity_(capacity) {}

  // A pending booking just held here. When full, the entries past their hold make room; if none
  // is, the booking is not remembered (its confirmation reads it, as on another node). The
  // entries are looked through only once the earliest hold among them may have passed, and then
  // when full or at most every ten seconds, not on every hold.
  void Remember(const Booking& booking, TimePoint now);
  std::optional<Facts> Find(const std::string& booking_id) const;
  // The booking left pending here (confirmed, cancelled, expired) or its facts are in doubt.
  void Forget(const std::string& booking_id);
  void ForgetEvent(const std::string& event_id);
  std::size_t size() const;

 private:
  std::size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Facts> facts_;
  static constexpr std::chrono::seconds kSweepEvery{10};
  // No entry's hold ends before this (a lower bound: forgetting an entry leaves it as it is).
  TimePoint earliest_expiry_ = TimePoint::max();
  TimePoint next_sweep_{};
};

}  // namespace evently::domain
