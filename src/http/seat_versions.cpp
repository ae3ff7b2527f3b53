#include "http/seat_versions.hpp"

#include <spdlog/spdlog.h>

namespace evently::http {

void SeatVersionReader::Get(const std::string& event_id, Done done) {
  std::vector<Done> batch;
  {
    std::lock_guard lock(mu_);
    ++requests_;
    Event& event = events_[event_id];
    event.waiting.push_back(std::move(done));
    if (event.reading) return;
    event.reading = true;
    batch.swap(event.waiting);
  }
  StartRead(event_id, std::move(batch));
}

void SeatVersionReader::StartRead(const std::string& event_id, std::vector<Done> batch) {
  spawn_([this, event_id, batch = std::move(batch)] { ReadFor(event_id, batch); });
}

void SeatVersionReader::ReadFor(const std::string& event_id, const std::vector<Done>& batch) {
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
  std::vector<Done> next;
  {
    std::lock_guard lock(mu_);
    ++reads_;
    auto it = events_.find(event_id);
    if (it->second.waiting.empty()) {
      events_.erase(it);
      return;
    }
    // Those who asked while this read ran: one more read, begun after them, answers them all.
    // Queued behind other work on the pool rather than looping here, to stay fair.
    next.swap(it->second.waiting);
  }
  StartRead(event_id, std::move(next));
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
