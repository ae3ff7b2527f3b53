#include "storage/outbox_writer.hpp"

#include "domain/ids.hpp"

namespace evently::storage {
namespace {

constexpr Statement kUserContact{"outbox_user_contact",
                                 "SELECT email, phone FROM users WHERE id = $1"};
constexpr Statement kInsertNotification{
    "notification_insert",
    "INSERT INTO notifications (id, user_id, kind, title, body, event_id, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr Statement kInsertDelivery{
    "outbox_insert",
    "INSERT INTO outbox (id, notification_id, channel, recipient, subject, body, status, "
    "attempts, next_attempt_at, lease_until, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, 0, $7)"};

}  // namespace

void WriteNotification(Connection& conn, const std::string& user_id,
                       const std::optional<std::string>& event_id, const domain::Notice& notice,
                       NoticeChannels channels, domain::TimePoint now) {
  Rows contact = conn.Exec(kUserContact, {user_id});
  if (contact.empty()) return;
  std::int64_t at = domain::ToEpochMillis(now);
  std::string id = domain::NewUuidV7(now);
  conn.Exec(kInsertNotification,
            {id, user_id, std::string(domain::NotificationKindName(notice.kind)), notice.title,
             notice.body, event_id ? Param(*event_id) : Param(nullptr), at});
  if (channels.email) {
    conn.Exec(kInsertDelivery, {domain::NewUuidV7(now), id, std::string("email"),
                                contact.Text(0, 0), notice.title, notice.body, at});
  }
  std::optional<std::string> phone = contact.OptText(0, 1);
  if (channels.sms && phone && !phone->empty()) {
    conn.Exec(kInsertDelivery, {domain::NewUuidV7(now), id, std::string("sms"), *phone,
                                notice.title, notice.sms, at});
  }
}

}  // namespace evently::storage
