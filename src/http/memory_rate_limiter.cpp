#include "http/memory_rate_limiter.hpp"

#include <algorithm>
#include <functional>

namespace evently::http {
namespace {

using std::chrono::microseconds;

domain::Millis CeilMillis(std::int64_t us) { return domain::Millis((us + 999) / 1000); }

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
  const std::int64_t window = std::chrono::duration_cast<microseconds>(quota.window).count();
  const std::int64_t limit = std::max<std::int64_t>(1, quota.limit);
  const std::int64_t interval = std::max<std::int64_t>(1, window / limit);  // one request's cost
  const std::int64_t now_us =
      std::chrono::duration_cast<microseconds>(now.time_since_epoch()).count();

  domain::RateDecision decision;
  decision.limit = limit;
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  if (shard.full_at.size() >= shard.sweep_at) SweepIdle(shard, now_us);
  auto it = shard.full_at.find(key);
  std::int64_t full_at = it == shard.full_at.end() ? now_us : std::max(it->second, now_us);
  std::int64_t next_full_at = full_at + interval;
  // The bucket holds `limit` requests: refuse when this one would overfill the window.
  if (next_full_at - now_us > window) {
    decision.allowed = false;
    decision.remaining = 0;
    decision.reset = CeilMillis(full_at - now_us);
    decision.retry_after = CeilMillis(next_full_at - window - now_us);
    return decision;
  }
  if (it == shard.full_at.end()) {
    shard.full_at.emplace(std::string(key), next_full_at);
  } else {
    it->second = next_full_at;
  }
  decision.remaining = (window - (next_full_at - now_us)) / interval;
  decision.reset = CeilMillis(next_full_at - now_us);
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
