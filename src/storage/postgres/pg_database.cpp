#include "storage/postgres/pg_database.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "domain/error.hpp"
#include "storage/postgres/pg_socket.hpp"

namespace evently::storage {

class PgConnection final : public Connection {
 public:
  // Connects by `deadline`; every later wait of the connection is bounded by the deadline of the
  // call it serves (SetDeadline), and the server gives up on a statement, or on a transaction
  // left idle, after `timeout` too, so it stops work nobody waits for any more.
  PgConnection(const std::string& url, std::chrono::milliseconds timeout,
               pg::Clock::time_point deadline)
      : timeout_(timeout), deadline_(deadline) {
    std::string error;
    conn_ = pg::Connect(url, "evently", timeout, deadline, error);
    if (!conn_)
      throw SqlError(SqlError::Kind::kConnection, "cannot connect to PostgreSQL: " + error);
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    // Reads run without BEGIN (a statement is its own transaction), so read-only is the
    // connection's default and a write slipped into a Read fails; Write begins READ WRITE.
    std::string ms = std::to_string(timeout.count());
    std::string setup = "SET default_transaction_read_only = on; SET statement_timeout = " + ms +
                        "; SET idle_in_transaction_session_timeout = " + ms;
    pg::Wait wait = pg::Wait::kReady;
    PGresult* set = pg::Exec(conn_, setup.c_str(), deadline_, wait);
    bool ok = set && PQresultStatus(set) == PGRES_COMMAND_OK;
    std::string message = ok                                 ? std::string()
                          : wait != pg::Wait::kReady         ? pg::Describe(wait, conn_, timeout_)
                          : set && PQresultErrorMessage(set) ? PQresultErrorMessage(set)
                                                             : PQerrorMessage(conn_);
    PQclear(set);
    if (!ok) {
      PQfinish(conn_);
      conn_ = nullptr;
      throw SqlError(SqlError::Kind::kConnection,
                     "cannot set up the PostgreSQL session: " + message);
    }
  }
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  bool healthy() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }
  // healthy(), and not closed by the server while it sat idle (pg::StillOpen).
  bool StillOpen() { return healthy() && pg::StillOpen(conn_); }
  // Until when the call this connection serves may wait for the server; none: for as long as it
  // takes.
  void SetDeadline(pg::Deadline deadline) { deadline_ = deadline; }

  // BEGIN is not sent on its own: it goes with the transaction's first statement.
  void Begin(const char* begin) {
    begin_ = begin;
    in_transaction_ = true;
    deferred_.clear();
  }
  // The deferred writes and the COMMIT in one round trip; nothing at all for a transaction
  // that never ran a statement.
  void Commit() {
    in_transaction_ = false;
    if (begin_ && deferred_.empty()) {
      begin_ = nullptr;
      return;
    }
    Run({}, "COMMIT");
  }
  // Never throws: a connection that cannot roll back is dropped from the pool instead.
  void Rollback() {
    bool started = begin_ == nullptr;
    begin_ = nullptr;
    in_transaction_ = false;
    deferred_.clear();
    if (!started || !healthy()) return;
    try {
      ExecScript("ROLLBACK");
    } catch (const SqlError&) {
      broken_ = true;
    }
  }

  void ExecScript(std::string_view sql) override {
    if (begin_ || !deferred_.empty()) Run({}, nullptr);
    std::string text(sql);
    pg::Wait wait = pg::Wait::kReady;
    PGresult* res = pg::Exec(conn_, text.c_str(), deadline_, wait);
    if (wait != pg::Wait::kReady) Lost(wait);
    if (!res) return;  // no statement in `sql`
    Check(res, "script");
    PQclear(res);
  }

  // One statement is a pipeline of one: a statement used for the first time is prepared in the
  // same round trip, and a pending BEGIN and deferred writes go with it.
  Rows Exec(const Statement& statement, std::span<const Param> params) override {
    Call call{statement, {params.begin(), params.end()}};
    return std::move(Run(std::span<const Call>(&call, 1), nullptr).front());
  }

  std::vector<Rows> Pipeline(std::span<const Call> calls) override {
    if (calls.empty()) return {};
    return Run(calls, nullptr);
  }

