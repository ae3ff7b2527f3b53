#include "storage/postgres/pg_database.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <cstring>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "domain/error.hpp"

namespace evently::storage {

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& url) {
    conn_ = PQconnectdb(url.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw SqlError(SqlError::Kind::kConnection, "cannot connect to PostgreSQL: " + message);
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  }
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

  void ExecScript(std::string_view sql) override {
    std::string text(sql);
    PGresult* res = PQexec(conn_, text.c_str());
    Check(res, "script");
    PQclear(res);
  }

  Rows Exec(const Statement& statement, std::span<const Param> params) override {
    if (!prepared_.contains(statement.name)) {
      std::string name(statement.name), sql(statement.sql);
      PGresult* res = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
      Check(res, statement.name);
      PQclear(res);
      prepared_.insert(statement.name);
    }
    std::vector<std::string> ints;
    ints.reserve(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
        ints.push_back(std::to_string(*n));
        values[i] = ints.back().c_str();
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    std::string name(statement.name);
    PGresult* res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()),
                                   values.data(), nullptr, nullptr, 0);
    Check(res, statement.name);
    Rows rows;
    int columns = PQnfields(res);
    int count = PQntuples(res);
    rows.SetColumns(static_cast<std::size_t>(columns));
    for (int r = 0; r < count; ++r) {
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res, r, c)) {
          rows.Append(std::nullopt);
        } else {
          rows.Append(std::string(PQgetvalue(res, r, c),
                                  static_cast<std::size_t>(PQgetlength(res, r, c))));
        }
      }
    }
    const char* affected = PQcmdTuples(res);
    rows.SetAffected(affected && *affected ? std::stoll(affected) : 0);
    PQclear(res);
    return rows;
  }

 private:
  void Check(PGresult* res, std::string_view what) {
    ExecStatusType status = PQresultStatus(res);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    std::string message = PQerrorMessage(conn_);
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char* constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
    std::string sqlstate = state ? state : "";
    std::string constraint_name = constraint ? constraint : "";
    PQclear(res);
    message += " [" + std::string(what) + "]";
    if (PQstatus(conn_) != CONNECTION_OK || sqlstate.rfind("08", 0) == 0 ||
        sqlstate.rfind("57P", 0) == 0) {
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
  std::unordered_set<std::string_view> prepared_;
};

PgDatabase::PgDatabase(std::string url, const DatabaseOptions& options)
    : url_(std::move(url)), options_(options) {
  size_ = options.pool_size == 0 ? 1 : options.pool_size;
  // One connection up front proves the URL; the rest open lazily.
  try {
    idle_.push_back(std::make_unique<PgConnection>(url_));
  } catch (const SqlError& e) {
    throw domain::StoreUnavailable(e.what());
  }
  for (std::size_t i = 1; i < size_; ++i) idle_.push_back(nullptr);
}

PgDatabase::~PgDatabase() = default;

std::unique_ptr<PgConnection> PgDatabase::Acquire() {
  std::unique_ptr<PgConnection> conn;
  {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::milliseconds(options_.busy_timeout_ms),
                      [&] { return !idle_.empty(); })) {
      throw domain::StoreUnavailable("no database connection free in time");
    }
    conn = std::move(idle_.back());
    idle_.pop_back();
  }
  if (conn && conn->healthy()) return conn;
  try {
    return std::make_unique<PgConnection>(url_);
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

void PgDatabase::RunTransaction(const char* begin, const std::function<void(Connection&)>& work) {
  for (int tries = 1;; ++tries) {
    std::unique_ptr<PgConnection> conn = Acquire();
    try {
      if (begin) conn->ExecScript(begin);
      try {
        work(*conn);
        if (begin) conn->ExecScript("COMMIT");
      } catch (...) {
        if (begin && conn->healthy()) conn->ExecScript("ROLLBACK");
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
  RunTransaction("BEGIN", work);
}

void PgDatabase::Read(const std::function<void(Connection&)>& work) {
  RunTransaction("BEGIN READ ONLY", work);
}

Rows PgDatabase::ReadOne(const Statement& statement, std::span<const Param> params) {
  Rows rows;
  RunTransaction(nullptr, [&](Connection& conn) { rows = conn.Exec(statement, params); });
  return rows;
}

PoolStats PgDatabase::Stats() const {
  std::lock_guard lock(mu_);
  return PoolStats{size_, size_ - idle_.size()};
}

}  // namespace evently::storage
