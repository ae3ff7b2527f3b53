// The shared RateLimiter: each key's GCRA instant lives in Redis and a server-side script
// decides in one round trip, so N nodes give a client the limit of one (CONTRACT.md, Several
// nodes). While Redis is unreachable or slower than the timeout, the node's own limiter decides
// (logged once per outage, counted); one caller tries Redis again every `retry`, and the first
// answer ends the outage. A request never fails because of Redis.
//
// Acquire blocks its thread for up to one round trip (at most `timeout`): call it from the
// worker pool, never from an I/O thread (the server runs rate-limited routes on the pool when
// limits block; see http::ServerOptions::rate_limits_block).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/ports/rate_limiter.hpp"
#include "ratelimit/redis_url.hpp"

namespace evently::ratelimit {

struct RedisLimiterOptions {
  RedisAddress address;
  std::chrono::milliseconds timeout{50};  // connecting, and each command
  std::chrono::milliseconds retry{1000};  // during an outage, between tries of Redis
  std::string key_prefix = "evently:rl:";
};

class RedisRateLimiter final : public domain::RateLimiter {
 public:
  // `fallback` (the node's in-memory limiter) decides while Redis does not answer.
  RedisRateLimiter(RedisLimiterOptions options, domain::RateLimiter& fallback);
  ~RedisRateLimiter() override;
  RedisRateLimiter(const RedisRateLimiter&) = delete;
  RedisRateLimiter& operator=(const RedisRateLimiter&) = delete;

  domain::RateDecision Acquire(std::string_view key, const domain::RateQuota& quota,
                               domain::TimePoint now) override;

  bool up() const { return up_.load(); }
  std::uint64_t fallbacks() const { return fallbacks_.load(); }  // decisions made locally
  std::uint64_t outages() const { return outages_.load(); }
  std::uint64_t decisions() const { return decisions_.load(); }  // decisions made in Redis
  double redis_seconds() const { return static_cast<double>(redis_ns_.load()) / 1e9; }
  std::size_t idle_connections();

  // The decision script (Lua), for tests and the docs.
  static const char* Script();

 private:
  struct Connection;
  struct ConnectionDeleter {
    void operator()(Connection* connection) const;
  };
  using ConnectionPtr = std::unique_ptr<Connection, ConnectionDeleter>;

  // The key's backlog as the script left it, or nullopt when Redis failed (`why` says how).
  std::optional<std::int64_t> Backlog(const std::string& key, const domain::GcraCost& cost,
                                      std::int64_t now_us, std::string& why);
  ConnectionPtr Borrow(std::string& why);
  void Return(ConnectionPtr connection);
  bool LoadScript(Connection& connection, std::string& why);
  // Whether this call may try Redis: always while up, once per `retry` while down.
  bool MayTry();
  void MarkDown(const std::string& why);
  void MarkUp();

  RedisLimiterOptions options_;
  domain::RateLimiter& fallback_;
  std::mutex pool_mu_;
  std::vector<ConnectionPtr> idle_;  // one per concurrent caller at most (the worker pool)
  std::mutex sha_mu_;
  std::string sha_;  // the loaded script's SHA1; empty until loaded
  std::atomic<bool> up_{true};
  std::atomic<std::int64_t> retry_at_ns_{0};  // steady clock; while down, the next try
  std::atomic<std::uint64_t> fallbacks_{0};
  std::atomic<std::uint64_t> outages_{0};
  std::atomic<std::uint64_t> decisions_{0};
  std::atomic<std::uint64_t> redis_ns_{0};
};

}  // namespace evently::ratelimit
