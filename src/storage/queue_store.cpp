#include "storage/queue_store.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "storage/json_rows.hpp"

namespace evently::storage {
namespace {

using domain::ErrorCode;
using domain::FromEpochMillis;
using domain::QueueTicket;
using domain::TicketStatus;
using domain::ToEpochMillis;

// What domain::NoSeatLeft decides on, as two columns: the seats available, and 1 when any is
// held (a pending booking or an offer that may give it back).
#define EVENTLY_SEATS_LEFT(event)                                                   \
  "(SELECT COALESCE(SUM(available), 0) FROM event_sections WHERE event_id = " event \
  "), "                                                                             \
  "CASE WHEN EXISTS (SELECT 1 FROM seats WHERE event_id = " event                   \
  " AND status = 'held') THEN 1 ELSE 0 END"
// What a join is decided on (domain::QueueFacts), and the rate for the tickets' wait.
constexpr Statement kJoinFacts{
    "queue_join_facts",
    "SELECT start_time, cancelled_at, sale_starts_at, queue_enabled, queue_admit_per_minute, "
    "queue_window_seconds, queue_opens_before_seconds, " EVENTLY_SEATS_LEFT(
        "$1") " FROM events WHERE id = $1"};
#define EVENTLY_TICKET_COLUMNS                                                              \
  "SELECT t.id, t.event_id, t.user_id, t.order_key, t.status, t.joined_at, t.admitted_at, " \
  "t.admission_expires_at, COALESCE(e.queue_admit_per_minute, 0) FROM queue_tickets t "     \
  "JOIN events e ON e.id = t.event_id "
constexpr Statement kTicketsOfUsersPg{"queue_tickets_of_users", EVENTLY_TICKET_COLUMNS
                                      "WHERE t.event_id = $1 AND t.user_id = ANY($2::uuid[])"};
constexpr Statement kTicketsOfUsersSqlite{
    "queue_tickets_of_users", EVENTLY_TICKET_COLUMNS
    "WHERE t.event_id = $1 AND t.user_id IN (SELECT value FROM json_each($2))"};
constexpr Statement kTicketOfUser{
    "queue_ticket_of_user", EVENTLY_TICKET_COLUMNS "WHERE t.event_id = $1 AND t.user_id = $2"};
constexpr Statement kTicketById{"queue_ticket_by_id",
                                EVENTLY_TICKET_COLUMNS "WHERE t.event_id = $1 AND t.id = $2"};
#undef EVENTLY_TICKET_COLUMNS
// Arrival numbers for the batch's joins after the sale start; the row stays locked until the
// commit, so numbers follow commit order on every node.
constexpr Statement kReserveArrivals{
    "queue_reserve_arrivals",
    "INSERT INTO queue_admissions (event_id, arrivals) VALUES ($1, $2) ON CONFLICT (event_id) "
    "DO UPDATE SET arrivals = queue_admissions.arrivals + EXCLUDED.arrivals RETURNING arrivals"};
// Rows [id, user_id, order_key, joined_at]; a user the store does not have gets no ticket, and
// a ticket another node just made for the same user is left as it is (both found afterwards).
constexpr Statement kInsertTicketsPg{
    "queue_insert_tickets",
    "INSERT INTO queue_tickets (id, event_id, user_id, order_key, status, joined_at, updated_at) "
    "SELECT (r->>0)::uuid, $1::uuid, (r->>1)::uuid, (r->>2)::bigint, 'waiting', "
    "(r->>3)::bigint, (r->>3)::bigint FROM json_array_elements($2::json) AS r "
    "WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = (r->>1)::uuid) "
    "ON CONFLICT (event_id, user_id) DO NOTHING RETURNING id"};
constexpr Statement kInsertTicketsSqlite{
    "queue_insert_tickets",
    "INSERT INTO queue_tickets (id, event_id, user_id, order_key, status, joined_at, updated_at) "
    "SELECT json_extract(value, '$[0]'), $1, json_extract(value, '$[1]'), "
    "json_extract(value, '$[2]'), 'waiting', json_extract(value, '$[3]'), "
    "json_extract(value, '$[3]') FROM json_each($2) "
    "WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = json_extract(value, '$[1]')) "
    "ON CONFLICT (event_id, user_id) DO NOTHING RETURNING id"};
constexpr Statement kLeave{
    "queue_leave",
    "UPDATE queue_tickets SET status = 'left', updated_at = $3 WHERE event_id = $1 "
    "AND user_id = $2 AND status IN ('waiting', 'admitted')"};
constexpr Statement kWaitingKeys{
    "queue_waiting_keys",
    "SELECT order_key FROM queue_tickets WHERE event_id = $1 AND status = 'waiting' "
    "ORDER BY order_key"};
constexpr Statement kCounts{
    "queue_counts",
    "SELECT status, COUNT(*), SUM(CASE WHEN admitted_at >= $2 THEN 1 ELSE 0 END) "
    "FROM queue_tickets WHERE event_id = $1 GROUP BY status"};
constexpr Statement kActiveQueues{
    "queue_active",
    "SELECT id FROM events WHERE queue_enabled = 1 AND sale_starts_at <= $1 "
    "AND cancelled_at IS NULL AND start_time > $1"};
// The admission round: the event's row of counts (made on first use), locked for the round.
constexpr Statement kEnsureAdmissions{
    "queue_ensure_admissions",
    "INSERT INTO queue_admissions (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING"};
#define EVENTLY_LOCK_ADMISSIONS \
  "SELECT a.spent, e.sale_starts_at, e.queue_admit_per_minute, " \
  "e.queue_window_seconds, "      \
  EVENTLY_SEATS_LEFT("$1") " FROM queue_admissions a JOIN events e ON e.id = a.event_id "       \
  "WHERE a.event_id = $1"
constexpr Statement kLockAdmissionsPg{"queue_lock_admissions",
                                      EVENTLY_LOCK_ADMISSIONS " FOR UPDATE OF a"};
constexpr Statement kLockAdmissionsSqlite{"queue_lock_admissions", EVENTLY_LOCK_ADMISSIONS};
#undef EVENTLY_LOCK_ADMISSIONS
#undef EVENTLY_SEATS_LEFT
constexpr Statement kExpireWindows{
    "queue_expire_windows",
    "UPDATE queue_tickets SET status = 'expired', updated_at = $2 WHERE event_id = $1 "
    "AND status = 'admitted' AND admission_expires_at <= $2"};
constexpr Statement kSoldOut{
    "queue_sold_out",
    "UPDATE queue_tickets SET status = 'sold_out', updated_at = $2 WHERE event_id = $1 "
    "AND status = 'waiting'"};
constexpr Statement kAdmitNext{
    "queue_admit_next",
    "UPDATE queue_tickets SET status = 'admitted', admitted_at = $2, admission_expires_at = $3, "
    "updated_at = $2 WHERE event_id = $1 AND status = 'waiting' AND id IN (SELECT id FROM "
    "queue_tickets WHERE event_id = $1 AND status = 'waiting' ORDER BY order_key LIMIT $4)"};
constexpr Statement kSpend{"queue_spend",
                           "UPDATE queue_admissions SET spent = $2 WHERE event_id = $1"};

QueueTicket ReadTicket(const Rows& rows, std::size_t r) {
  QueueTicket t;
  t.id = rows.Text(r, 0);
  t.event_id = rows.Text(r, 1);
  t.user_id = rows.Text(r, 2);
  t.order_key = rows.Int(r, 3);
  t.status = domain::ParseTicketStatus(rows.Text(r, 4)).value_or(TicketStatus::kWaiting);
  t.joined_at = FromEpochMillis(rows.Int(r, 5));
  if (auto at = rows.OptInt(r, 6)) t.admitted_at = FromEpochMillis(*at);
  if (auto at = rows.OptInt(r, 7)) t.admission_expires_at = FromEpochMillis(*at);
  t.admit_per_minute = rows.Int(r, 8);
  return t;
}

domain::QueueFacts ReadFacts(const Rows& row) {
  domain::QueueFacts facts;
  facts.start = FromEpochMillis(row.Int(0, 0));
  facts.cancelled = !row.IsNull(0, 1);
  if (auto sale = row.OptInt(0, 2)) facts.sale_starts_at = FromEpochMillis(*sale);
  if (auto rate = row.OptInt(0, 4)) {
    facts.queue = domain::QueueSettings{row.Int(0, 3) == 1, *rate, row.Int(0, 5), row.Int(0, 6)};
  }
  facts.sold_out = domain::NoSeatLeft(row.Int(0, 7), row.Int(0, 8) == 1);
  return facts;
}

std::size_t BatchThreads(const Database& db, std::size_t wanted) {
  if (wanted > 0) return wanted;
  return db.dialect() == Dialect::kPostgres ? 2 : 1;
}

// The users' tickets of the event, by user.
std::map<std::string, QueueTicket> TicketsOf(Connection& conn, const std::string& event_id,
                                             const std::vector<std::string>& users) {
  Rows rows = conn.Exec(Pick(conn, kTicketsOfUsersPg, kTicketsOfUsersSqlite),
                        {event_id, IdList(conn.dialect(), users)});
  std::map<std::string, QueueTicket> out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    QueueTicket t = ReadTicket(rows, r);
    out.emplace(t.user_id, std::move(t));
  }
  return out;
}

}  // namespace