  void Defer(const Statement& statement, std::span<const Param> params) override {
    if (!in_transaction_) {
      Exec(statement, params);
      return;
    }
    deferred_.push_back(Call{statement, {params.begin(), params.end()}});
  }

 private:
  // Parameters as libpq wants them: text, or null.
  struct Values {
    explicit Values(std::span<const Param> params) : pointers(params.size(), nullptr) {
      ints.reserve(params.size());
      for (std::size_t i = 0; i < params.size(); ++i) {
        if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
          ints.push_back(std::to_string(*n));
          pointers[i] = ints.back().c_str();
        } else if (const auto* s = std::get_if<std::string>(&params[i])) {
          pointers[i] = s->c_str();
        }
      }
    }
    std::vector<std::string> ints;
    std::vector<const char*> pointers;
  };

  // What was sent, in order, and whose answer the caller gets.
  struct Sent {
    enum class Kind { kPrepare, kCommand, kDeferred, kCall } kind;
    std::string_view name;
  };

  // Sends the pending BEGIN, the deferred writes, `calls` and `trailer` (COMMIT) as one
  // pipeline and returns the rows of `calls`. The first failure is thrown once every answer
  // has been read, so the connection is left idle and usable (for the ROLLBACK).
  std::vector<Rows> Run(std::span<const Call> calls, const char* trailer) {
    std::vector<Call> deferred = std::move(deferred_);
    deferred_.clear();
    const char* begin = begin_;
    begin_ = nullptr;
    if (PQenterPipelineMode(conn_) != 1) {
      broken_ = true;
      throw SqlError(SqlError::Kind::kConnection, PQerrorMessage(conn_));
    }
    std::vector<Sent> sent;
    std::unordered_set<std::string_view> preparing;
    bool send_failed = false;
    auto command = [&](const char* sql) {
      if (!PQsendQueryParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0)) {
        send_failed = true;
      }
      sent.push_back({Sent::Kind::kCommand, sql});
    };
    auto query = [&](const Call& call, Sent::Kind kind) {
      std::string name(call.statement.name);
      if (!prepared_.contains(call.statement.name) && !preparing.contains(call.statement.name)) {
        std::string sql(call.statement.sql);
        if (!PQsendPrepare(conn_, name.c_str(), sql.c_str(), 0, nullptr)) send_failed = true;
        sent.push_back({Sent::Kind::kPrepare, call.statement.name});
        preparing.insert(call.statement.name);
      }
      Values values(call.params);
      if (!PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(call.params.size()),
                               values.pointers.data(), nullptr, nullptr, 0)) {
        send_failed = true;
      }
      sent.push_back({kind, call.statement.name});
    };
    if (begin) command(begin);
    for (const Call& call : deferred) query(call, Sent::Kind::kDeferred);
    for (const Call& call : calls) query(call, Sent::Kind::kCall);
    if (trailer) command(trailer);
    if (send_failed || PQpipelineSync(conn_) != 1) {
      broken_ = true;
      throw SqlError(SqlError::Kind::kConnection,
                     "PostgreSQL pipeline: " + std::string(PQerrorMessage(conn_)));
    }

    std::vector<Rows> out;
    out.reserve(calls.size());
    std::optional<SqlError> failure;
    for (const Sent& item : sent) {
      Rows rows;
      while (PGresult* res = NextResult()) {
        ExecStatusType status = PQresultStatus(res);
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
          if (item.kind == Sent::Kind::kPrepare) prepared_.insert(item.name);
          if (item.kind == Sent::Kind::kCall) rows = ToRows(res);
          PQclear(res);
        } else if (status == PGRES_PIPELINE_ABORTED) {
          PQclear(res);
        } else {
          try {
            Check(res, item.name);
          } catch (const SqlError& e) {
            if (!failure) failure = e;
          }
        }
      }
      if (item.kind == Sent::Kind::kCall) out.push_back(std::move(rows));
      if (!healthy()) break;
    }
    if (healthy()) {
      // The answer to the sync, after which the connection may leave pipeline mode.
      while (PGresult* res = NextResult()) {
        bool synced = PQresultStatus(res) == PGRES_PIPELINE_SYNC;
        PQclear(res);
        if (synced) break;
      }
      PQexitPipelineMode(conn_);
    }
    if (!healthy()) {
      throw SqlError(SqlError::Kind::kConnection,
                     "PostgreSQL connection lost: " + std::string(PQerrorMessage(conn_)));
    }
    if (failure) throw *failure;
    return out;
  }

  // The next result, read without waiting past the deadline. A server that does not answer in
  // time leaves the connection in an unknown state: it is marked broken (never pooled again).
  PGresult* NextResult() {
    pg::Wait wait = pg::AwaitResult(conn_, deadline_);
    if (wait != pg::Wait::kReady) Lost(wait);
    return PQgetResult(conn_);
  }

  [[noreturn]] void Lost(pg::Wait wait) {
    broken_ = true;
    throw SqlError(SqlError::Kind::kConnection, pg::Describe(wait, conn_, timeout_));
  }

  static Rows ToRows(PGresult* res) {
    Rows rows;
    int columns = PQnfields(res);
    int count = PQntuples(res);
    rows.SetColumns(static_cast<std::size_t>(columns));
    for (int r = 0; r < count; ++r) {
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res, r, c)) {
          rows.Append(std::nullopt);
        } else {
          rows.Append(
              std::string(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c))));
        }
      }
    }
    const char* affected = PQcmdTuples(res);
    rows.SetAffected(affected && *affected ? std::stoll(affected) : 0);
    return rows;
  }

  // Nothing for a result that succeeded; otherwise clears `res` and throws the error translated.
  void Check(PGresult* res, std::string_view what) {
    ExecStatusType status = PQresultStatus(res);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    const char* result_message = PQresultErrorMessage(res);
    std::string message =
        result_message && *result_message ? result_message : PQerrorMessage(conn_);
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char* constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
    std::string sqlstate = state ? state : "";
    std::string constraint_name = constraint ? constraint : "";
    PQclear(res);
    message += " [" + std::string(what) + "]";
    // Lost connections, the server shutting down, out of disk or connections (class 53), and a
    // statement stopped by statement_timeout (57014): the store cannot serve now, answered as 503.
    if (PQstatus(conn_) != CONNECTION_OK || sqlstate.rfind("08", 0) == 0 ||
        sqlstate.rfind("57P", 0) == 0 || sqlstate.rfind("53", 0) == 0 || sqlstate == "57014") {
      throw SqlError(SqlError::Kind::kConnection, message);
    }
    if (sqlstate == "23505") {
      throw SqlError(SqlError::Kind::kUniqueViolation, message, constraint_name);
    }
    // serialization_failure, deadlock_detected, lock_not_available
    if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
      throw SqlError(SqlError::Kind::kRetryable, message);
    }
    throw SqlError(SqlError::Kind::kOther, message);
  }

  PGconn* conn_ = nullptr;
  std::chrono::milliseconds timeout_;
  pg::Deadline deadline_;
  std::unordered_set<std::string_view> prepared_;
  const char* begin_ = nullptr;  // a transaction begun but not yet sent
  bool in_transaction_ = false;
  bool broken_ = false;  // a failed ROLLBACK or an answer not read left the session unknown
  std::vector<Call> deferred_;
};

