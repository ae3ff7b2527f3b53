#include "storage/notification_store.hpp"

#include "storage/seat_pipeline.hpp"

namespace evently::storage {

using domain::Notification;
using domain::ToEpochMillis;

namespace {

constexpr Statement kList{
    "notifications_list",
    "SELECT id, user_id, kind, title, body, event_id, created_at, read_at FROM notifications "
    "WHERE user_id = $1 AND ($2 = 0 OR read_at IS NULL) "
    "ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"};
constexpr Statement kCount{
    "notifications_count",
    "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND ($2 = 0 OR read_at IS NULL)"};
constexpr Statement kMarkRead{
    "notification_mark_read",
    "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2 "
    "RETURNING id, user_id, kind, title, body, event_id, created_at, read_at"};
// Claiming counts the attempt, so a node that dies mid-send still moves the backoff on.
constexpr Statement kClaimPg{
    "outbox_claim",
    "UPDATE outbox SET lease_until = $3, attempts = attempts + 1 WHERE id IN ("
    "SELECT id FROM outbox WHERE channel = $1 AND status = 'pending' AND next_attempt_at <= $2 "
    "AND lease_until <= $2 ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) "
    "RETURNING id, notification_id, recipient, subject, body, attempts"};
constexpr Statement kClaimSqlite{
    "outbox_claim",
    "UPDATE outbox SET lease_until = $3, attempts = attempts + 1 WHERE id IN ("
    "SELECT id FROM outbox WHERE channel = $1 AND status = 'pending' AND next_attempt_at <= $2 "
    "AND lease_until <= $2 ORDER BY next_attempt_at LIMIT $4) "
    "RETURNING id, notification_id, recipient, subject, body, attempts"};
constexpr Statement kDelivered{
    "outbox_delivered",
    "UPDATE outbox SET status = 'delivered', delivered_at = $2, lease_until = 0 "
    "WHERE id = $1 AND status = 'pending'"};
constexpr Statement kRetry{
    "outbox_retry",
    "UPDATE outbox SET next_attempt_at = $2, lease_until = 0, last_error = $3, "
    "status = CASE WHEN $4 = 1 THEN 'failed' ELSE status END WHERE id = $1 AND status = 'pending'"};

Notification FromRow(const Rows& rows, std::size_t r) {
  Notification n;
  n.id = rows.Text(r, 0);
  n.user_id = rows.Text(r, 1);
  n.kind = rows.Text(r, 2);
  n.title = rows.Text(r, 3);
  n.body = rows.Text(r, 4);
  n.event_id = rows.OptText(r, 5);
  n.created_at = domain::FromEpochMillis(rows.Int(r, 6));
  if (auto t = rows.OptInt(r, 7)) n.read_at = domain::FromEpochMillis(*t);
  return n;
}

}  // namespace

domain::Page<Notification> NotificationStore::ListForUser(const std::string& user_id,
                                                          domain::PageRequest page,
                                                          bool unread_only) {
  domain::Page<Notification> out;
  std::int64_t unread = unread_only ? 1 : 0;
  db_.Read([&](Connection& conn) {
    out.items.clear();
    out.total = conn.Exec(kCount, {user_id, unread}).Int(0, 0);
    Rows rows = conn.Exec(kList, {user_id, unread, page.per_page, page.offset()});
    for (std::size_t r = 0; r < rows.size(); ++r) out.items.push_back(FromRow(rows, r));
  });
  return out;
}

std::optional<Notification> NotificationStore::MarkRead(const std::string& notification_id,
                                                        const std::string& user_id,
                                                        domain::TimePoint now) {
  std::optional<Notification> read;
  db_.Write([&](Connection& conn) {
    Rows rows = conn.Exec(kMarkRead, {notification_id, user_id, ToEpochMillis(now)});
    read = rows.empty() ? std::nullopt : std::optional(FromRow(rows, 0));
  });
  return read;
}

std::vector<domain::Delivery> NotificationStore::ClaimDue(domain::Channel channel,
                                                          domain::TimePoint now,
                                                          domain::Millis lease, int limit) {
  std::vector<domain::Delivery> due;
  db_.Write([&](Connection& conn) {
    due.clear();
    Rows rows = conn.Exec(Pick(conn, kClaimPg, kClaimSqlite),
                          {std::string(domain::ChannelName(channel)), ToEpochMillis(now),
                           ToEpochMillis(now + lease), std::int64_t{limit}});
    for (std::size_t r = 0; r < rows.size(); ++r) {
      due.push_back({rows.Text(r, 0), rows.Text(r, 1), channel, rows.Text(r, 2), rows.Text(r, 3),
                     rows.Text(r, 4), rows.Int(r, 5) - 1});
    }
  });
  return due;
}

void NotificationStore::MarkDelivered(const std::string& delivery_id, domain::TimePoint now) {
  db_.Write([&](Connection& conn) { conn.Exec(kDelivered, {delivery_id, ToEpochMillis(now)}); });
}

void NotificationStore::RetryLater(const std::string& delivery_id, domain::TimePoint next_attempt,
                                   const std::string& error, bool give_up) {
  std::string message = error.substr(0, 500);
  db_.Write([&](Connection& conn) {
    conn.Exec(kRetry,
              {delivery_id, ToEpochMillis(next_attempt), message, std::int64_t{give_up ? 1 : 0}});
  });
}

}  // namespace evently::storage
