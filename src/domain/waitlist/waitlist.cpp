#include "domain/waitlist/waitlist.hpp"

#include <cmath>

namespace evently::domain {

std::string_view WaitlistStatusName(WaitlistStatus status) {
  switch (status) {
    case WaitlistStatus::kWaiting:
      return "waiting";
    case WaitlistStatus::kOffered:
      return "offered";
    case WaitlistStatus::kConverted:
      return "converted";
    case WaitlistStatus::kLeft:
      return "left";
    case WaitlistStatus::kLapsed:
      return "lapsed";
    case WaitlistStatus::kCancelled:
      return "cancelled";
  }
  return "waiting";
}

std::optional<WaitlistStatus> ParseWaitlistStatus(std::string_view text) {
  for (auto s : {WaitlistStatus::kWaiting, WaitlistStatus::kOffered, WaitlistStatus::kConverted,
                 WaitlistStatus::kLeft, WaitlistStatus::kLapsed, WaitlistStatus::kCancelled}) {
    if (WaitlistStatusName(s) == text) return s;
  }
  return std::nullopt;
}

namespace {

std::string Range(std::int64_t low, std::string_view unit) {
  return std::to_string(low) + "-" + std::to_string(low + 1) + " " + std::string(unit);
}

}  // namespace

std::string EstimateWaitTime(std::int64_t position, std::int64_t releases_in_window,
                             std::chrono::hours window) {
  if (releases_in_window <= 0 || position <= 0 || window.count() <= 0) return "unknown";
  double per_hour = static_cast<double>(releases_in_window) / static_cast<double>(window.count());
  double hours = static_cast<double>(position) / per_hour;
  if (hours < 1.0) return "less than an hour";
  if (hours < 24.0) return Range(static_cast<std::int64_t>(std::floor(hours)), "hours");
  double days = hours / 24.0;
  if (days < 7.0) return Range(static_cast<std::int64_t>(std::floor(days)), "days");
  double weeks = days / 7.0;
  if (weeks < 4.0) return Range(static_cast<std::int64_t>(std::floor(weeks)), "weeks");
  return "more than 4 weeks";
}

}  // namespace evently::domain