namespace {

// Lifts the session's limits for the rest of one transaction (a migration).
constexpr Statement kLiftServerTimeouts{
    "lift_server_timeouts",
    "SELECT set_config('statement_timeout', '0', true), "
    "set_config('idle_in_transaction_session_timeout', '0', true)"};

}  // namespace

PgDatabase::PgDatabase(std::string url, const DatabaseOptions& options)
    : url_(std::move(url)), timeout_(std::max(options.timeout_ms, 1)) {
  size_ = options.pool_size == 0 ? 1 : options.pool_size;
  // One connection up front proves the URL; the rest open lazily.
  try {
    idle_.push_back(std::make_unique<PgConnection>(url_, timeout_, pg::Clock::now() + timeout_));
  } catch (const SqlError& e) {
    throw domain::StoreUnavailable(e.what());
  }
  for (std::size_t i = 1; i < size_; ++i) idle_.push_back(nullptr);
}

PgDatabase::~PgDatabase() = default;

// Waiting for a free connection and opening one, if it must, both count against `deadline`.
std::unique_ptr<PgConnection> PgDatabase::Acquire(pg::Clock::time_point deadline) {
  std::unique_ptr<PgConnection> conn;
  {
    std::unique_lock lock(mu_);
    if (!cv_.wait_until(lock, deadline, [&] { return !idle_.empty(); })) {
      throw domain::StoreUnavailable("no database connection free within " +
                                     std::to_string(timeout_.count()) + " ms");
    }
    conn = std::move(idle_.back());
    idle_.pop_back();
  }
  // One closed while idle (the server restarted) is replaced, rather than failing this call.
  if (conn && conn->StillOpen()) return conn;
  try {
    return std::make_unique<PgConnection>(url_, timeout_, deadline);
  } catch (const SqlError& e) {
    Release(nullptr);
    throw domain::StoreUnavailable(e.what());
  }
}

