#include "storage/sqlite/sqlite_database.hpp"

#include <sqlite3.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "domain/error.hpp"

namespace evently::storage {

namespace {

// Why this process could not write at `path`, when the filesystem says so: "" when it cannot tell.
std::string WhyNotWritable(const std::filesystem::path& path) {
  std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  struct statvfs fs {};
  if (statvfs(dir.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY)) {
    return "the filesystem holding " + dir.string() + " is mounted read-only";
  }
  std::string who = "user id " + std::to_string(geteuid());
  std::error_code ignored;
  if (std::filesystem::exists(path, ignored) && access(path.c_str(), W_OK) != 0) {
    std::string cause = std::strerror(errno);
    return path.string() + " is not writable by " + who + " (" + cause + ")";
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    std::string cause = std::strerror(errno);
    return "the directory " + dir.string() + " is not writable by " + who + " (" + cause +
           "); SQLite creates the store and its -wal and -shm files there";
  }
  return {};
}

// The message of a store that cannot be opened for writing: the path, SQLite's word, the system's
// error and, when the filesystem tells, the cause.
std::string CannotOpen(const std::string& path, const std::string& message, int error) {
  std::string out = "cannot open the SQLite store " + path + ": " + message;
  if (error != 0) out += " (" + std::string(std::strerror(error)) + ")";
  if (std::string why = WhyNotWritable(path); !why.empty()) out += "; " + why;
  return out;
}

}  // namespace

class SqliteConnection final : public Connection {
 public:
  // The store's one writer keeps the larger page cache; a reader refuses writes (a write slipped
  // into a Read fails instead of racing the writer for the store's lock); the checkpointer only
  // checkpoints.
  enum class Role { kWriter, kReader, kCheckpointer };

