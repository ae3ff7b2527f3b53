// Notifications: what a user is told (always kept in-app) and the email / SMS deliveries of it,
// written to an outbox in the transaction that causes them and sent later with retries.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"

namespace evently::domain {

enum class NotificationKind {
  kWaitlistOffer,
  kWaitlistOfferLapsed,
  kBookingConfirmed,
  kBookingCancelled,
  kRefundCompleted,
  kEventCancelled,
};
std::string_view NotificationKindName(NotificationKind kind);

// The words of one notification; `sms` is the short form for text messages.
struct Notice {
  NotificationKind kind = NotificationKind::kWaitlistOffer;
  std::string title;
  std::string body;
  std::string sms;
};

Notice WaitlistOfferNotice(std::string_view event_name, std::size_t seats, TimePoint expires_at);
Notice WaitlistOfferLapsedNotice(std::string_view event_name);
Notice BookingConfirmedNotice(std::string_view event_name, std::string_view booking_code,
                              std::size_t seats, std::int64_t total, std::string_view currency);
Notice BookingCancelledNotice(std::string_view event_name, std::string_view booking_code,
                              std::int64_t refund, std::string_view currency);
Notice RefundCompletedNotice(std::string_view event_name, std::string_view booking_code,
                             std::int64_t amount, std::string_view currency);
Notice EventCancelledNotice(std::string_view event_name, bool had_booking);

// The in-app copy.
struct Notification {
  std::string id;
  std::string user_id;
  std::string kind;
  std::string title;
  std::string body;
  std::optional<std::string> event_id;
  TimePoint created_at{};
  std::optional<TimePoint> read_at;
};

enum class Channel { kEmail, kSms };
std::string_view ChannelName(Channel channel);

// One pending send of a notification over one channel.
struct Delivery {
  std::string id;
  std::string notification_id;
  Channel channel = Channel::kEmail;
  std::string recipient;  // an email address or an E.164 phone number
  std::string subject;
  std::string body;
  std::int64_t attempts = 0;  // before this one
};

struct DeliveryPolicy {
  int max_attempts = 20;
  std::chrono::seconds max_backoff{600};
  // How long a claimed delivery is reserved for the node that claimed it; longer than a send
  // can take, so a delivery is retried by another node only when its sender died.
  Millis lease{30000};

  // Exponential backoff after the `attempts`-th failure: 1 s, 2 s, 4 s ... up to max_backoff.
  std::chrono::seconds Backoff(std::int64_t attempts) const;
  bool GivesUpAfter(std::int64_t attempts) const { return attempts >= max_attempts; }
};

}  // namespace evently::domain
