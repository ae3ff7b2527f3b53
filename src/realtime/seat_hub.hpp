// The live seat map hub (Beast chat-multi's shared_state): who listens to which event, the
// batched fan-out of committed seat changes, and snapshots read off the I/O threads.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/ports/seat_availability.hpp"
#include "domain/ports/seat_changes.hpp"

namespace evently::realtime {

// One serialized message, shared by every client it is sent to.
struct Frame {
  std::string event_id;  // the event it belongs to; empty for replies to one client
  std::string text;
  std::size_t seat_updates = 0;  // a seat_update(s) message of that many updates, else 0
};
using FramePtr = std::shared_ptr<const Frame>;

enum class SnapshotStatus { kReady, kNotFound, kUnavailable };

// A client of the hub. Calls come from any thread; implementations hop onto their own thread.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Frames of `event_id` were cut since the subscriber last took them: take them with
  // SeatHub::Take. One wake per take: until the subscriber takes again, cuts do not wake it.
  virtual void Wake(const std::string& event_id) = 0;
  // The subscriber left HubOptions::max_behind frames of `event_id` untaken and is no longer in
  // its audience: a client that does not keep up is cut off, never allowed to hold the others.
  virtual void FellBehind(const std::string& event_id) = 0;
  // The answer to Subscribe: `snapshot` is set when `status` is kReady.
  virtual void SnapshotReady(const std::string& event_id, SnapshotStatus status,
                             FramePtr snapshot) = 0;
  // Changes may have been missed (the cross-node feed reconnected): ask for a fresh snapshot.
  virtual void Resync(const std::string& event_id) = 0;
};

struct HubOptions {
  // Under a burst, changes of one event are sent at most once per window (the first at once).
  std::chrono::milliseconds batch_window{50};
  // Each frame is one send per subscriber, and sends are what a fan-out costs (≈ 18 µs of
  // server CPU each to 10,000 local subscribers, docs/performance.md): a burst that piled up
  // while the previous frame went out goes in one frame (≈ 170 KB at most).
  std::size_t max_updates_per_frame = 2000;
  // Frames a subscriber may leave untaken; one further behind is dropped (FellBehind).
  std::size_t max_behind = 256;
};

// Each event keeps a log of the frames cut lately and every subscriber's place in it. A cut
// appends to the log and wakes only the subscribers waiting for it; the others take what is new
// when their socket is free, all of it at once. So a cut costs one pass over a compact array,
// not a hand-over to every client, and batches can be cut often.
class SeatHub final : public domain::SeatChangeSink {
 public:
  // Snapshot reads and the cutting of batches run on `workers`: batches are cut while the
  // WebSocket threads are busy writing the previous ones.
  SeatHub(boost::asio::thread_pool& workers, domain::SeatAvailabilityReader& reader,
          HubOptions options);

  // Any thread; never blocks on the store or on clients.
  void Publish(const domain::SeatChange& change) override;

  // Adds the subscriber to the event's audience (again: no change) and answers with a snapshot
  // through SnapshotReady. Every change published after this call reaches the subscriber, and
  // the snapshot is at least as new as any change the subscriber does not receive.
  void Subscribe(const std::shared_ptr<Subscriber>& subscriber, const std::string& event_id);
  void Unsubscribe(Subscriber* subscriber, const std::string& event_id);
  // Appends to `out` the frames of `event_id` the subscriber has not taken, in the order they
  // were cut, and returns whether there were any. Either way the next cut wakes the subscriber
  // (Subscriber::Wake), once. A subscriber's first frames are those cut after Subscribe.
  bool Take(Subscriber* subscriber, const std::string& event_id, std::vector<FramePtr>& out);
  // Asks every subscriber to resynchronize (see Subscriber::Resync).
  void ResyncAll();

  std::size_t subscriptions() const { return subscriptions_; }
  std::uint64_t frames_sent() const { return frames_sent_; }
  std::uint64_t snapshot_reads() const { return snapshot_reads_; }

 private:
  using Weak = std::weak_ptr<Subscriber>;
  struct Member {
    Subscriber* raw;
    Weak weak;
    std::uint64_t cursor;  // the number of the first frame it has not taken
    bool waiting = false;  // has taken since the last wake: the next cut wakes it
  };
  struct Channel {
    std::vector<Member> audience;                        // compact: every cut passes over it
    std::unordered_map<Subscriber*, std::size_t> index;  // into audience
    std::deque<FramePtr> log;  // frames log_end - log.size() .. log_end - 1
    std::uint64_t log_end = 0;
    std::uint64_t generation = 0;  // bumped by every change
    FramePtr cached;               // snapshot read at cached_generation
    std::uint64_t cached_generation = 0;
    bool reading = false;
    // Asked for a snapshot after the read in flight started. Held strongly: a client waiting
    // for its snapshot may have no I/O of its own in flight to keep it alive.
    std::vector<std::shared_ptr<Subscriber>> awaiting;
    std::vector<domain::SeatChange> pending;
    bool flush_scheduled = false;
    std::chrono::steady_clock::time_point last_flush{};
  };
  struct Read {
    std::string event_id;
    std::uint64_t generation;
    std::vector<std::shared_ptr<Subscriber>> waiters;
  };

  Read StartRead(const std::string& event_id, Channel& channel);  // with mu_ held
  void RunRead(Read read);
  void ScheduleFlush(const std::string& event_id);
  void Flush(const std::string& event_id);
  void EraseIfIdle(std::unordered_map<std::string, Channel>::iterator it);  // with mu_ held
  void RemoveMember(Channel& channel, std::size_t at);                      // with mu_ held

  boost::asio::thread_pool& workers_;
  domain::SeatAvailabilityReader& reader_;
  HubOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Channel> channels_;
  std::atomic<std::size_t> subscriptions_{0};
  std::atomic<std::uint64_t> frames_sent_{0};
  std::atomic<std::uint64_t> snapshot_reads_{0};
};

}  // namespace evently::realtime
