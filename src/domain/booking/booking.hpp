// Bookings: the seat hold that becomes a paid order, and the values around it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/time.hpp"

namespace evently::domain {

enum class BookingStatus { kPending, kConfirmed, kCancelled, kExpired };

std::string_view BookingStatusName(BookingStatus status);
std::optional<BookingStatus> ParseBookingStatus(std::string_view text);

enum class RefundStatus { kNotApplicable, kProcessing, kCompleted, kFailed };
std::string_view RefundStatusName(RefundStatus status);
std::optional<RefundStatus> ParseRefundStatus(std::string_view text);

struct BookedSeat {
  std::string seat_id;
  std::string section;
  std::string row;
  int seat_number = 0;
  std::int64_t price = 0;  // minor units, fixed at hold time
};

struct BookingEventSummary {
  std::string id;
  std::string name;
  TimePoint start_time{};
};

struct Booking {
  std::string id;
  std::string booking_code;
  std::string user_id;
  BookingEventSummary event;
  std::vector<BookedSeat> seats;
  std::int64_t total_amount = 0;
  std::string currency;
  BookingStatus status = BookingStatus::kPending;
  TimePoint expires_at{};
  TimePoint created_at{};
  std::optional<TimePoint> confirmed_at;
  std::optional<TimePoint> cancelled_at;
  std::optional<RefundStatus> refund_status;
  std::int64_t refund_amount = 0;
};

// "EVT" + UTC day + five-digit daily sequence (wider only past 99,999 bookings a day).
std::string FormatBookingCode(TimePoint day, std::int64_t sequence);

// A change of seat availability, published after commit to live maps and the waitlist.
struct SeatChange {
  std::string event_id;
  std::vector<std::string> seat_ids;
  std::string status;                // "available", "held", "booked"
  std::int64_t available_seats = 0;  // for the whole event, after the change
};

}  // namespace evently::domain
