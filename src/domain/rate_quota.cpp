#include <algorithm>

#include "domain/ports/rate_limiter.hpp"

namespace evently::domain {
namespace {

Millis CeilMillis(std::int64_t us) { return Millis((us + 999) / 1000); }

}  // namespace

GcraCost GcraCostOf(const RateQuota& quota) {
  GcraCost cost;
  cost.window_us = std::chrono::duration_cast<std::chrono::microseconds>(quota.window).count();
  cost.limit = std::max<std::int64_t>(1, quota.limit);
  cost.interval_us = std::max<std::int64_t>(1, cost.window_us / cost.limit);
  return cost;
}

RateDecision GcraDecide(std::int64_t backlog_us, const GcraCost& cost) {
  RateDecision decision;
  decision.limit = cost.limit;
  std::int64_t after = backlog_us + cost.interval_us;
  if (!GcraFits(backlog_us, cost)) {
    decision.allowed = false;
    decision.remaining = 0;
    decision.reset = CeilMillis(backlog_us);
    decision.retry_after = CeilMillis(after - cost.window_us);
    return decision;
  }
  decision.remaining = (cost.window_us - after) / cost.interval_us;
  decision.reset = CeilMillis(after);
  return decision;
}

}  // namespace evently::domain
