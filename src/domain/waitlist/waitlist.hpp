// The waitlist of a sold-out event: entries in join order, offers of released seats, and the
// wait estimate shown to people in the queue.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/time.hpp"

namespace evently::domain {

enum class WaitlistStatus { kWaiting, kOffered, kConverted, kLeft, kLapsed, kCancelled };

std::string_view WaitlistStatusName(WaitlistStatus status);
std::optional<WaitlistStatus> ParseWaitlistStatus(std::string_view text);
// Waiting or holding an offer: the entry still stands in the queue.
inline bool IsActive(WaitlistStatus s) {
  return s == WaitlistStatus::kWaiting || s == WaitlistStatus::kOffered;
}

struct NotificationPreferences {
  bool email = true;
  bool sms = false;
};

struct WaitlistEntry {
  std::string id;
  std::string event_id;
  std::string event_name;
  std::string user_id;
  WaitlistStatus status = WaitlistStatus::kWaiting;
  NotificationPreferences preferences;
  std::optional<std::int64_t> position;            // 1-based among waiting entries, while waiting
  std::optional<std::string> estimated_wait_time;  // while waiting
  std::optional<TimePoint> offer_expires_at;       // while offered
  std::vector<std::string> offered_seat_ids;       // while offered: bookable by this user only
  TimePoint created_at{};
  TimePoint updated_at{};
};

// Released seats move as one batch per release (a cancelled or expired booking, a lapsed offer):
// the whole batch is offered to the first waiting entry for `window`.
struct OfferPolicy {
  std::chrono::seconds window{900};
};

// How far back releases count for the wait estimate.
inline constexpr std::chrono::hours kReleaseRateWindow{24};

// "less than an hour", "2-3 hours", "2-3 days", "more than 4 weeks"; "unknown" without any
// release in the window. Each release is one offer, so the entry at `position` is reached
// after about position / (releases per hour) hours.
std::string EstimateWaitTime(std::int64_t position, std::int64_t releases_in_window,
                             std::chrono::hours window = kReleaseRateWindow);

}  // namespace evently::domain