  SqliteConnection(const std::string& path, const DatabaseOptions& options, Role role)
      : role_(role) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      int error = db_ ? sqlite3_system_errno(db_) : 0;
      sqlite3_close(db_);
      db_ = nullptr;
      throw SqlError(SqlError::Kind::kConnection, CannotOpen(path, message, error));
    }
    // SQLite opens a store it may not write read-only, without a word; every write would fail.
    if (sqlite3_db_readonly(db_, "main") == 1) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw SqlError(SqlError::Kind::kConnection, CannotOpen(path, "the store is read-only", 0));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, options.timeout_ms);
    try {
      Configure(options, role);
    } catch (const SqlError& e) {
      int error = sqlite3_system_errno(db_);
      sqlite3_close(db_);
      db_ = nullptr;
      if (e.kind() != SqlError::Kind::kConnection) throw;
      throw SqlError(SqlError::Kind::kConnection, CannotOpen(path, e.what(), error));
    }
  }

  ~SqliteConnection() override {
    for (auto& [name, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  void SetWalHook(int (*hook)(void*, sqlite3*, const char*, int), void* arg) {
    sqlite3_wal_hook(db_, hook, arg);
  }

  void ExecScript(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string message = err ? err : "sqlite error";
      sqlite3_free(err);
      Throw(rc, message);
    }
  }

  Rows Exec(const Statement& statement, std::span<const Param> params) override {
    sqlite3_stmt* stmt = Prepare(statement);
    Bind(stmt, statement, params);
    Rows rows;
    int columns = sqlite3_column_count(stmt);
    rows.SetColumns(static_cast<std::size_t>(columns));
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        std::string message = sqlite3_errmsg(db_);
        sqlite3_reset(stmt);
        Throw(rc, message + " [" + std::string(statement.name) + "]");
      }
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          rows.Append(std::nullopt);
        } else {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          rows.Append(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
        }
      }
    }
    rows.SetAffected(sqlite3_changes(db_));
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rows;
  }

  // SqliteDatabase::ProfileWriter and WriterProfile. SQLite's profile clock ticks in
  // milliseconds, so a total is an estimate that holds over many runs.
  void StartProfile() {
    sqlite3_trace_v2(db_, SQLITE_TRACE_PROFILE, &SqliteConnection::OnProfile, this);
  }
  std::vector<StatementTime> Profile() const {
    std::unordered_map<const sqlite3_stmt*, std::string_view> names;
    for (const auto& [name, stmt] : cache_) names.emplace(stmt, name);
    std::unordered_map<std::string_view, StatementTime> by_name;
    for (const auto& [stmt, time] : profile_) {
      auto named = names.find(stmt);
      std::string_view name = named == names.end() ? "(other)" : named->second;
      StatementTime& sum = by_name[name];
      sum.name = std::string(name);
      sum.count += time.count;
      sum.total += time.total;
    }
    std::vector<StatementTime> out;
    out.reserve(by_name.size());
    for (auto& [_, time] : by_name) out.push_back(std::move(time));
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.total > b.total; });
    return out;
  }

 private:
  // The store's settings and this connection's role.
  void Configure(const DatabaseOptions& options, Role role) {
    // No wal_autocheckpoint: the writer's WAL hook (SqliteDatabase::OnWalCommit) replaces it, and
    // no other connection commits. The page size first: it only takes effect on a store that has
    // no pages yet.
    std::string settings = "PRAGMA page_size=" + std::to_string(options.page_size_bytes) +
                           "; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                           "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                           "PRAGMA journal_size_limit=" +
                           std::to_string(options.wal_size_limit_bytes);
    // While another connection turns a new store to WAL, SQLite may answer busy at once instead
    // of calling the busy handler (where waiting could deadlock): nodes starting together on a
    // new store retry, within the same time limit. The settings can be applied twice.
    auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeout_ms);
    for (;;) {
      try {
        ExecScript(settings);
        break;
      } catch (const SqlError& e) {
        if (e.kind() != SqlError::Kind::kRetryable || std::chrono::steady_clock::now() > give_up)
          throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
    if (role == Role::kWriter && options.writer_cache_bytes > 0) {
      ExecScript("PRAGMA cache_size=-" + std::to_string(options.writer_cache_bytes / 1024));
    }
    if (role == Role::kReader) ExecScript("PRAGMA query_only=ON");
  }

  sqlite3_stmt* Prepare(const Statement& statement) {
    auto it = cache_.find(statement.name);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, statement.sql.data(), static_cast<int>(statement.sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      Throw(rc, std::string(sqlite3_errmsg(db_)) + " [" + std::string(statement.name) + "]");
    }
    cache_.emplace(statement.name, stmt);
    return stmt;
  }

  // Parameters are written $1..$n in the shared SQL; SQLite binds them by name.
  void Bind(sqlite3_stmt* stmt, const Statement& statement, std::span<const Param> params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      // snprintf, not "$" + to_string: GCC 12 -O3 (Release) reports a false -Wrestrict there.
      char name[24];
      std::snprintf(name, sizeof name, "$%zu", i + 1);
      int index = sqlite3_bind_parameter_index(stmt, name);
      if (index == 0) {
        throw SqlError(SqlError::Kind::kOther, "parameter " + std::string(name) + " unused in " +
                                                   std::string(statement.name));
      }
      const Param& p = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(p)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (const auto* n = std::get_if<std::int64_t>(&p)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else {
        const auto& s = std::get<std::string>(p);
        rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) Throw(rc, sqlite3_errmsg(db_));
    }
  }

  [[noreturn]] void Throw(int rc, const std::string& message) {
    int primary = rc & 0xff;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
      throw SqlError(SqlError::Kind::kUniqueViolation, message, message);
    }
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      throw SqlError(SqlError::Kind::kRetryable, message);
    }
    // Read-only on a reader is its query_only refusing a write slipped into a read: a bug, not
    // the store (a read-only file or filesystem refuses the writer).
    if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_FULL ||
        (primary == SQLITE_READONLY && role_ != Role::kReader)) {
      throw SqlError(SqlError::Kind::kConnection, message);
    }
    throw SqlError(SqlError::Kind::kOther, message);
  }

  Role role_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string_view, sqlite3_stmt*> cache_;

  // SQLite's profile trace: once per statement run, with its time (on the connection's thread).
  static int OnProfile(unsigned, void* self, void* stmt, void* nanos) {
    StatementTime& time =
        static_cast<SqliteConnection*>(self)->profile_[static_cast<sqlite3_stmt*>(stmt)];
    ++time.count;
    time.total += std::chrono::nanoseconds(*static_cast<sqlite3_int64*>(nanos));
    return 0;
  }
  std::unordered_map<const sqlite3_stmt*, StatementTime> profile_;
};

namespace {

template <typename Work>
void RunRetrying(Work&& attempt) {
  for (int tries = 1;; ++tries) {
    try {
      attempt();
      return;
    } catch (const SqlError& e) {
      // A missing, unreadable or full database file is broken infrastructure: answered as 503.
      if (e.kind() == SqlError::Kind::kConnection) throw domain::StoreUnavailable(e.what());
      if (e.kind() != SqlError::Kind::kRetryable || tries >= 5) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(2 * tries));
    }
  }
}