QueueStoreSql::QueueStoreSql(Database& db, QueueStoreOptions options)
    : db_(db),
      options_(options),
      threads_(BatchThreads(db, options.batch_threads)),
      batches_(threads_, options.max_batch, [this](const auto& batch) { RunBatch(batch); }) {}

void QueueStoreSql::Join(const domain::QueueJoinRequest& request,
                         std::function<void(domain::Result<domain::QueueJoinOutcome>)> done) {
  auto pending = std::make_shared<PendingJoin>();
  pending->request = request;
  batches_.Submit(request.event_id, *pending, [pending, done = std::move(done)] {
    if (pending->failure) {
      try {
        std::rethrow_exception(pending->failure);
      } catch (const SqlError& e) {
        done(domain::MakeError(ErrorCode::kServiceUnavailable));
        return;
      } catch (const domain::StoreUnavailable&) {
        done(domain::MakeError(ErrorCode::kServiceUnavailable));
        return;
      } catch (...) {
        done(domain::MakeError(ErrorCode::kServerError));
        return;
      }
    }
    done(std::move(*pending->result));
  });
}

void QueueStoreSql::RunBatch(const std::vector<PendingJoin*>& batch) {
  const std::string& event_id = batch.front()->request.event_id;
  db_.Write([&](Connection& conn) {
    for (PendingJoin* p : batch) p->result.reset();
    Rows facts_row = conn.Exec(kJoinFacts, {event_id});
    if (facts_row.empty()) {
      for (PendingJoin* p : batch) p->result = domain::MakeError(ErrorCode::kEventNotFound);
      return;
    }
    domain::QueueFacts facts = ReadFacts(facts_row);
    std::vector<std::string> users;
    users.reserve(batch.size());
    for (PendingJoin* p : batch) users.push_back(p->request.user_id);
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    std::map<std::string, QueueTicket> existing = TicketsOf(conn, event_id, users);
    // The first join of each user without a ticket that may proceed makes one; the others get
    // that one (or the existing one) as joined twice.
    std::vector<PendingJoin*> making;
    std::set<std::string> made;
    std::int64_t after_start = 0;
    for (PendingJoin* p : batch) {
      const auto& req = p->request;
      if (existing.contains(req.user_id) || made.contains(req.user_id)) continue;
      if (auto refusal = domain::RefuseJoin(facts, req.now)) {
        p->result = std::move(*refusal);
        continue;
      }
      made.insert(req.user_id);
      making.push_back(p);
      if (!domain::JoinsBeforeStart(facts.sale_starts_at, req.now)) ++after_start;
    }
    std::int64_t next_arrival = 0;
    if (after_start > 0) {
      next_arrival = conn.Exec(kReserveArrivals, {event_id, after_start}).Int(0, 0) - after_start;
    }
    std::int64_t rate = facts.queue ? facts.queue->admit_per_minute : 0;
    std::map<std::string, QueueTicket> fresh;  // by user
    for (PendingJoin* p : making) {
      const auto& req = p->request;
      QueueTicket t;
      t.id = req.ticket_id;
      t.event_id = event_id;
      t.user_id = req.user_id;
      bool early = domain::JoinsBeforeStart(facts.sale_starts_at, req.now);
      t.order_key =
          domain::OrderKey(facts.sale_starts_at, req.now, req.random, early ? 0 : ++next_arrival);
      t.joined_at = req.now;
      t.admit_per_minute = rate;
      fresh.emplace(t.user_id, std::move(t));
    }
    // Inserted in user order: batches of two nodes with the same users wait on each other's
    // unique-index entries in one order, never in a cycle.
    JsonRows rows;
    for (const auto& [_, t] : fresh) {
      rows.Row().Text(t.id).Text(t.user_id).Int(t.order_key).Int(ToEpochMillis(t.joined_at));
    }
    std::set<std::string> inserted;
    if (!making.empty()) {
      Rows ids =
          conn.Exec(Pick(conn, kInsertTicketsPg, kInsertTicketsSqlite), {event_id, rows.Close()});
      for (std::size_t r = 0; r < ids.size(); ++r) inserted.insert(ids.Text(r, 0));
    }
    // A ticket not inserted: another node's commit made the user's ticket first, or the user is
    // gone. Read those again.
    std::vector<std::string> missing;
    for (const auto& [user, t] : fresh) {
      if (!inserted.contains(t.id)) missing.push_back(user);
    }
    if (!missing.empty()) {
      for (auto& [user, t] : TicketsOf(conn, event_id, missing))
        existing.emplace(user, std::move(t));
      for (const std::string& user : missing) fresh.erase(user);
    }
    for (PendingJoin* p : batch) {
      if (p->result) continue;
      const std::string& user = p->request.user_id;
      if (auto it = existing.find(user); it != existing.end()) {
        p->result = domain::QueueJoinOutcome{it->second, false};
      } else if (auto made_it = fresh.find(user); made_it != fresh.end()) {
        const QueueTicket& t = made_it->second;
        p->result = domain::QueueJoinOutcome{t, t.id == p->request.ticket_id};
      } else {
        p->result =
            domain::MakeError(ErrorCode::kAuthTokenInvalid, "The token's user does not exist");
      }
    }
  });
}

