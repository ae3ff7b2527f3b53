// The one SQL driver seam: both engines run the same statement text ($1..$n parameters).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/ports/health.hpp"

namespace evently::storage {

enum class Dialect { kSqlite, kPostgres };

using Param = std::variant<std::nullptr_t, std::int64_t, std::string>;

// A named statement: the name keys the prepared-statement caches and the metrics.
struct Statement {
  std::string_view name;
  std::string_view sql;
};

class Rows {
 public:
  std::size_t size() const { return cells_.size() / (columns_ ? columns_ : 1); }
  bool empty() const { return size() == 0; }
  std::size_t columns() const { return columns_; }
  bool IsNull(std::size_t row, std::size_t col) const { return !Cell(row, col).has_value(); }
  const std::string& Text(std::size_t row, std::size_t col) const;
  std::optional<std::string> OptText(std::size_t row, std::size_t col) const {
    return Cell(row, col);
  }
  std::int64_t Int(std::size_t row, std::size_t col) const;
  std::optional<std::int64_t> OptInt(std::size_t row, std::size_t col) const;
  std::int64_t affected() const { return affected_; }

  // Builders, for the drivers.
  void SetColumns(std::size_t n) { columns_ = n; }
  void Append(std::optional<std::string> cell) { cells_.push_back(std::move(cell)); }
  void SetAffected(std::int64_t n) { affected_ = n; }

 private:
  const std::optional<std::string>& Cell(std::size_t row, std::size_t col) const {
    return cells_.at(row * columns_ + col);
  }
  std::size_t columns_ = 0;
  std::vector<std::optional<std::string>> cells_;
  std::int64_t affected_ = 0;
};

// Driver failures, translated by the drivers; they never leave storage/.
class SqlError : public std::runtime_error {
 public:
  // kConnection: the store cannot serve now (connection lost, no answer in time, disk full,
  // read-only), answered as 503 and never blamed on one row.
  enum class Kind { kUniqueViolation, kRetryable, kConnection, kOther };
  SqlError(Kind kind, const std::string& message, std::string constraint = {})
      : std::runtime_error(message), kind_(kind), constraint_(std::move(constraint)) {}
  Kind kind() const { return kind_; }
  const std::string& constraint() const { return constraint_; }

