// Positions in the waiting room from memory: per event, a sorted snapshot of the waiting
// tickets' order keys, refreshed from the store about once a second (and after this node's own
// joins and admissions), so a poll is a binary search instead of a COUNT(*) per request.
// 8 bytes per waiting ticket.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/time.hpp"

namespace evently::domain {

class WaitingOrder {
 public:
  using Load = std::function<std::vector<std::int64_t>(const std::string& event_id)>;
  WaitingOrder(Load load, Millis max_age = std::chrono::seconds(1))
      : load_(std::move(load)), max_age_(max_age) {}

  // 1-based position of `key` among the event's waiting tickets. With `may_reload`, reloads a
  // snapshot older than max_age first; while another thread reloads, the current one answers.
  std::int64_t Position(const std::string& event_id, std::int64_t key, TimePoint now,
                        bool may_reload);
  // This node's own changes, applied at once (other nodes' arrive with the next reload): joined
  // keys go in; an admission round takes the first `count`; a ticket that left goes.
  void Joined(const std::string& event_id, std::vector<std::int64_t> keys);
  void Admitted(const std::string& event_id, std::int64_t count);
  void Left(const std::string& event_id, std::int64_t key);
  // Waiting tickets in the snapshots, all events (metrics: memory per waiting ticket).
  std::size_t Keys() const;

 private:
  struct Snapshot {
    std::mutex mu;
    std::shared_ptr<const std::vector<std::int64_t>> keys =
        std::make_shared<const std::vector<std::int64_t>>();
    std::optional<TimePoint> loaded;
    bool stale = true;
    bool loading = false;
  };
  Snapshot& Of(const std::string& event_id);
  std::shared_ptr<const std::vector<std::int64_t>> Current(Snapshot& s, const std::string& event_id,
                                                           TimePoint now, bool may_reload);

  Load load_;
  Millis max_age_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Snapshot>> events_;
};

}  // namespace evently::domain
