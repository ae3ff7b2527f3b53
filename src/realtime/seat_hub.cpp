#include "realtime/seat_hub.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <iterator>
#include <optional>

#include "wire/realtime_json.hpp"

namespace evently::realtime {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

SeatHub::SeatHub(asio::thread_pool& workers, domain::SeatAvailabilityReader& reader,
                 HubOptions options)
    : workers_(workers), reader_(reader), options_(options) {}

void SeatHub::Publish(const domain::SeatChange& change) {
  std::lock_guard lock(mu_);
  auto it = channels_.find(change.event_id);
  if (it == channels_.end()) return;  // nobody listens to this event
  Channel& channel = it->second;
  ++channel.generation;
  if (channel.audience.empty()) return;
  channel.pending.push_back(change);
  if (channel.flush_scheduled) return;
  channel.flush_scheduled = true;
  asio::post(workers_, [this, event_id = change.event_id] { ScheduleFlush(event_id); });
}

void SeatHub::ScheduleFlush(const std::string& event_id) {
  SteadyClock::time_point due;
  {
    std::lock_guard lock(mu_);
    auto it = channels_.find(event_id);
    if (it == channels_.end()) return;
    due = it->second.last_flush + options_.batch_window;
  }
  if (SteadyClock::now() >= due) {
    Flush(event_id);
    return;
  }
  auto timer = std::make_shared<asio::steady_timer>(workers_, due);
  timer->async_wait([this, event_id, timer](const boost::system::error_code& ec) {
    if (!ec) Flush(event_id);
  });
}

void SeatHub::Flush(const std::string& event_id) {
  // An event has one flush at a time: `flush_scheduled` stays set from the cut until every
  // subscriber has been handed the frames, so clients get an event's batches in the order they
  // were cut; changes published meanwhile are cut by the next flush, scheduled at the end.
  std::vector<domain::SeatChange> changes;
  std::vector<Weak> audience;
  {
    std::lock_guard lock(mu_);
    auto it = channels_.find(event_id);
    if (it == channels_.end()) return;
    Channel& channel = it->second;
    changes.swap(channel.pending);
    channel.last_flush = SteadyClock::now();
    audience.reserve(channel.audience.size());
    for (const auto& [raw, weak] : channel.audience) audience.push_back(weak);
  }
  // Serialized once, sent to everyone outside the lock (chat-multi's fan-out).
  std::vector<FramePtr> frames;
  for (auto& frame : wire::EncodeSeatUpdateFrames(changes, options_.max_updates_per_frame)) {
    frames.push_back(
        std::make_shared<const Frame>(Frame{event_id, std::move(frame.text), frame.updates}));
  }
  for (const Weak& weak : audience) {
    if (auto subscriber = weak.lock()) {
      for (const FramePtr& frame : frames) subscriber->Deliver(frame);
    }
  }
  frames_sent_ += frames.size() * audience.size();
  std::lock_guard lock(mu_);
  auto it = channels_.find(event_id);
  if (it == channels_.end()) return;  // kept while flush_scheduled was set: not expected
  Channel& channel = it->second;
  channel.flush_scheduled = !channel.pending.empty();
  if (channel.flush_scheduled) {
    asio::post(workers_, [this, event_id] { ScheduleFlush(event_id); });
  }
  EraseIfIdle(it);
}

void SeatHub::Subscribe(const std::shared_ptr<Subscriber>& subscriber,
                        const std::string& event_id) {
  FramePtr cached;
  std::optional<Read> read;
  {
    std::lock_guard lock(mu_);
    Channel& channel = channels_[event_id];
    if (channel.audience.emplace(subscriber.get(), subscriber).second) ++subscriptions_;
    if (channel.cached && channel.cached_generation == channel.generation) {
      cached = channel.cached;
    } else {
      channel.awaiting.push_back(subscriber);
      if (!channel.reading) read = StartRead(event_id, channel);
    }
  }
  if (cached) subscriber->SnapshotReady(event_id, SnapshotStatus::kReady, cached);
  if (read) asio::post(workers_, [this, r = std::move(*read)]() mutable { RunRead(std::move(r)); });
}

SeatHub::Read SeatHub::StartRead(const std::string& event_id, Channel& channel) {
  channel.reading = true;
  Read read{event_id, channel.generation, {}};
  read.waiters.swap(channel.awaiting);
  return read;
}

void SeatHub::RunRead(Read read) {
  ++snapshot_reads_;
  SnapshotStatus status = SnapshotStatus::kReady;
  FramePtr frame;
  try {
    if (auto availability = reader_.Read(read.event_id)) {
      frame = std::make_shared<const Frame>(
          Frame{read.event_id, wire::EncodeSnapshot(*availability), 0});
    } else {
      status = SnapshotStatus::kNotFound;
    }
  } catch (const std::exception& e) {
    spdlog::warn("live seats: snapshot of {} failed: {}", read.event_id, e.what());
    status = SnapshotStatus::kUnavailable;
  }
  std::optional<Read> next;
  {
    std::lock_guard lock(mu_);
    auto it = channels_.find(read.event_id);
    if (it != channels_.end()) {
      Channel& channel = it->second;
      channel.reading = false;
      // Still current: also good for those who asked while it was being read, and cached.
      if (channel.generation == read.generation) {
        if (frame) {
          channel.cached = frame;
          channel.cached_generation = read.generation;
        }
        std::move(channel.awaiting.begin(), channel.awaiting.end(),
                  std::back_inserter(read.waiters));
        channel.awaiting.clear();
      }
      if (!channel.awaiting.empty()) next = StartRead(read.event_id, channel);
      EraseIfIdle(it);
    }
  }
  for (const auto& subscriber : read.waiters) {
    subscriber->SnapshotReady(read.event_id, status, frame);
  }
  if (next) asio::post(workers_, [this, r = std::move(*next)]() mutable { RunRead(std::move(r)); });
}

void SeatHub::Unsubscribe(Subscriber* subscriber, const std::string& event_id) {
  std::lock_guard lock(mu_);
  auto it = channels_.find(event_id);
  if (it == channels_.end()) return;
  if (it->second.audience.erase(subscriber) > 0) --subscriptions_;
  EraseIfIdle(it);
}

void SeatHub::EraseIfIdle(std::unordered_map<std::string, Channel>::iterator it) {
  const Channel& c = it->second;
  if (c.audience.empty() && c.awaiting.empty() && !c.reading && !c.flush_scheduled) {
    channels_.erase(it);
  }
}

void SeatHub::ResyncAll() {
  std::vector<std::pair<std::string, Weak>> everyone;
  {
    std::lock_guard lock(mu_);
    for (auto& [event_id, channel] : channels_) {
      ++channel.generation;  // the cached snapshot may predate what was missed
      for (const auto& [raw, weak] : channel.audience) everyone.emplace_back(event_id, weak);
    }
  }
  for (const auto& [event_id, weak] : everyone) {
    if (auto subscriber = weak.lock()) subscriber->Resync(event_id);
  }
}

}  // namespace evently::realtime
