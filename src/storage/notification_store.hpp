// The notification port on SQL: the in-app list and the leased delivery outbox.
#pragma once

#include "domain/ports/notifications.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class NotificationStore final : public domain::NotificationStore {
 public:
  explicit NotificationStore(Database& db) : db_(db) {}

  domain::Page<domain::Notification> ListForUser(const std::string& user_id,
                                                 domain::PageRequest page,
                                                 bool unread_only) override;
  std::optional<domain::Notification> MarkRead(const std::string& notification_id,
                                               const std::string& user_id,
                                               domain::TimePoint now) override;
  std::vector<domain::Delivery> ClaimDue(domain::Channel channel, domain::TimePoint now,
                                         domain::Millis lease, int limit) override;
  void MarkDelivered(const std::string& delivery_id, domain::TimePoint now) override;
  void RetryLater(const std::string& delivery_id, domain::TimePoint next_attempt,
                  const std::string& error, bool give_up) override;

 private:
  Database& db_;
};

}  // namespace evently::storage
