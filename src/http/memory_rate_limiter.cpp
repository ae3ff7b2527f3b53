#include "http/memory_rate_limiter.hpp"

#include <algorithm>
#include <functional>

namespace evently::http {
namespace {

using std::chrono::microseconds;

}  // namespace

MemoryRateLimiter::Shard& MemoryRateLimiter::ShardFor(std::string_view key) {
  return shards_[KeyHash{}(key) % kShards];
}

// A key whose bucket is full again carries no state: dropping it changes no decision.
void MemoryRateLimiter::SweepIdle(Shard& shard, std::int64_t now_us) {
  std::erase_if(shard.full_at, [now_us](const auto& entry) { return entry.second <= now_us; });
  shard.sweep_at = std::max<std::size_t>(1024, 2 * shard.full_at.size());
}

domain::RateDecision MemoryRateLimiter::Acquire(std::string_view key,
                                                const domain::RateQuota& quota,
                                                domain::TimePoint now) {
  const domain::GcraCost cost = domain::GcraCostOf(quota);
  const std::int64_t now_us =
      std::chrono::duration_cast<microseconds>(now.time_since_epoch()).count();
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  if (shard.full_at.size() >= shard.sweep_at) SweepIdle(shard, now_us);
  auto it = shard.full_at.find(key);
  std::int64_t backlog =
      it == shard.full_at.end() ? 0 : std::max<std::int64_t>(0, it->second - now_us);
  domain::RateDecision decision = domain::GcraDecide(backlog, cost);
  if (!decision.allowed) return decision;
  std::int64_t next_full_at = now_us + backlog + cost.interval_us;
  if (it == shard.full_at.end()) {
    shard.full_at.emplace(std::string(key), next_full_at);
  } else {
    it->second = next_full_at;
  }
  return decision;
}

std::size_t MemoryRateLimiter::TrackedKeys() {
  std::size_t n = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.full_at.size();
  }
  return n;
}

}  // namespace evently::http
