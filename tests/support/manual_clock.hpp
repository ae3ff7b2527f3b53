// A clock the test moves by hand (thread-safe).
#pragma once

#include <atomic>

#include "domain/time.hpp"

namespace evently::testing {

class ManualClock final : public domain::Clock {
 public:
  explicit ManualClock(domain::TimePoint start = domain::SystemClock().Now())
      : ms_(domain::ToEpochMillis(start)) {}
  domain::TimePoint Now() const override { return domain::FromEpochMillis(ms_.load()); }
  void Advance(domain::Millis by) { ms_ += by.count(); }

 private:
  std::atomic<std::int64_t> ms_;
};

}  // namespace evently::testing
