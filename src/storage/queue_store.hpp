// The waiting room on SQL: joins group-committed per event, positions' keys, leaving, and the
// admission rounds that every node runs, counted under a per-event admission row lock.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/ports/queue.hpp"
#include "storage/group_commit.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

struct QueueStoreOptions {
  std::size_t max_batch = 256;          // joins of one event folded into one transaction
  std::size_t batch_threads = 0;        // 0: one on SQLite, two on PostgreSQL
  std::int64_t window_cap_seconds = 0;  // > 0: no admission window is longer (tests, demos)
};

class QueueStoreSql final : public domain::QueueStore {
 public:
  explicit QueueStoreSql(Database& db, QueueStoreOptions options = {});

  void Join(const domain::QueueJoinRequest& request,
            std::function<void(domain::Result<domain::QueueJoinOutcome>)> done) override;
  std::optional<domain::QueueTicket> FindForUser(const std::string& event_id,
                                                 const std::string& user_id) override;
  std::optional<domain::QueueTicket> Find(const std::string& event_id,
                                          const std::string& ticket_id) override;
  domain::Result<domain::QueueTicket> Leave(const std::string& event_id, const std::string& user_id,
                                            domain::TimePoint now) override;
  std::vector<std::int64_t> WaitingKeys(const std::string& event_id) override;
  domain::QueueCounts Counts(const std::string& event_id, domain::TimePoint now) override;
  std::vector<std::string> ActiveQueues(domain::TimePoint now) override;
  domain::AdmissionRound Admit(const std::string& event_id, domain::TimePoint now) override;

  BatchStats Stats() const { return batches_.Stats(); }

 private:
  struct PendingJoin {
    domain::QueueJoinRequest request;
    std::optional<domain::Result<domain::QueueJoinOutcome>> result;
    std::exception_ptr failure;
  };
  void RunBatch(const std::vector<PendingJoin*>& batch);

  Database& db_;
  QueueStoreOptions options_;
  StoreThreads threads_;
  GroupCommit<PendingJoin> batches_;
};

}  // namespace evently::storage