// Transaction control as cached statements: sqlite3_exec would compile them on every use.
constexpr Statement kBegin{"txn_begin", "BEGIN"};
constexpr Statement kBeginImmediate{"txn_begin_immediate", "BEGIN IMMEDIATE"};
constexpr Statement kCommit{"txn_commit", "COMMIT"};
constexpr Statement kRollback{"txn_rollback", "ROLLBACK"};

void RollbackQuietly(Connection& conn) {
  try {
    conn.Exec(kRollback, {});
  } catch (const SqlError&) {
    // The transaction is already gone (a failed COMMIT rolls back by itself).
  }
}

}  // namespace

namespace {

// The WAL is copied back into the database by a thread of its own once it holds this many pages
// (8 MiB of 2 KiB pages), so a commit never does that work: with SQLite's own automatic checkpoint
// the committing writer did it, and every writer queued behind it waited (the tail of hold
// latency).
constexpr int kCheckpointPages = 4000;
// Past this many new pages the writer checkpoints as well, should the thread fall behind.
constexpr int kWriterCheckpointPages = 64000;

}  // namespace

SqliteDatabase::SqliteDatabase(const std::string& path, const DatabaseOptions& options)
    : path_(path), timeout_(std::max(options.timeout_ms, 1)) {
  std::filesystem::path p(path);
  try {
    std::error_code ec;
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) {
      throw SqlError(SqlError::Kind::kConnection,
                     "cannot create the directory " + p.parent_path().string() +
                         " of the SQLite store " + path + ": " + ec.message());
    }
    using Role = SqliteConnection::Role;
    writer_ = std::make_unique<SqliteConnection>(path, options, Role::kWriter);
    reader_count_ = options.pool_size == 0 ? 1 : options.pool_size;
    for (std::size_t i = 0; i < reader_count_; ++i) {
      idle_readers_.push_back(std::make_unique<SqliteConnection>(path, options, Role::kReader));
    }
    checkpoint_conn_ = std::make_unique<SqliteConnection>(path, options, Role::kCheckpointer);
  } catch (const SqlError& e) {
    if (e.kind() != SqlError::Kind::kConnection) throw;
    throw domain::StoreUnavailable(e.what());
  }
  // Replaces SQLite's automatic checkpoint on the writer.
  writer_->SetWalHook(&SqliteDatabase::OnWalCommit, this);
  checkpointer_ = std::thread([this] { RunCheckpoints(); });
}

SqliteDatabase::~SqliteDatabase() {
  {
    std::lock_guard lock(checkpoint_mu_);
    stopping_ = true;
  }
  checkpoint_cv_.notify_one();
  checkpointer_.join();
}

// Frames written since the last checkpoint began; the WAL's own size does not tell, because it
// only starts over once a checkpoint has caught up while no reader was using it, and under
// steady reads it keeps growing: a trigger on its size would then checkpoint after every commit.
int SqliteDatabase::NewWalPages() const {
  int pages = wal_pages_.load(std::memory_order_relaxed);
  int base = checkpointed_pages_.load(std::memory_order_relaxed);
  return pages < base ? pages : pages - base;  // smaller: the WAL started over
}