std::optional<QueueTicket> QueueStoreSql::FindForUser(const std::string& event_id,
                                                      const std::string& user_id) {
  Rows rows = db_.ReadOne(kTicketOfUser, {event_id, user_id});
  if (rows.empty()) return std::nullopt;
  return ReadTicket(rows, 0);
}

std::optional<QueueTicket> QueueStoreSql::Find(const std::string& event_id,
                                               const std::string& ticket_id) {
  Rows rows = db_.ReadOne(kTicketById, {event_id, ticket_id});
  if (rows.empty()) return std::nullopt;
  return ReadTicket(rows, 0);
}

domain::Result<QueueTicket> QueueStoreSql::Leave(const std::string& event_id,
                                                 const std::string& user_id,
                                                 domain::TimePoint now) {
  std::optional<QueueTicket> ticket;
  db_.Write([&](Connection& conn) {
    conn.Exec(kLeave, {event_id, user_id, ToEpochMillis(now)});
    Rows rows = conn.Exec(kTicketOfUser, {event_id, user_id});
    ticket.reset();
    if (!rows.empty()) ticket = ReadTicket(rows, 0);
  });
  if (!ticket) return domain::MakeError(ErrorCode::kQueueTicketNotFound);
  return std::move(*ticket);
}

std::vector<std::int64_t> QueueStoreSql::WaitingKeys(const std::string& event_id) {
  Rows rows = db_.ReadOne(kWaitingKeys, {event_id});
  std::vector<std::int64_t> keys;
  keys.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) keys.push_back(rows.Int(r, 0));
  return keys;
}

