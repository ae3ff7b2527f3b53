// PostgreSQL engine over libpq: a fixed pool of connections, statements prepared per connection,
// every wait on the server bounded by the store timeout.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/deadline_mutex.hpp"
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
  void WriteWithoutDeadline(const std::function<void(Connection&)>& work) override;
  void Probe(std::chrono::milliseconds timeout,
             const std::function<void(Connection&)>& work) override;

 private:
  std::unique_ptr<PgConnection> Acquire(std::chrono::steady_clock::time_point deadline);
  void Release(std::unique_ptr<PgConnection> conn);
  // `begin` null: no explicit transaction (one autocommit statement). `bounded` false: the
  // server's answers may take as long as they take (waiting for a connection still may not).
  void RunTransaction(const char* begin, const std::function<void(Connection&)>& work,
                      bool bounded = true);

  std::string url_;
  std::chrono::milliseconds timeout_;
  // The readiness probe's own connection, outside the pool.
  DeadlineMutex probe_mu_;
  std::unique_ptr<PgConnection> probe_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  std::size_t size_ = 0;
};

}  // namespace evently::storage
