// What the waiting room needs from the store, and from whoever signs admission tokens.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/queue/queue.hpp"

namespace evently::domain {

struct QueueJoinRequest {
  std::string ticket_id;  // used when the user has no ticket of the event yet
  std::string event_id;
  std::string user_id;
  TimePoint now{};
  std::uint64_t random = 0;  // from a CSPRNG: the order key of a join before the sale start
};

struct QueueJoinOutcome {
  QueueTicket ticket;
  bool created = false;  // false: the user's existing ticket
};

struct QueueCounts {
  std::int64_t waiting = 0, admitted = 0, expired = 0, left = 0, sold_out = 0;
  std::int64_t admitted_last_minute = 0;
};

// What one admission round changed on this node's behalf (for metrics and live updates).
struct AdmissionRound {
  std::int64_t admitted = 0;
  std::int64_t expired = 0;
  std::int64_t sold_out = 0;
  std::vector<std::string> events;  // whose tickets changed
};

class QueueStore {
 public:
  virtual ~QueueStore() = default;

  // Joins of one event are committed together (group commit); `done` runs on a store thread.
  // EVENT_NOT_FOUND, QUEUE_NOT_ENABLED, QUEUE_NOT_OPEN, EVENT_NOT_BOOKABLE, EVENT_SOLD_OUT,
  // AUTH_TOKEN_INVALID (the user is gone: the insert checks it, no read before).
  virtual void Join(const QueueJoinRequest& request,
                    std::function<void(Result<QueueJoinOutcome>)> done) = 0;
  virtual std::optional<QueueTicket> FindForUser(const std::string& event_id,
                                                 const std::string& user_id) = 0;
  virtual std::optional<QueueTicket> Find(const std::string& event_id,
                                          const std::string& ticket_id) = 0;
  // Waiting -> left (other statuses stay as they are); QUEUE_TICKET_NOT_FOUND.
  virtual Result<QueueTicket> Leave(const std::string& event_id, const std::string& user_id,
                                    TimePoint now) = 0;
  // The order keys of the event's waiting tickets, ascending.
  virtual std::vector<std::int64_t> WaitingKeys(const std::string& event_id) = 0;
  virtual QueueCounts Counts(const std::string& event_id, TimePoint now) = 0;
  // Events whose queue is on and whose sale has started (and not ended), for the admission job.
  virtual std::vector<std::string> ActiveQueues(TimePoint now) = 0;
  // One event's round: lapsed windows expire, waiting tickets turn sold_out when no seat is left,
  // and as many as the rate allows are admitted in order, counted in the store under the event's
  // admission lock, so that all nodes together never admit more than the rate.
  virtual AdmissionRound Admit(const std::string& event_id, TimePoint now) = 0;
};

// Admission tokens: signed, bound to the ticket, its user and event, and its window's end, so a
// hold checks them without a store read.
class AdmissionTokens {
 public:
  virtual ~AdmissionTokens() = default;
  virtual std::string Issue(const QueueTicket& ticket) const = 0;
  // Valid: well formed, correctly signed, unexpired at `now`, of this user and this event.
  virtual bool Verify(std::string_view token, std::string_view user_id, std::string_view event_id,
                      TimePoint now) const = 0;
};

}  // namespace evently::domain
