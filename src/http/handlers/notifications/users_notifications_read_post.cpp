#include "http/handlers/notifications/notification_handlers.hpp"
#include "wire/notification_json.hpp"

namespace evently::http::handlers {

// Idempotent: reading again keeps the first read time.
Handler UsersNotificationsReadPost(domain::NotificationService& notifications) {
  return [&notifications](Request& req) {
    auto read = notifications.MarkRead(req.User(), std::string(req.Param("notification_id")));
    if (!read.ok()) return Failure(req, read.error());
    return Success(req, 200, wire::EncodeNotification(*read), "Notification marked as read");
  };
}

}  // namespace evently::http::handlers
