// Writes a notification and its email / SMS deliveries inside the caller's transaction, so they
// exist exactly when the change that causes them commits (the transactional outbox).
#pragma once

#include <optional>
#include <string>

#include "domain/notifications/notification.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

struct NoticeChannels {
  bool email = true;
  bool sms = false;  // sent only when the user has a phone number
};

void WriteNotification(Connection& conn, const std::string& user_id,
                       const std::optional<std::string>& event_id, const domain::Notice& notice,
                       NoticeChannels channels, domain::TimePoint now);

}  // namespace evently::storage