 private:
  Kind kind_;
  std::string constraint_;
};

// One statement of a pipeline.
struct Call {
  Statement statement;
  std::vector<Param> params;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Rows Exec(const Statement& statement, std::span<const Param> params) = 0;
  Rows Exec(const Statement& statement, std::initializer_list<Param> params = {}) {
    return Exec(statement, std::span<const Param>(params.begin(), params.size()));
  }
  // Runs the calls in order and returns their rows. A server engine sends them all before it
  // reads the first answer: one round trip instead of one per call.
  virtual std::vector<Rows> Pipeline(std::span<const Call> calls) {
    std::vector<Rows> out;
    out.reserve(calls.size());
    for (const Call& call : calls) out.push_back(Exec(call.statement, call.params));
    return out;
  }
  // A write whose answer nobody reads: a server engine sends it with the next statement that
  // needs an answer, or with the COMMIT. It runs before anything issued after it, so later
  // reads see it; its failure surfaces there and fails the transaction like any other. Never
  // for a statement whose failure the caller handles (a unique violation it translates).
  virtual void Defer(const Statement& statement, std::span<const Param> params) {
    Exec(statement, params);
  }
  void Defer(const Statement& statement, std::initializer_list<Param> params) {
    Defer(statement, std::span<const Param>(params.begin(), params.size()));
  }
  virtual void ExecScript(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
};

struct PoolStats {
  std::size_t size = 0;
  std::size_t in_use = 0;
};

struct DatabaseOptions {
  std::size_t pool_size = 8;
  // The longest one store call (a transaction or a read, its retries included) waits on the store
  // in all: for SQLite's write lock or a free connection, for a connection to open, for
  // PostgreSQL's answers. PostgreSQL's statement and idle-in-transaction timeouts and every
  // connection's TCP keepalives and TCP_USER_TIMEOUT follow it too. Past it the call fails with
  // domain::StoreUnavailable (a 503), whatever the store is doing.
  int timeout_ms = 5000;
  // SQLite: the size the WAL file is cut back to when it starts over after a checkpoint (a storm
  // of writes leaves it hundreds of MB long otherwise, for as long as the store runs).
  std::int64_t wal_size_limit_bytes = std::int64_t{64} << 20;
  // SQLite: the page cache of the one connection that writes (SQLite's default is 2 MiB per
  // connection; the readers keep it). The booking batches' pages stay in memory instead of being
  // read back from the OS on every batch.
  std::int64_t writer_cache_bytes = std::int64_t{64} << 20;
  // SQLite: the page size of a store it creates (an existing store keeps its own). A commit
  // writes every page it changed to the WAL, and a batch's seat writes fall on pages all over
  // the seats table, so smaller pages mean fewer bytes per commit (docs/performance.md).
  int page_size_bytes = 2048;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // Runs `work` in one read-write transaction; retried whole on a serialization failure,
  // deadlock or busy store, so `work` must only touch the store and its own locals.
  virtual void Write(const std::function<void(Connection&)>& work) = 0;
  // Reads (a write in them fails), each statement seeing what was committed when it began. SQLite
  // runs them in one read transaction (one snapshot); PostgreSQL opens none: a statement, or a
  // Pipeline of several, is its own implicit transaction, so the read costs no BEGIN or COMMIT
  // round trip.
  virtual void Read(const std::function<void(Connection&)>& work) = 0;
  // Reads that must see one snapshot together (REPEATABLE READ on PostgreSQL).
  virtual void ReadSnapshot(const std::function<void(Connection&)>& work) = 0;
  // One read-only statement as its own implicit transaction, for hot point reads
  // (events.seat_version on every seat map request): on SQLite without the read transaction's
  // BEGIN/COMMIT; on PostgreSQL the same as Read.
  virtual Rows ReadOne(const Statement& statement, std::span<const Param> params) = 0;
  Rows ReadOne(const Statement& statement, std::initializer_list<Param> params = {}) {
    return ReadOne(statement, std::span<const Param>(params.begin(), params.size()));
  }
  virtual PoolStats Stats() const = 0;
  // What the engine's library holds in this process (SQLite: its page caches and prepared
  // statements, bounded by their cache sizes); -1 when the store's memory is elsewhere.
  virtual std::int64_t MemoryBytes() const { return -1; }
  // A write with no time limit on the store's answers (schema migrations, which may rewrite big
  // tables); waiting for a connection is still bounded.
  virtual void WriteWithoutDeadline(const std::function<void(Connection&)>& work) { Write(work); }
  // Reads for the readiness probe, given at most `timeout` (and never more than the store's own):
  // on PostgreSQL on a connection of their own, so a busy pool neither delays nor fails them.
  virtual void Probe(std::chrono::milliseconds timeout,
                     const std::function<void(Connection&)>& work) = 0;
  // Why the store would refuse writes although it answers, found without writing; kNone when the
  // engine cannot tell.
  virtual domain::WriteFault Writable() const { return domain::WriteFault::kNone; }
};

// The statement for the connection's engine, where the two dialects need different text.
inline const Statement& Pick(const Connection& conn, const Statement& pg, const Statement& sqlite) {
  return conn.dialect() == Dialect::kPostgres ? pg : sqlite;
}

// A list of ids (UUIDs) as one parameter: a PostgreSQL array literal for `= ANY($n::uuid[])`, or
// a JSON array for SQLite's `IN (SELECT value FROM json_each($n))`.
std::string IdList(Dialect dialect, const std::vector<std::string>& ids);

// "sqlite:PATH" or "postgresql://..." / "postgres://...".
std::unique_ptr<Database> OpenDatabase(const std::string& url, const DatabaseOptions& options);

}  // namespace evently::storage
