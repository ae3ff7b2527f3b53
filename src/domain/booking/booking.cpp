#include "domain/booking/booking.hpp"

#include <cstdio>

namespace evently::domain {

std::string_view BookingStatusName(BookingStatus status) {
  switch (status) {
    case BookingStatus::kPending:
      return "pending";
    case BookingStatus::kConfirmed:
      return "confirmed";
    case BookingStatus::kCancelled:
      return "cancelled";
    case BookingStatus::kExpired:
      return "expired";
  }
  return "pending";
}

std::optional<BookingStatus> ParseBookingStatus(std::string_view text) {
  for (auto s : {BookingStatus::kPending, BookingStatus::kConfirmed, BookingStatus::kCancelled,
                 BookingStatus::kExpired}) {
    if (BookingStatusName(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view RefundStatusName(RefundStatus status) {
  switch (status) {
    case RefundStatus::kNotApplicable:
      return "not_applicable";
    case RefundStatus::kProcessing:
      return "processing";
    case RefundStatus::kCompleted:
      return "completed";
    case RefundStatus::kFailed:
      return "failed";
  }
  return "not_applicable";
}

std::optional<RefundStatus> ParseRefundStatus(std::string_view text) {
  for (auto s : {RefundStatus::kNotApplicable, RefundStatus::kProcessing, RefundStatus::kCompleted,
                 RefundStatus::kFailed}) {
    if (RefundStatusName(s) == text) return s;
  }
  return std::nullopt;
}

std::string FormatBookingCode(TimePoint day, std::int64_t sequence) {
  std::string date = FormatDate(day);  // YYYY-MM-DD
  char seq[24];
  std::snprintf(seq, sizeof seq, "%05lld", static_cast<long long>(sequence));
  return "EVT" + date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2) + seq;
}

}  // namespace evently::domain
