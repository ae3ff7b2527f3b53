// Instants, the injectable clock, and RFC 3339 / calendar-day conversions (UTC only).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evently::domain {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<Millis>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  }
};

inline std::int64_t ToEpochMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromEpochMillis(std::int64_t ms) { return TimePoint(Millis(ms)); }

// "2024-01-15T10:30:00Z" (whole seconds, as the API shows them).
std::string FormatRfc3339(TimePoint t);
// FormatRfc3339 appended to `out` (no allocation beyond out's growth).
void AppendRfc3339(std::string& out, TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)"; nullopt when malformed or out of range.
std::optional<TimePoint> ParseRfc3339(std::string_view text);
// "YYYY-MM-DD" -> midnight UTC of that day.
std::optional<TimePoint> ParseDate(std::string_view text);
std::string FormatDate(TimePoint t);  // the UTC day of t
// Days from the day of `first` to the day of `last`, both counted (0 when last is earlier).
std::int64_t DaysInclusive(TimePoint first, TimePoint last);
TimePoint StartOfDay(TimePoint t);

}  // namespace evently::domain
