// In-app notifications of a user, and the delivery of the outbox with retries and backoff.
#pragma once

#include <string>

#include "domain/paging.hpp"
#include "domain/ports/notifications.hpp"
#include "domain/principal.hpp"

namespace evently::domain {

class NotificationService {
 public:
  NotificationService(NotificationStore& store, const Clock& clock, DeliveryPolicy policy);

  Page<Notification> ListMine(const Principal& who, PageRequest page, bool unread_only);
  // NOTIFICATION_NOT_FOUND unless it is the caller's.
  Result<Notification> MarkRead(const Principal& who, const std::string& notification_id);

  // One round of the delivery worker for a channel: claims what is due, sends it through
  // `transport`, records each outcome. Safe on every node at once. Returns how many it claimed.
  int Deliver(Channel channel, DeliveryTransport& transport, int limit = 32);

  const DeliveryPolicy& policy() const { return policy_; }

 private:
  NotificationStore& store_;
  const Clock& clock_;
  DeliveryPolicy policy_;
};

}  // namespace evently::domain
