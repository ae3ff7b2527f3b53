#include "domain/booking/held_bookings.hpp"

#include <algorithm>

namespace evently::domain {

HeldBookings::Facts HeldBookings::FactsOf(const Booking& booking) {
  return Facts{booking.user_id, booking.event.id, booking.total_amount, booking.currency,
               booking.expires_at};
}

void HeldBookings::Remember(const Booking& booking, TimePoint now) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  bool full = facts_.size() >= capacity_;
  // Holds that lapsed unpaid are never forgotten one by one (nothing decides them here), so
  // they are swept: when the cache is full, and otherwise every kSweepEvery once one has passed.
  if (now >= earliest_expiry_ && (full || now >= next_sweep_)) {
    next_sweep_ = now + kSweepEvery;
    earliest_expiry_ = TimePoint::max();
    std::erase_if(facts_, [&](const auto& entry) {
      if (entry.second.expires_at <= now) return true;
      earliest_expiry_ = std::min(earliest_expiry_, entry.second.expires_at);
      return false;
    });
    full = facts_.size() >= capacity_;
  }
  if (full) return;  // every entry is still held
  earliest_expiry_ = std::min(earliest_expiry_, booking.expires_at);
  facts_.insert_or_assign(booking.id, FactsOf(booking));
}

std::optional<HeldBookings::Facts> HeldBookings::Find(const std::string& booking_id) const {
  std::lock_guard lock(mu_);
  auto it = facts_.find(booking_id);
  if (it == facts_.end()) return std::nullopt;
  return it->second;
}

void HeldBookings::Forget(const std::string& booking_id) {
  std::lock_guard lock(mu_);
  facts_.erase(booking_id);
}

void HeldBookings::ForgetEvent(const std::string& event_id) {
  std::lock_guard lock(mu_);
  std::erase_if(facts_, [&](const auto& entry) { return entry.second.event_id == event_id; });
}

std::size_t HeldBookings::size() const {
  std::lock_guard lock(mu_);
  return facts_.size();
}

}  // namespace evently::domain
