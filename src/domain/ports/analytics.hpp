// Read models for analytics, served from the per-day roll-ups.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/time.hpp"

namespace evently::domain {

struct DayRange {
  std::string first_day;  // "YYYY-MM-DD", inclusive
  std::string last_day;   // inclusive
};

struct ActivityTotals {
  std::int64_t holds = 0;
  std::int64_t confirmations = 0;
  std::int64_t cancellations = 0;
  std::int64_t abandoned = 0;
  std::int64_t expirations = 0;
  std::int64_t revenue = 0;
  std::int64_t refunds = 0;
};

struct DayActivity {
  std::string day;
  ActivityTotals totals;
};

struct EventActivity {
  std::string event_id;
  std::string name;
  std::int64_t capacity = 0;
  std::int64_t sold = 0;  // seats sold now
  ActivityTotals totals;  // within the range
};

struct TierActivity {
  std::string tier;
  std::int64_t seats_sold = 0;      // within the range
  std::int64_t seats_refunded = 0;  // within the range
  std::int64_t revenue = 0;
  std::int64_t refunds = 0;
};

struct TierState {
  std::string tier;
  std::int64_t price = 0;
  std::int64_t seats = 0;
  std::int64_t sold = 0;
  std::int64_t available = 0;
};

struct EventState {
  std::string event_id;
  std::string name;
  std::string currency;
  std::int64_t capacity = 0;
  std::vector<TierState> tiers;  // layout order
  std::int64_t waitlist_waiting = 0;
};

class AnalyticsStore {
 public:
  virtual ~AnalyticsStore() = default;
  // Days with activity only; the service fills the gaps with zeros.
  virtual std::vector<DayActivity> Daily(const DayRange& range,
                                         const std::optional<std::string>& event_id) = 0;
  virtual std::vector<EventActivity> Events(const DayRange& range) = 0;
  virtual std::vector<TierActivity> Tiers(const DayRange& range,
                                          const std::optional<std::string>& event_id) = 0;
  virtual std::optional<EventState> Event(const std::string& event_id) = 0;
};

}  // namespace evently::domain
