// The live seat map hub (Beast chat-multi's shared_state): who listens to which event, the
// batched fan-out of committed seat changes, and snapshots read off the I/O threads.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
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
  // Frames of one event arrive in the order they were cut.
  virtual void Deliver(FramePtr frame) = 0;
  // The answer to Subscribe: `snapshot` is set when `status` is kReady.
  virtual void SnapshotReady(const std::string& event_id, SnapshotStatus status,
                             FramePtr snapshot) = 0;
  // Changes may have been missed (the cross-node feed reconnected): ask for a fresh snapshot.
  virtual void Resync(const std::string& event_id) = 0;
};

struct HubOptions {
  // Under a burst, changes of one event are sent at most once per window (the first at once).
  std::chrono::milliseconds batch_window{100};
  // Each frame is one send per subscriber, and sends are what a fan-out costs (≈ 18 µs of
  // server CPU each to 10,000 local subscribers, docs/performance.md): a burst that piled up
  // while the previous frame went out goes in one frame (≈ 170 KB at most).
  std::size_t max_updates_per_frame = 2000;
};

class SeatHub final : public domain::SeatChangeSink {
 public:
  // Snapshot reads and the cutting of batches run on `workers`: batches are cut and handed to
  // clients while the WebSocket threads are busy writing the previous ones (a client that has
  // not been written to yet gets both at once).
  SeatHub(boost::asio::thread_pool& workers, domain::SeatAvailabilityReader& reader,
          HubOptions options);

  // Any thread; never blocks on the store or on clients.
  void Publish(const domain::SeatChange& change) override;

  // Adds the subscriber to the event's audience (again: no change) and answers with a snapshot
  // through SnapshotReady. Every change published after this call reaches the subscriber, and
  // the snapshot is at least as new as any change the subscriber does not receive.
  void Subscribe(const std::shared_ptr<Subscriber>& subscriber, const std::string& event_id);
  void Unsubscribe(Subscriber* subscriber, const std::string& event_id);
  // Asks every subscriber to resynchronize (see Subscriber::Resync).
  void ResyncAll();

  std::size_t subscriptions() const { return subscriptions_; }
  std::uint64_t frames_sent() const { return frames_sent_; }
  std::uint64_t snapshot_reads() const { return snapshot_reads_; }

 private:
  using Weak = std::weak_ptr<Subscriber>;
  struct Channel {
    std::unordered_map<Subscriber*, Weak> audience;
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
