#include "domain/notifications/notification.hpp"

#include <algorithm>

#include "domain/money.hpp"

namespace evently::domain {

std::string_view NotificationKindName(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kWaitlistOffer:
      return "waitlist_offer";
    case NotificationKind::kWaitlistOfferLapsed:
      return "waitlist_offer_lapsed";
    case NotificationKind::kBookingConfirmed:
      return "booking_confirmed";
    case NotificationKind::kBookingCancelled:
      return "booking_cancelled";
    case NotificationKind::kRefundCompleted:
      return "refund_completed";
    case NotificationKind::kEventCancelled:
      return "event_cancelled";
  }
  return "waitlist_offer";
}

std::string_view ChannelName(Channel channel) {
  return channel == Channel::kEmail ? "email" : "sms";
}

namespace {

std::string Seats(std::size_t n) { return std::to_string(n) + (n == 1 ? " seat" : " seats"); }

std::string Amount(std::int64_t minor, std::string_view currency) {
  return std::string(currency) + " " + FormatMinorUnits(minor);
}

}  // namespace

Notice WaitlistOfferNotice(std::string_view event_name, std::size_t seats, TimePoint expires_at) {
  std::string name(event_name), until = FormatRfc3339(expires_at);
  return {NotificationKind::kWaitlistOffer, "Seats are waiting for you: " + name,
          Seats(seats) + " for " + name + " opened up and are held for you until " + until +
              ". Book them before then; after that they go to the next person on the waitlist.",
          "Evently: " + Seats(seats) + " for " + name + " are held for you until " + until + "."};
}

Notice WaitlistOfferLapsedNotice(std::string_view event_name) {
  std::string name(event_name);
  return {NotificationKind::kWaitlistOfferLapsed, "Your waitlist offer expired: " + name,
          "The seats held for you for " + name +
              " were not booked in time and have passed to the next person on the waitlist.",
          "Evently: your offer for " + name + " expired."};
}

Notice BookingConfirmedNotice(std::string_view event_name, std::string_view booking_code,
                              std::size_t seats, std::int64_t total, std::string_view currency) {
  std::string name(event_name), code(booking_code);
  return {NotificationKind::kBookingConfirmed, "Booking confirmed: " + name,
          "Your booking " + code + " for " + name + " is confirmed: " + Seats(seats) + ", " +
              Amount(total, currency) + " paid.",
          "Evently: booking " + code + " for " + name + " confirmed."};
}

Notice BookingCancelledNotice(std::string_view event_name, std::string_view booking_code,
                              std::int64_t refund, std::string_view currency) {
  std::string name(event_name), code(booking_code);
  std::string refund_text =
      refund > 0 ? " A refund of " + Amount(refund, currency) + " is on its way." : "";
  return {NotificationKind::kBookingCancelled, "Booking cancelled: " + name,
          "Your booking " + code + " for " + name + " was cancelled." + refund_text,
          "Evently: booking " + code + " for " + name + " was cancelled."};
}

Notice RefundCompletedNotice(std::string_view event_name, std::string_view booking_code,
                             std::int64_t amount, std::string_view currency) {
  std::string name(event_name), code(booking_code);
  return {NotificationKind::kRefundCompleted, "Refund completed: " + name,
          "Your refund of " + Amount(amount, currency) + " for booking " + code + " (" + name +
              ") has been paid back.",
          "Evently: refund of " + Amount(amount, currency) + " for " + code + " completed."};
}

Notice EventCancelledNotice(std::string_view event_name, bool had_booking) {
  std::string name(event_name);
  return {NotificationKind::kEventCancelled, "Event cancelled: " + name,
          name + " has been cancelled." +
              (had_booking ? std::string(" Your booking is cancelled and any payment refunded.")
                           : std::string(" Your place on its waitlist is closed.")),
          "Evently: " + name + " has been cancelled."};
}

std::chrono::seconds DeliveryPolicy::Backoff(std::int64_t attempts) const {
  std::int64_t shift = std::clamp<std::int64_t>(attempts - 1, 0, 30);
  std::int64_t seconds = std::int64_t{1} << shift;
  return std::min(std::chrono::seconds(seconds), max_backoff);
}

}  // namespace evently::domain