void PgDatabase::Release(std::unique_ptr<PgConnection> conn) {
  if (conn && !conn->healthy()) conn.reset();
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

void PgDatabase::RunTransaction(const char* begin, const std::function<void(Connection&)>& work,
                                bool bounded) {
  // One deadline for the whole call, retries included: a store that stops answering fails it
  // within timeout_, not after as many timeouts as it has round trips.
  auto deadline = pg::Clock::now() + timeout_;
  for (int tries = 1;; ++tries) {
    if (tries > 1 && pg::Clock::now() >= deadline) {
      throw domain::StoreUnavailable("the store kept refusing the transaction for " +
                                     std::to_string(timeout_.count()) + " ms");
    }
    std::unique_ptr<PgConnection> conn = Acquire(deadline);
    conn->SetDeadline(bounded ? pg::Deadline(deadline) : std::nullopt);
    try {
      if (begin) conn->Begin(begin);
      try {
        if (!bounded) conn->Exec(kLiftServerTimeouts, {});
        work(*conn);
        if (begin) conn->Commit();
      } catch (...) {
        if (begin) conn->Rollback();
        throw;
      }
      Release(std::move(conn));
      return;
    } catch (const SqlError& e) {
      Release(std::move(conn));
      if (e.kind() == SqlError::Kind::kConnection) throw domain::StoreUnavailable(e.what());
      if (e.kind() != SqlError::Kind::kRetryable || tries >= 8) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(tries));
    } catch (...) {
      Release(std::move(conn));
      throw;
    }
  }
}

void PgDatabase::Write(const std::function<void(Connection&)>& work) {
  RunTransaction("BEGIN READ WRITE", work);
}

void PgDatabase::WriteWithoutDeadline(const std::function<void(Connection&)>& work) {
  RunTransaction("BEGIN READ WRITE", work, /*bounded=*/false);
}

void PgDatabase::Read(const std::function<void(Connection&)>& work) {
  RunTransaction(nullptr, work);
}

void PgDatabase::ReadSnapshot(const std::function<void(Connection&)>& work) {
  RunTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", work);
}

Rows PgDatabase::ReadOne(const Statement& statement, std::span<const Param> params) {
  Rows rows;
  Read([&](Connection& conn) { rows = conn.Exec(statement, params); });
  return rows;
}

void PgDatabase::Probe(std::chrono::milliseconds timeout,
                       const std::function<void(Connection&)>& work) {
  auto deadline = pg::Clock::now() + std::min(timeout, timeout_);
  std::unique_lock lock(probe_mu_, deadline);
  if (!lock.owns_lock()) {
    throw domain::StoreUnavailable("an earlier readiness probe is still waiting for the store");
  }
  try {
    if (!probe_ || !probe_->StillOpen()) {
      probe_.reset();
      probe_ = std::make_unique<PgConnection>(url_, timeout_, deadline);
    }
    probe_->SetDeadline(deadline);
    work(*probe_);
  } catch (const SqlError& e) {
    if (probe_ && !probe_->healthy()) probe_.reset();
    if (e.kind() == SqlError::Kind::kConnection) throw domain::StoreUnavailable(e.what());
    throw;
  }
}

PoolStats PgDatabase::Stats() const {
  std::lock_guard lock(mu_);
  return PoolStats{size_, size_ - idle_.size()};
}

}  // namespace evently::storage
