// The in-process RateLimiter: GCRA (a token bucket kept as one instant per key) in sharded maps.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/ports/rate_limiter.hpp"

namespace evently::http {

class MemoryRateLimiter final : public domain::RateLimiter {
 public:
  domain::RateDecision Acquire(std::string_view key, const domain::RateQuota& quota,
                               domain::TimePoint now) override;
  std::size_t TrackedKeys();

 private:
  // Per key, the "theoretical arrival time": when the bucket would be full again, in µs.
  struct KeyHash {
    using is_transparent = void;  // look up by string_view without a copy
    std::size_t operator()(std::string_view key) const {
      return std::hash<std::string_view>{}(key);
    }
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, std::int64_t, KeyHash, std::equal_to<>> full_at;
    std::size_t sweep_at = 1024;
  };
  static constexpr std::size_t kShards = 32;
  Shard& ShardFor(std::string_view key);
  static void SweepIdle(Shard& shard, std::int64_t now_us);

  std::array<Shard, kShards> shards_;
};

}  // namespace evently::http
