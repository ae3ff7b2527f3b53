// Where committed seat changes go: live seat maps, the waitlist, caches.
#pragma once

#include <vector>

#include "domain/booking/booking.hpp"

namespace evently::domain {

class SeatChangeSink {
 public:
  virtual ~SeatChangeSink() = default;
  virtual void Publish(const SeatChange& change) = 0;
};

// Fans one change out to several sinks (realtime hub, waitlist, cache).
class SeatChangeFanout final : public SeatChangeSink {
 public:
  void Add(SeatChangeSink& sink) { sinks_.push_back(&sink); }
  void Publish(const SeatChange& change) override {
    for (SeatChangeSink* sink : sinks_) sink->Publish(change);
  }

 private:
  std::vector<SeatChangeSink*> sinks_;
};

}  // namespace evently::domain
