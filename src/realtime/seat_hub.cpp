#include "realtime/seat_hub.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
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
  // An event has one flush at a time (`flush_scheduled` stays set until the frames are in the
  // log), so its frames are numbered in the order they were cut; changes published meanwhile
  // are cut by the next flush, scheduled at the end.
  std::vector<domain::SeatChange> changes;
  {
    std::lock_guard lock(mu_);
    auto it = channels_.find(event_id);
    if (it == channels_.end()) return;
    changes.swap(it->second.pending);
    it->second.last_flush = SteadyClock::now();
  }
  // Serialized once outside the lock, the same buffer for everyone (chat-multi's fan-out).
  std::vector<FramePtr> frames;
  for (auto& frame : wire::EncodeSeatUpdateFrames(changes, options_.max_updates_per_frame)) {
    frames.push_back(
        std::make_shared<const Frame>(Frame{event_id, std::move(frame.text), frame.updates}));
  }
  std::vector<Weak> woken, behind;
  {
    std::lock_guard lock(mu_);
    auto it = channels_.find(event_id);
    if (it == channels_.end()) return;  // kept while flush_scheduled was set: not expected
    Channel& channel = it->second;
    channel.log.insert(channel.log.end(), frames.begin(), frames.end());
    channel.log_end += frames.size();
    std::uint64_t oldest = channel.log_end;
    for (std::size_t i = 0; i < channel.audience.size();) {
      Member& member = channel.audience[i];
      if (channel.log_end - member.cursor > options_.max_behind) {
        behind.push_back(member.weak);
        RemoveMember(channel, i);
        continue;
      }
      oldest = std::min(oldest, member.cursor);
      if (member.waiting && member.cursor < channel.log_end) {
        member.waiting = false;
        woken.push_back(member.weak);
      }
      ++i;
    }
    // What every member has taken is nobody's any more.
    while (channel.log_end - channel.log.size() < oldest) channel.log.pop_front();
    frames_sent_ += frames.size() * channel.audience.size();
    channel.flush_scheduled = !channel.pending.empty();
    if (channel.flush_scheduled) {
      asio::post(workers_, [this, event_id] { ScheduleFlush(event_id); });
    }
    EraseIfIdle(it);
  }
  for (const Weak& weak : woken) {
    if (auto subscriber = weak.lock()) subscriber->Wake(event_id);
  }
  for (const Weak& weak : behind) {
    if (auto subscriber = weak.lock()) subscriber->FellBehind(event_id);
  }
}

bool SeatHub::Take(Subscriber* subscriber, const std::string& event_id,
                   std::vector<FramePtr>& out) {
  std::lock_guard lock(mu_);
  auto it = channels_.find(event_id);
  if (it == channels_.end()) return false;
  Channel& channel = it->second;
  auto at = channel.index.find(subscriber);
  if (at == channel.index.end()) return false;
  Member& member = channel.audience[at->second];
  member.waiting = true;  // caught up, whatever it takes now
  if (member.cursor == channel.log_end) return false;
  // The log keeps every frame a member has not taken (members too far behind are removed).
  std::uint64_t first = channel.log_end - channel.log.size();
  auto from = channel.log.begin() + static_cast<std::ptrdiff_t>(member.cursor - first);
  out.insert(out.end(), from, channel.log.end());
  member.cursor = channel.log_end;
  return true;
}

void SeatHub::Subscribe(const std::shared_ptr<Subscriber>& subscriber,
                        const std::string& event_id) {
  FramePtr cached;
  std::optional<Read> read;
  {
    std::lock_guard lock(mu_);
    Channel& channel = channels_[event_id];
    if (channel.index.emplace(subscriber.get(), channel.audience.size()).second) {
      channel.audience.push_back({subscriber.get(), subscriber, channel.log_end});
      ++subscriptions_;
    }
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
  auto at = it->second.index.find(subscriber);
  if (at != it->second.index.end()) RemoveMember(it->second, at->second);
  EraseIfIdle(it);
}

void SeatHub::RemoveMember(Channel& channel, std::size_t at) {
  channel.index.erase(channel.audience[at].raw);
  if (at + 1 != channel.audience.size()) {
    channel.audience[at] = std::move(channel.audience.back());
    channel.index[channel.audience[at].raw] = at;
  }
  channel.audience.pop_back();
  --subscriptions_;
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
      for (const Member& member : channel.audience) everyone.emplace_back(event_id, member.weak);
    }
  }
  for (const auto& [event_id, weak] : everyone) {
    if (auto subscriber = weak.lock()) subscriber->Resync(event_id);
  }
}

}  // namespace evently::realtime
