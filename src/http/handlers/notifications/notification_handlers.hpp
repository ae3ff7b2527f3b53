// In-app notification endpoints (one factory per endpoint; each file holds one handler).
#pragma once

#include "domain/notifications/notification_service.hpp"
#include "http/router.hpp"

namespace evently::http::handlers {

Handler UsersNotificationsGet(domain::NotificationService& notifications);
Handler UsersNotificationsReadPost(domain::NotificationService& notifications);

}  // namespace evently::http::handlers
