#include "domain/queue/queue.hpp"

#include <array>

namespace evently::domain {
namespace {

constexpr std::array<std::string_view, 5> kStatusNames = {"waiting", "admitted", "expired", "left",
                                                          "sold_out"};

}  // namespace

void CheckQueueSettings(const std::optional<QueueSettings>& queue,
                        const std::optional<TimePoint>& sale_starts_at,
                        std::vector<FieldIssue>& issues) {
  if (!queue) return;
  if (!sale_starts_at) issues.push_back({"queue", "needs a sale_starts_at"});
  if (queue->admit_per_minute < 1 || queue->admit_per_minute > kMaxAdmitPerMinute) {
    issues.push_back({"queue.admit_per_minute", "must be between 1 and 600000"});
  }
  if (queue->window_seconds < kMinWindowSeconds || queue->window_seconds > kMaxWindowSeconds) {
    issues.push_back({"queue.window_seconds", "must be between 60 and 3600"});
  }
  if (queue->opens_before_seconds < 0 || queue->opens_before_seconds > kMaxOpensBeforeSeconds) {
    issues.push_back({"queue.opens_before_seconds", "must be between 0 and 86400"});
  }
}

std::string_view TicketStatusName(TicketStatus status) {
  return kStatusNames.at(static_cast<std::size_t>(status));
}

std::optional<TicketStatus> ParseTicketStatus(std::string_view name) {
  for (TicketStatus status : kAllTicketStatuses) {
    if (TicketStatusName(status) == name) return status;
  }
  return std::nullopt;
}

bool JoinsBeforeStart(const std::optional<TimePoint>& sale_starts_at, TimePoint joined_at) {
  return sale_starts_at && joined_at < *sale_starts_at;
}

std::int64_t OrderKey(const std::optional<TimePoint>& sale_starts_at, TimePoint joined_at,
                      std::uint64_t random, std::int64_t arrival) {
  if (JoinsBeforeStart(sale_starts_at, joined_at)) return static_cast<std::int64_t>(random >> 2);
  return kArrivalKeyBase + arrival;
}

std::int64_t AllowedAdmissions(std::int64_t admit_per_minute, TimePoint sale_start, TimePoint now) {
  if (now <= sale_start) return 0;
  // 600,000 a minute times a century of milliseconds stays far inside 64 bits.
  std::int64_t elapsed = (now - sale_start).count();
  return admit_per_minute * elapsed / 60'000;
}

std::int64_t EstimatedWaitSeconds(std::int64_t position, std::int64_t admit_per_minute) {
  if (admit_per_minute <= 0) return 0;
  return position * 60 / admit_per_minute;
}

bool PositionMovedEnough(std::int64_t before, std::int64_t now) {
  std::int64_t moved = before > now ? before - now : now - before;
  return moved * 100 >= before && moved > 0;
}

std::optional<Error> RefuseJoin(const QueueFacts& facts, TimePoint now) {
  if (!QueueOn(facts.queue)) return MakeError(ErrorCode::kQueueNotEnabled);
  if (facts.cancelled || now >= facts.start) return MakeError(ErrorCode::kEventNotBookable);
  if (facts.sale_starts_at) {
    TimePoint opens =
        *facts.sale_starts_at - std::chrono::seconds(facts.queue->opens_before_seconds);
    if (now < opens) {
      Error error = MakeError(ErrorCode::kQueueNotOpen);
      error.details.strings = {{"opens_at", FormatRfc3339(opens)}};
      return error;
    }
  }
  if (facts.sold_out) return MakeError(ErrorCode::kEventSoldOut);
  return std::nullopt;
}

}  // namespace evently::domain
