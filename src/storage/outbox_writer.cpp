#include "storage/outbox_writer.hpp"

#include "domain/ids.hpp"

namespace evently::storage {
namespace {

// Each row takes the user's contact inside the insert, so the writes need no answer and can be
// deferred (sent with the transaction's next round trip); a user that does not exist gets none.
// PostgreSQL types the selected parameters from these casts, SQLite needs none.
constexpr Statement kInsertNotificationPg{
    "notification_insert",
    "INSERT INTO notifications (id, user_id, kind, title, body, event_id, created_at) "
    "SELECT $1::uuid, id, $3, $4, $5, $6::uuid, $7::bigint FROM users WHERE id = $2::uuid"};
constexpr Statement kInsertNotificationSqlite{
    "notification_insert",
    "INSERT INTO notifications (id, user_id, kind, title, body, event_id, created_at) "
    "SELECT $1, id, $3, $4, $5, $6, $7 FROM users WHERE id = $2"};
// $7: 1 for SMS (to the user's phone, when there is one), 0 for email.
constexpr Statement kInsertDeliveryPg{
    "outbox_insert",
    "INSERT INTO outbox (id, notification_id, channel, recipient, subject, body, status, "
    "attempts, next_attempt_at, lease_until, created_at) "
    "SELECT $1::uuid, $2::uuid, CASE WHEN $7::bigint = 1 THEN 'sms' ELSE 'email' END, "
    "CASE WHEN $7::bigint = 1 THEN phone ELSE email END, $4, $6, 'pending', 0, $5::bigint, 0, "
    "$5::bigint FROM users WHERE id = $3::uuid AND ($7::bigint = 0 OR COALESCE(phone, '') <> '')"};
constexpr Statement kInsertDeliverySqlite{
    "outbox_insert",
    "INSERT INTO outbox (id, notification_id, channel, recipient, subject, body, status, "
    "attempts, next_attempt_at, lease_until, created_at) "
    "SELECT $1, $2, CASE WHEN $7 = 1 THEN 'sms' ELSE 'email' END, "
    "CASE WHEN $7 = 1 THEN phone ELSE email END, $4, $6, 'pending', 0, $5, 0, $5 "
    "FROM users WHERE id = $3 AND ($7 = 0 OR COALESCE(phone, '') <> '')"};

}  // namespace

void WriteNotification(Connection& conn, const std::string& user_id,
                       const std::optional<std::string>& event_id, const domain::Notice& notice,
                       NoticeChannels channels, domain::TimePoint now) {
  std::int64_t at = domain::ToEpochMillis(now);
  std::string id = domain::NewUuidV7(now);
  conn.Defer(Pick(conn, kInsertNotificationPg, kInsertNotificationSqlite),
             {id, user_id, std::string(domain::NotificationKindName(notice.kind)), notice.title,
              notice.body, event_id ? Param(*event_id) : Param(nullptr), at});
  const Statement& delivery = Pick(conn, kInsertDeliveryPg, kInsertDeliverySqlite);
  if (channels.email) {
    conn.Defer(delivery, {domain::NewUuidV7(now), id, user_id, notice.title, at, notice.body,
                          std::int64_t{0}});
  }
  if (channels.sms) {
    conn.Defer(delivery, {domain::NewUuidV7(now), id, user_id, notice.title, at, notice.sms,
                          std::int64_t{1}});
  }
}

}  // namespace evently::storage
