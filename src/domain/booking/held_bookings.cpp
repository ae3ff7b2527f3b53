#include "domain/booking/held_bookings.hpp"

namespace evently::domain {

void HeldBookings::Remember(const Booking& booking, TimePoint now) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  if (facts_.size() >= capacity_) {
    std::erase_if(facts_, [now](const auto& entry) { return entry.second.expires_at <= now; });
    if (facts_.size() >= capacity_) return;
  }
  facts_.insert_or_assign(booking.id, Facts{booking.user_id, booking.event.id, booking.total_amount,
                                            booking.currency, booking.expires_at});
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
