// Request quotas: `limit` requests per `window` for one key (a client IP or a user). One node
// keeps them in memory; a shared store (Redis) can implement this for several nodes.
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

}  // namespace evently::domain
