// SQLite (WAL) engine: one writer connection behind a mutex, a pool of readers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/sql.hpp"

namespace evently::storage {

class SqliteConnection;

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, const DatabaseOptions& options);
  ~SqliteDatabase() override;

  Dialect dialect() const override { return Dialect::kSqlite; }
  void Write(const std::function<void(Connection&)>& work) override;
  void Read(const std::function<void(Connection&)>& work) override;
  Rows ReadOne(const Statement& statement, std::span<const Param> params) override;
  PoolStats Stats() const override;

 private:
  void WithReader(const std::function<void(SqliteConnection&)>& use);
  std::unique_ptr<SqliteConnection> writer_;
  std::mutex writer_mu_;
  mutable std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
  std::size_t reader_count_ = 0;
  std::atomic<std::size_t> writer_busy_ = 0;
};

}  // namespace evently::storage
