// PostgreSQL engine over libpq: a fixed pool of connections, statements prepared per connection.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/sql.hpp"

namespace evently::storage {

class PgConnection;

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, const DatabaseOptions& options);
  ~PgDatabase() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  void Write(const std::function<void(Connection&)>& work) override;
  void Read(const std::function<void(Connection&)>& work) override;
  void ReadSnapshot(const std::function<void(Connection&)>& work) override;
  Rows ReadOne(const Statement& statement, std::span<const Param> params) override;
  PoolStats Stats() const override;

 private:
  std::unique_ptr<PgConnection> Acquire();
  void Release(std::unique_ptr<PgConnection> conn);
  // `begin` null: no explicit transaction (one autocommit statement).
  void RunTransaction(const char* begin, const std::function<void(Connection&)>& work);

  std::string url_;
  DatabaseOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  std::size_t size_ = 0;
};

}  // namespace evently::storage