domain::QueueCounts QueueStoreSql::Counts(const std::string& event_id, domain::TimePoint now) {
  Rows rows = db_.ReadOne(kCounts, {event_id, ToEpochMillis(now - std::chrono::minutes(1))});
  domain::QueueCounts counts;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::int64_t n = rows.Int(r, 1);
    counts.admitted_last_minute += rows.OptInt(r, 2).value_or(0);
    switch (domain::ParseTicketStatus(rows.Text(r, 0)).value_or(TicketStatus::kWaiting)) {
      case TicketStatus::kWaiting:
        counts.waiting = n;
        break;
      case TicketStatus::kAdmitted:
        counts.admitted = n;
        break;
      case TicketStatus::kExpired:
        counts.expired = n;
        break;
      case TicketStatus::kLeft:
        counts.left = n;
        break;
      case TicketStatus::kSoldOut:
        counts.sold_out = n;
        break;
    }
  }
  return counts;
}

std::vector<std::string> QueueStoreSql::ActiveQueues(domain::TimePoint now) {
  Rows rows = db_.ReadOne(kActiveQueues, {ToEpochMillis(now)});
  std::vector<std::string> ids;
  for (std::size_t r = 0; r < rows.size(); ++r) ids.push_back(rows.Text(r, 0));
  return ids;
}

