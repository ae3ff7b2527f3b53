// Group commit: concurrent writes queued under one key (an event) are folded into one
// transaction, run on a small fixed set of store threads, each write told its own outcome.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "domain/error.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

// The threads that run store work handed over by the request paths: a fixed number, whatever
// the number of connections in flight. Tasks run in the order posted.
class StoreThreads {
 public:
  explicit StoreThreads(std::size_t threads);
  ~StoreThreads();  // runs what was posted, then joins
  StoreThreads(const StoreThreads&) = delete;
  StoreThreads& operator=(const StoreThreads&) = delete;

  void Post(std::function<void()> task);
  std::size_t size() const { return threads_.size(); }

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// What a queue's batches did since it was made, by size (bench/hold_store prints it: where a
// batch's time goes, and how big concurrent writes make them).
struct BatchStats {
  struct Size {
    std::uint64_t batches = 0, writes = 0, holds = 0;
    std::chrono::microseconds busy{0};  // from the first statement to the commit's answer
  };
  static constexpr std::size_t kWidth = 8;  // sizes 1-8, 9-16, ...
  std::vector<Size> by_size;                // [i]: batches of i * kWidth + 1 .. (i + 1) * kWidth
  std::uint64_t isolated = 0;               // batches rerun member by member after a member's fault
  std::uint64_t late = 0;                   // writes failed unrun after waiting past max_wait
};

// Whether an exception out of a batch is the fault of one of its rows (a constraint the batch
// could not know of), rather than of the store as a whole.
bool IsRowFault(const std::exception_ptr& failure);

// Per-key queues of writes. A write is queued with Submit; the queue's batches run one at a time
// on a store thread, up to `max_batch` writes each, in arrival order, so writes of one key never
// race each other while writes of different keys run side by side. A queue with nothing waiting
// is erased.
//
// `Run` gives every write of the batch its outcome or throws. When it throws a row fault and the
// batch has several writes, each write runs again on its own, so only the one at fault fails and
// every other commits; any other exception (store unreachable, retries spent) fails them all.
// `Run` sets each write's outcome anew (a rerun overwrites what the failed batch left), and a
// write's `failure` (std::exception_ptr) holds what it failed with, which its reader looks at
// first.
//
// `max_wait` (0: none) bounds the time a write waits to be taken into a batch: a write still
// queued after it (the store threads were stuck on other keys' batches, in an outage) fails with
// domain::StoreUnavailable without running, so that its caller hears within about one store
// timeout of its own instead of one for every batch queued ahead of it.
template <typename Write>
class GroupCommit {
 public:
  using Run = std::function<void(const std::vector<Write*>&)>;
  // How many of a batch's writes are holds, for BatchStats.
  using CountHolds = std::function<std::uint64_t(const std::vector<Write*>&)>;

  GroupCommit(StoreThreads& threads, std::size_t max_batch, Run run, CountHolds holds = {},
              std::chrono::milliseconds max_wait = std::chrono::milliseconds(0))
      : threads_(threads),
        max_batch_(max_batch == 0 ? 1 : max_batch),
        max_wait_(max_wait),
        run_(std::move(run)),
        holds_(std::move(holds)) {}

  // Queues `write` and returns at once; `done` runs on a store thread once its outcome is set.
  // `write` must live until then.
  void Submit(const std::string& key, Write& write, std::function<void()> done) {
    bool start = false;
    {
      std::lock_guard lock(mu_);
      auto [it, created] = queues_.try_emplace(key);
      it->second.push_back({&write, std::move(done), Clock::now()});
      start = created;
    }
    if (start) threads_.Post([this, key] { Drain(key); });
  }

  // Queues `write` and waits for its outcome (callers that are threads of their own: tests,
  // background jobs, the worker pool).
  void SubmitAndWait(const std::string& key, Write& write) {
    std::mutex mu;
    std::condition_variable cv;
    bool finished = false;
    Submit(key, write, [&] {
      std::lock_guard lock(mu);
      finished = true;
      cv.notify_one();
    });
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return finished; });
  }

  BatchStats Stats() const {
    std::lock_guard lock(mu_);
    return stats_;
  }
  // Keys with writes queued or running (idle queues are erased).
  std::size_t Queues() const {
    std::lock_guard lock(mu_);
    return queues_.size();
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    Write* write;
    std::function<void()> done;
    Clock::time_point queued;
  };

  // Runs the key's next batch, then hands the queue back to the threads if more is waiting, so
  // that a busy event does not keep a thread from other events' queues.
  void Drain(const std::string& key) {
    std::vector<Entry> batch;
    std::vector<Entry> late;  // waited past max_wait_: failed, not run
    {
      std::lock_guard lock(mu_);
      std::deque<Entry>& waiting = queues_.at(key);
      auto now = Clock::now();
      while (!waiting.empty() && batch.size() < max_batch_) {
        bool too_late = max_wait_.count() > 0 && now - waiting.front().queued > max_wait_;
        (too_late ? late : batch).push_back(std::move(waiting.front()));
        waiting.pop_front();
      }
    }
    for (Entry& e : late) {
      e.write->failure = std::make_exception_ptr(domain::StoreUnavailable(
          "the store was busy with other writes for " + std::to_string(max_wait_.count()) + " ms"));
    }
    std::vector<Write*> writes;
    writes.reserve(batch.size());
    for (const Entry& e : batch) writes.push_back(e.write);
    auto started = Clock::now();
    bool isolated = !writes.empty() && RunIsolated(writes);
    auto busy = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    std::uint64_t holds = holds_ && !writes.empty() ? holds_(writes) : 0;
    bool more = false;
    {
      std::lock_guard lock(mu_);
      if (!writes.empty()) Count(writes.size(), holds, busy, isolated);
      stats_.late += late.size();
      auto it = queues_.find(key);
      more = !it->second.empty();
      if (!more) queues_.erase(it);
    }
    if (more) threads_.Post([this, key] { Drain(key); });
    // Last: once its writes are told, the owner may be gone (nothing else waits on it).
    for (Entry& e : late) e.done();
    for (Entry& e : batch) e.done();
  }

  // Returns whether the batch had to be rerun write by write.
  bool RunIsolated(const std::vector<Write*>& writes) {
    try {
      run_(writes);
      return false;
    } catch (...) {
      std::exception_ptr failure = std::current_exception();
      if (writes.size() == 1 || !IsRowFault(failure)) {
        for (Write* w : writes) w->failure = failure;
        return false;
      }
    }
    for (Write* w : writes) {
      try {
        run_({w});
      } catch (...) {
        w->failure = std::current_exception();
      }
    }
    return true;
  }

  void Count(std::size_t size, std::uint64_t holds, std::chrono::microseconds busy, bool isolated) {
    std::size_t slot = (size - 1) / BatchStats::kWidth;
    if (stats_.by_size.size() <= slot) stats_.by_size.resize(slot + 1);
    BatchStats::Size& counted = stats_.by_size[slot];
    ++counted.batches;
    counted.writes += size;
    counted.holds += holds;
    counted.busy += busy;
    if (isolated) ++stats_.isolated;
  }

  StoreThreads& threads_;
  std::size_t max_batch_;
  std::chrono::milliseconds max_wait_;
  Run run_;
  CountHolds holds_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::deque<Entry>> queues_;
  BatchStats stats_;
};

}  // namespace evently::storage
