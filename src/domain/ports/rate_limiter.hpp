// Request quotas: `limit` requests per `window` for one key (a client IP or a user). One node
// keeps them in memory; a shared store (Redis) implements the same for several nodes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "domain/time.hpp"

namespace evently::domain {

struct RateQuota {
  std::int64_t limit = 0;
  Millis window{60'000};
};

struct RateDecision {
  bool allowed = true;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;  // requests that would still pass right now
  Millis reset{0};             // until the full quota is available again
  Millis retry_after{0};       // when refused: until one request would pass
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Counts one request for `key` at `now` when it fits the quota.
  virtual RateDecision Acquire(std::string_view key, const RateQuota& quota, TimePoint now) = 0;
};

// GCRA, the algorithm every limiter shares (a token bucket kept as one instant per key: when
// the bucket would be full again). `backlog_us` is how far that instant lies past `now` before
// this request (0 for an unknown or full bucket); a request costs `interval_us`, and passes when
// the backlog after it still fits the window. The in-memory limiter and the Redis script keep
// the instant; this turns the backlog they saw into the decision and its headers.
struct GcraCost {
  std::int64_t limit = 1;
  std::int64_t window_us = 1;
  std::int64_t interval_us = 1;  // one request's share of the window
};
GcraCost GcraCostOf(const RateQuota& quota);
inline bool GcraFits(std::int64_t backlog_us, const GcraCost& cost) {
  return backlog_us + cost.interval_us <= cost.window_us;
}
RateDecision GcraDecide(std::int64_t backlog_us, const GcraCost& cost);

}  // namespace evently::domain
