// The waiting room (CONTRACT.md, On-sale): join, look, leave, the admin's counts, and the
// admission job every node runs. Positions come from this node's WaitingOrder snapshot.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/ports/queue.hpp"
#include "domain/principal.hpp"
#include "domain/queue/waiting_order.hpp"

namespace evently::domain {

struct QueueSummary {
  std::string event_id;
  QueueSettings settings;
  QueueCounts counts;
};

class QueueService {
 public:
  QueueService(QueueStore& store, const AdmissionTokens& tokens, const Clock& clock);

  // Never blocks: the join is committed with its event's batch and `done` runs on a store
  // thread. A non-UUID event id is EVENT_NOT_FOUND at once.
  void Join(const Principal& who, const std::string& event_id,
            std::function<void(Result<QueueJoinOutcome>)> done);
  // The caller's ticket (QUEUE_TICKET_NOT_FOUND), with its position, wait and token.
  Result<QueueTicket> Mine(const Principal& who, const std::string& event_id);
  Result<QueueTicket> Leave(const Principal& who, const std::string& event_id);
  // A ticket by id for its live updates: QUEUE_TICKET_NOT_FOUND unless it is of this event and,
  // when `user_id` is given, that user's.
  Result<QueueTicket> Watch(const std::string& event_id, const std::string& ticket_id,
                            const std::string& user_id);
  // The admin's view: EVENT_NOT_FOUND for an unknown id, QUEUE_NOT_ENABLED without settings.
  Result<QueueSummary> Summary(const std::string& event_id,
                               const std::optional<QueueSettings>& settings);

  // Whether a hold of `event_id` by `user_id` carries a valid admission (no store read).
  bool Admitted(std::string_view token, std::string_view user_id, std::string_view event_id,
                TimePoint now) const {
    return tokens_.Verify(token, user_id, event_id, now);
  }

  // The admission job, safe on every node at once; returns the tickets it changed.
  int AdmitDue();
  std::uint64_t admitted_total() const { return admitted_total_; }
  std::size_t waiting_in_memory() const { return order_.Keys(); }
  // The last counts read per status, summed over this node's recent events (metrics).
  QueueCounts LastCounts() const;

  // For an answer: position and wait while waiting, the token for its owner once admitted.
  // `may_reload`: the position may wait for a fresh snapshot (not on a store thread).
  QueueTicket Decorate(QueueTicket ticket, TimePoint now, bool owner, bool may_reload = true);

 private:
  QueueStore& store_;
  const AdmissionTokens& tokens_;
  const Clock& clock_;
  WaitingOrder order_;
  std::atomic<std::uint64_t> admitted_total_{0};
  mutable std::mutex counts_mu_;
  std::unordered_map<std::string, QueueCounts> counts_;  // by event, from the last round
  TimePoint counted_at_{};
};

}  // namespace evently::domain
