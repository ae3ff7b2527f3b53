// SQLite (WAL) engine: one writer connection behind a mutex, a pool of readers; waiting for either
// is bounded by the store timeout.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/deadline_mutex.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class SqliteConnection;
}  // namespace evently::storage

struct sqlite3;

namespace evently::storage {

// One statement's share of a profile: how often it ran and for how long, in SQLite.
struct StatementTime {
  std::string name;  // the Statement's name; "(other)" for script text outside the cache
  std::uint64_t count = 0;
  std::chrono::nanoseconds total{0};
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, const DatabaseOptions& options);
  ~SqliteDatabase() override;

  Dialect dialect() const override { return Dialect::kSqlite; }
  void Write(const std::function<void(Connection&)>& work) override;
  void Read(const std::function<void(Connection&)>& work) override;
  void ReadSnapshot(const std::function<void(Connection&)>& work) override;
  Rows ReadOne(const Statement& statement, std::span<const Param> params) override;
  PoolStats Stats() const override;
  std::int64_t MemoryBytes() const override;
  void Probe(std::chrono::milliseconds timeout,
             const std::function<void(Connection&)>& work) override;
  // Read-only filesystem, or less than 1 MiB left on it for the store and its WAL.
  domain::WriteFault Writable() const override;

  // From now on, times every statement the writer runs (bench/hold_store --statements: where a
  // booking batch's time goes). Costs a callback per statement; off unless asked for.
  void ProfileWriter();
  // What the writer's statements took since ProfileWriter, largest total first.
  std::vector<StatementTime> WriterProfile();

 private:
  // Waits at most `timeout` for a free reader.
  void WithReader(std::chrono::milliseconds timeout,
                  const std::function<void(SqliteConnection&)>& use);
  void ReadWithin(std::chrono::milliseconds timeout, const std::function<void(Connection&)>& work);
  static int OnWalCommit(void* self, sqlite3* db, const char* schema, int pages);
  void RunCheckpoints();
  int NewWalPages() const;
  std::string path_;
  std::chrono::milliseconds timeout_;  // the longest a call waits for the writer or a reader
  std::unique_ptr<SqliteConnection> writer_;
  DeadlineMutex writer_mu_;
  mutable std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
  std::size_t reader_count_ = 0;
  std::atomic<std::size_t> writer_busy_ = 0;
  // Checkpoints off the writer's path (see OnWalCommit).
  std::unique_ptr<SqliteConnection> checkpoint_conn_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  std::atomic<int> wal_pages_ = 0;           // the WAL's size after the last commit
  std::atomic<int> checkpointed_pages_ = 0;  // its size when the last checkpoint began
  bool stopping_ = false;                    // guarded by checkpoint_mu_
  std::thread checkpointer_;
};

}  // namespace evently::storage
