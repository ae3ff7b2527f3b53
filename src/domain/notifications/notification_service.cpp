#include "domain/notifications/notification_service.hpp"

#include "domain/ids.hpp"

namespace evently::domain {

NotificationService::NotificationService(NotificationStore& store, const Clock& clock,
                                         DeliveryPolicy policy)
    : store_(store), clock_(clock), policy_(policy) {}

Page<Notification> NotificationService::ListMine(const Principal& who, PageRequest page,
                                                 bool unread_only) {
  return store_.ListForUser(who.user_id, page, unread_only);
}

Result<Notification> NotificationService::MarkRead(const Principal& who,
                                                   const std::string& notification_id) {
  if (!IsUuid(notification_id)) return MakeError(ErrorCode::kNotificationNotFound);
  std::optional<Notification> read =
      store_.MarkRead(NormalizeUuid(notification_id), who.user_id, clock_.Now());
  if (!read) return MakeError(ErrorCode::kNotificationNotFound);
  return std::move(*read);
}

int NotificationService::Deliver(Channel channel, DeliveryTransport& transport, int limit) {
  std::vector<Delivery> due = store_.ClaimDue(channel, clock_.Now(), policy_.lease, limit);
  if (due.empty()) return 0;
  std::vector<Status> results = transport.SendAll(due);
  for (std::size_t i = 0; i < due.size(); ++i) {
    const Delivery& d = due[i];
    if (i < results.size() && results[i].ok()) {
      store_.MarkDelivered(d.id, clock_.Now());
      continue;
    }
    std::int64_t attempts = d.attempts + 1;
    std::string error = i < results.size() ? std::string(results[i].error().Message())
                                           : std::string("not attempted");
    store_.RetryLater(d.id, clock_.Now() + policy_.Backoff(attempts), error,
                      policy_.GivesUpAfter(attempts));
  }
  return static_cast<int>(due.size());
}

}  // namespace evently::domain
