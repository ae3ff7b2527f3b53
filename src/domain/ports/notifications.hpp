// The in-app notification list, the delivery outbox, and the transports that send deliveries.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/notifications/notification.hpp"
#include "domain/paging.hpp"

namespace evently::domain {

class NotificationStore {
 public:
  virtual ~NotificationStore() = default;

  virtual Page<Notification> ListForUser(const std::string& user_id, PageRequest page,
                                         bool unread_only) = 0;
  // nullopt when there is no such notification of this user. Marking twice keeps the first time.
  virtual std::optional<Notification> MarkRead(const std::string& notification_id,
                                               const std::string& user_id, TimePoint now) = 0;

  // Outbox: pending deliveries of a channel due now, leased to the caller until now + lease
  // (another node claims them only after the lease ran out).
  virtual std::vector<Delivery> ClaimDue(Channel channel, TimePoint now, Millis lease,
                                         int limit) = 0;
  virtual void MarkDelivered(const std::string& delivery_id, TimePoint now) = 0;
  virtual void RetryLater(const std::string& delivery_id, TimePoint next_attempt,
                          const std::string& error, bool give_up) = 0;
};

// Sends deliveries of one channel (SMTP for email, a webhook for SMS). All of a batch are in
// flight at once and each is bounded by the transport's timeout, so one stuck recipient never
// holds up the others. Returns one status per delivery, in order.
class DeliveryTransport {
 public:
  virtual ~DeliveryTransport() = default;
  virtual std::vector<Status> SendAll(const std::vector<Delivery>& deliveries) = 0;
};

}  // namespace evently::domain
