#include "http/seat_versions.hpp"

#include <spdlog/spdlog.h>

namespace evently::http {

void SeatVersionReader::Get(const std::string& event_id, Done done) {
  {
    std::lock_guard lock(mu_);
    ++requests_;
    Event& event = events_[event_id];
    event.waiting.push_back(std::move(done));
    if (event.scheduled) return;
    event.scheduled = true;
  }
  Schedule(event_id);
}

void SeatVersionReader::Schedule(const std::string& event_id) {
  spawn_([this, event_id] { ReadFor(event_id); });
}

void SeatVersionReader::ReadFor(const std::string& event_id) {
  // Everyone waiting now asked before this read begins; whoever asks from here on waits for
  // the next one.
  std::vector<Done> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(events_[event_id].waiting);
  }
  domain::Result<std::int64_t> version = domain::MakeError(domain::ErrorCode::kServerError);
  try {
    version = read_(event_id);
  } catch (const domain::StoreUnavailable& e) {
    spdlog::warn("store unavailable reading the seat version of {}: {}", event_id, e.what());
    version = domain::MakeError(domain::ErrorCode::kServiceUnavailable);
  } catch (const std::exception& e) {
    spdlog::error("reading the seat version of {}: {}", event_id, e.what());
    version = domain::MakeError(domain::ErrorCode::kServerError);
  }
  for (const Done& done : batch) done(version);
  {
    std::lock_guard lock(mu_);
    ++reads_;
    auto it = events_.find(event_id);
    if (it->second.waiting.empty()) {
      events_.erase(it);
      return;
    }
  }
  // Those who asked while this read ran get the next one, queued behind other work on the pool
  // rather than run in a loop here, to stay fair.
  Schedule(event_id);
}

std::uint64_t SeatVersionReader::reads() const {
  std::lock_guard lock(mu_);
  return reads_;
}

std::uint64_t SeatVersionReader::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

}  // namespace evently::http