int SqliteDatabase::OnWalCommit(void* self, sqlite3* db, const char*, int pages) {
  auto& database = *static_cast<SqliteDatabase*>(self);
  database.wal_pages_.store(pages, std::memory_order_relaxed);
  int fresh = database.NewWalPages();
  if (fresh >= kCheckpointPages) database.checkpoint_cv_.notify_one();
  if (fresh >= kWriterCheckpointPages) {
    database.checkpointed_pages_.store(pages, std::memory_order_relaxed);
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

void SqliteDatabase::RunCheckpoints() {
  std::unique_lock lock(checkpoint_mu_);
  while (!stopping_) {
    // Also after a quiet spell, so an idle store does not keep a long WAL for its readers.
    checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(500),
                            [&] { return stopping_ || NewWalPages() >= kCheckpointPages; });
    if (stopping_) break;
    if (NewWalPages() == 0) continue;
    checkpointed_pages_.store(wal_pages_.load(std::memory_order_relaxed),
                              std::memory_order_relaxed);
    lock.unlock();
    try {
      // PASSIVE: copies what no reader still needs, never waits for or blocks the writer.
      checkpoint_conn_->ExecScript("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (const SqlError&) {
      // Busy or failing: the next round tries again; the writer's own bound still holds.
    }
    lock.lock();
  }
}

void SqliteDatabase::Write(const std::function<void(Connection&)>& work) {
  std::unique_lock lock(writer_mu_, timeout_);
  if (!lock.owns_lock()) {
    throw domain::StoreUnavailable("the SQLite writer stayed busy for " +
                                   std::to_string(timeout_.count()) + " ms");
  }
  ++writer_busy_;
  struct Done {
    std::atomic<std::size_t>& busy;
    ~Done() { --busy; }
  } done{writer_busy_};
  RunRetrying([&] {
    writer_->Exec(kBeginImmediate, {});
    try {
      work(*writer_);
      writer_->Exec(kCommit, {});
    } catch (...) {
      RollbackQuietly(*writer_);
      throw;
    }
  });
}

void SqliteDatabase::ProfileWriter() {
  std::lock_guard lock(writer_mu_);
  writer_->StartProfile();
}

std::vector<StatementTime> SqliteDatabase::WriterProfile() {
  std::lock_guard lock(writer_mu_);
  return writer_->Profile();
}

void SqliteDatabase::WithReader(std::chrono::milliseconds timeout,
                                const std::function<void(SqliteConnection&)>& use) {
  std::unique_ptr<SqliteConnection> conn;
  {
    std::unique_lock lock(readers_mu_);
    if (!readers_cv_.wait_for(lock, timeout, [&] { return !idle_readers_.empty(); })) {
      throw domain::StoreUnavailable("no SQLite reader free within " +
                                     std::to_string(timeout.count()) + " ms");
    }
    conn = std::move(idle_readers_.back());
    idle_readers_.pop_back();
  }
  struct Return {
    SqliteDatabase& db;
    std::unique_ptr<SqliteConnection>& conn;
    ~Return() {
      {
        std::lock_guard lock(db.readers_mu_);
        db.idle_readers_.push_back(std::move(conn));
      }
      db.readers_cv_.notify_one();
    }
  } give_back{*this, conn};
  use(*conn);
}

// A SQLite read transaction is one snapshot already.
void SqliteDatabase::ReadSnapshot(const std::function<void(Connection&)>& work) { Read(work); }

void SqliteDatabase::Read(const std::function<void(Connection&)>& work) {
  ReadWithin(timeout_, work);
}

void SqliteDatabase::ReadWithin(std::chrono::milliseconds timeout,
                                const std::function<void(Connection&)>& work) {
  WithReader(timeout, [&](SqliteConnection& conn) {
    RunRetrying([&] {
      conn.Exec(kBegin, {});
      try {
        work(conn);
        conn.Exec(kCommit, {});
      } catch (...) {
        RollbackQuietly(conn);
        throw;
      }
    });
  });
}

Rows SqliteDatabase::ReadOne(const Statement& statement, std::span<const Param> params) {
  Rows rows;
  WithReader(timeout_, [&](SqliteConnection& conn) {
    RunRetrying([&] { rows = conn.Exec(statement, params); });
  });
  return rows;
}

void SqliteDatabase::Probe(std::chrono::milliseconds timeout,
                           const std::function<void(Connection&)>& work) {
  ReadWithin(std::min(timeout, timeout_), work);
}

// Below this much room, a write that grows the WAL or the store may fail with SQLITE_FULL.
constexpr std::uint64_t kMinFreeBytes = std::uint64_t{1} << 20;

domain::WriteFault SqliteDatabase::Writable() const {
  std::filesystem::path p(path_);
  std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : ".";
  struct statvfs fs {};
  if (statvfs(dir.c_str(), &fs) != 0) return domain::WriteFault::kNone;  // cannot tell
  if (fs.f_flag & ST_RDONLY) return domain::WriteFault::kReadOnly;
  // What an unprivileged process may still use (not the blocks kept for root).
  if (static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize < kMinFreeBytes) {
    return domain::WriteFault::kOutOfSpace;
  }
  return domain::WriteFault::kNone;
}

PoolStats SqliteDatabase::Stats() const {
  std::lock_guard lock(readers_mu_);
  return PoolStats{reader_count_ + 1, reader_count_ - idle_readers_.size() + writer_busy_};
}

// SQLite counts the memory of every connection of the process together.
std::int64_t SqliteDatabase::MemoryBytes() const { return sqlite3_memory_used(); }

}  // namespace evently::storage
