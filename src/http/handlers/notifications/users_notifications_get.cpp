#include "http/handlers/notifications/notification_handlers.hpp"
#include "http/query.hpp"
#include "wire/notification_json.hpp"

namespace evently::http::handlers {

// Newest first; `unread=true` keeps only those not yet read.
Handler UsersNotificationsGet(domain::NotificationService& notifications) {
  return [&notifications](Request& req) {
    auto page = ParsePagination(req);
    if (!page.ok()) return Failure(req, page.error());
    bool unread_only = false;
    if (auto unread = req.Query("unread")) {
      if (*unread != "true" && *unread != "false") {
        return Failure(req, domain::ValidationError("unread", "must be true or false"));
      }
      unread_only = *unread == "true";
    }
    auto list = notifications.ListMine(req.User(), *page, unread_only);
    wire::JsonWriter w;
    w.BeginArray();
    for (const auto& n : list.items) wire::WriteNotification(w, n);
    w.EndArray();
    auto pagination = PaginationOf(*page, list.total);
    return Success(req, 200, w.Take(), {}, &pagination);
  };
}

}  // namespace evently::http::handlers