domain::AdmissionRound QueueStoreSql::Admit(const std::string& event_id, domain::TimePoint now) {
  domain::AdmissionRound round;
  db_.Write([&](Connection& conn) {
    round = {};
    conn.Exec(kEnsureAdmissions, {event_id});
    Rows lock = conn.Exec(Pick(conn, kLockAdmissionsPg, kLockAdmissionsSqlite), {event_id});
    if (lock.empty() || lock.IsNull(0, 1) || lock.IsNull(0, 2)) return;
    std::int64_t spent = lock.Int(0, 0);
    domain::TimePoint sale_start = FromEpochMillis(lock.Int(0, 1));
    std::int64_t rate = lock.Int(0, 2);
    std::int64_t window = lock.OptInt(0, 3).value_or(domain::kDefaultWindowSeconds);
    if (options_.window_cap_seconds > 0) window = std::min(window, options_.window_cap_seconds);
    std::int64_t at = ToEpochMillis(now);
    round.expired = conn.Exec(kExpireWindows, {event_id, at}).affected();
    if (domain::NoSeatLeft(lock.Int(0, 4), lock.Int(0, 5) == 1)) {
      round.sold_out = conn.Exec(kSoldOut, {event_id, at}).affected();
    } else {
      std::int64_t allowed = domain::AllowedAdmissions(rate, sale_start, now);
      std::int64_t due = allowed - spent;
      if (due > 0) {
        round.admitted = conn.Exec(kAdmitNext, {event_id, at, at + window * 1000, due}).affected();
        // Allowance nobody waited for is let go: admissions never come in a burst after a lull.
        std::int64_t spent_now = round.admitted < due ? allowed : spent + round.admitted;
        conn.Exec(kSpend, {event_id, spent_now});
      }
    }
  });
  if (round.admitted + round.expired + round.sold_out > 0) round.events.push_back(event_id);
  return round;
}

}  // namespace evently::storage
