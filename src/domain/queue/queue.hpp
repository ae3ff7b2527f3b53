// The waiting room's rules (CONTRACT.md, On-sale): an event's queue settings, tickets and their
// order, the admission allowance, and why a join is refused. The store reads the facts; these
// functions decide.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/time.hpp"

namespace evently::domain {

inline constexpr std::int64_t kMaxAdmitPerMinute = 600'000;
inline constexpr std::int64_t kMinWindowSeconds = 60;
inline constexpr std::int64_t kMaxWindowSeconds = 3'600;
inline constexpr std::int64_t kDefaultWindowSeconds = 600;
inline constexpr std::int64_t kMaxOpensBeforeSeconds = 86'400;
inline constexpr std::int64_t kDefaultOpensBeforeSeconds = 1'800;

struct QueueSettings {
  bool enabled = false;
  std::int64_t admit_per_minute = 0;
  std::int64_t window_seconds = kDefaultWindowSeconds;
  std::int64_t opens_before_seconds = kDefaultOpensBeforeSeconds;
  bool operator==(const QueueSettings&) const = default;
};

// Issues of queue settings as they would be stored with the event's sale start: a queue needs
// one (its order and admission count from it); the ranges are the decoder's, checked again.
void CheckQueueSettings(const std::optional<QueueSettings>& queue,
                        const std::optional<TimePoint>& sale_starts_at,
                        std::vector<FieldIssue>& issues);
// Whether buying the event needs an admission.
inline bool QueueOn(const std::optional<QueueSettings>& queue) { return queue && queue->enabled; }

enum class TicketStatus { kWaiting, kAdmitted, kExpired, kLeft, kSoldOut };
inline constexpr TicketStatus kAllTicketStatuses[] = {
    TicketStatus::kWaiting, TicketStatus::kAdmitted, TicketStatus::kExpired, TicketStatus::kLeft,
    TicketStatus::kSoldOut};
std::string_view TicketStatusName(TicketStatus status);
std::optional<TicketStatus> ParseTicketStatus(std::string_view name);

struct QueueTicket {
  std::string id;
  std::string event_id;
  std::string user_id;
  std::int64_t order_key = 0;  // waiting tickets are admitted in ascending order
  TicketStatus status = TicketStatus::kWaiting;
  TimePoint joined_at{};
  std::optional<TimePoint> admitted_at;
  std::optional<TimePoint> admission_expires_at;
  std::int64_t admit_per_minute = 0;  // the event's rate, for the wait estimate
  // Filled for the answer: only while waiting, resp. for the owner once admitted.
  std::optional<std::int64_t> position;
  std::optional<std::int64_t> estimated_wait_seconds;
  std::optional<std::string> admission_token;
};

// The order: a ticket that joins before the sale start gets a key drawn uniformly at random
// below kArrivalKeyBase (sorted, the pre-queue is a uniformly random permutation); a later one
// gets kArrivalKeyBase + its arrival number, so it queues behind all of those in arrival order.
inline constexpr std::int64_t kArrivalKeyBase = std::int64_t{1} << 62;
std::int64_t OrderKey(const std::optional<TimePoint>& sale_starts_at, TimePoint joined_at,
                      std::uint64_t random, std::int64_t arrival);
bool JoinsBeforeStart(const std::optional<TimePoint>& sale_starts_at, TimePoint joined_at);

// Admissions the rate allows from the sale start until `now`, in total: floor(rate × elapsed /
// 1 min), so they spread evenly over every second. Every node compares it with the count the
// store keeps, under the event's admission lock.
std::int64_t AllowedAdmissions(std::int64_t admit_per_minute, TimePoint sale_start, TimePoint now);
// position / admit_per_minute × 60 s.
std::int64_t EstimatedWaitSeconds(std::int64_t position, std::int64_t admit_per_minute);
// A live update is due when the status changed or the position moved by 1 % or more.
bool PositionMovedEnough(std::int64_t before, std::int64_t now);

// What a join is decided on, read by the join's batch.
struct QueueFacts {
  bool cancelled = false;
  TimePoint start{};
  std::optional<TimePoint> sale_starts_at;
  std::optional<QueueSettings> queue;
  bool sold_out = false;  // see NoSeatLeft
};
// QUEUE_NOT_ENABLED, EVENT_NOT_BOOKABLE (cancelled or started), QUEUE_NOT_OPEN (details.opens_at),
// EVENT_SOLD_OUT; none when the join may proceed.
std::optional<Error> RefuseJoin(const QueueFacts& facts, TimePoint now);
// No seat is left when none is available and none is held: a pending booking or a waitlist
// offer may still give its seats back, so until those settle the queue keeps waiting.
inline bool NoSeatLeft(std::int64_t available, bool any_held) {
  return available == 0 && !any_held;
}

}  // namespace evently::domain
