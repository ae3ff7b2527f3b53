// Fresh events.seat_version reads shared by concurrent requests. A request is given a version
// read that *began after it asked*, so a seat change committed before it arrived — on this node
// or any other on the same store — is never missed (a stale 304 is impossible); one read serves
// every request for that event that arrived before the read began (including those that came
// while it waited in the pool's queue). Reads run on the worker pool,
// so an I/O thread can wait for one without blocking.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/error.hpp"

namespace evently::http {

class SeatVersionReader {
 public:
  using Read = std::function<domain::Result<std::int64_t>(const std::string& event_id)>;
  using Done = std::function<void(const domain::Result<std::int64_t>&)>;
  // Runs a task off the I/O threads (the worker pool).
  using Spawn = std::function<void(std::function<void()>)>;

  SeatVersionReader(Read read, Spawn spawn) : read_(std::move(read)), spawn_(std::move(spawn)) {}

  // `done` runs on the thread that did the read, once a read begun after this call finished.
  // A store outage becomes SERVICE_UNAVAILABLE.
  void Get(const std::string& event_id, Done done);

  std::uint64_t reads() const;     // store reads made
  std::uint64_t requests() const;  // versions handed out

 private:
  struct Event {
    bool scheduled = false;     // a read is queued or running
    std::vector<Done> waiting;  // for the next read to begin
  };
  void Schedule(const std::string& event_id);
  void ReadFor(const std::string& event_id);

  Read read_;
  Spawn spawn_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Event> events_;
  std::uint64_t reads_ = 0;
  std::uint64_t requests_ = 0;
};

}  // namespace evently::http
