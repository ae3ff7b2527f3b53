#include "domain/time.hpp"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <limits>

namespace evently::domain {
namespace {

bool ReadInt(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return ec == std::errc() && ptr == text.data() + pos + len;
}

std::optional<std::chrono::sys_days> ReadDay(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!ReadInt(text, 0, 4, y) || !ReadInt(text, 5, 2, m) || !ReadInt(text, 8, 2, d)) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(y),
                                  std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || y < 1970 || y > 9999) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

}  // namespace

void AppendRfc3339(std::string& out, TimePoint t) {
  // Every response carries a timestamp and most fall in the same second as the one before:
  // keep the last second's text per thread instead of formatting it again.
  thread_local std::int64_t cached_second = std::numeric_limits<std::int64_t>::min();
  thread_local char cached[32];
  auto second = std::chrono::floor<std::chrono::seconds>(t);
  if (second.time_since_epoch().count() != cached_second) {
    auto day = std::chrono::floor<std::chrono::days>(t);
    std::chrono::year_month_day ymd(day);
    std::chrono::hh_mm_ss hms(second - day);
    std::snprintf(cached, sizeof cached, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    cached_second = second.time_since_epoch().count();
  }
  out += cached;
}

std::string FormatRfc3339(TimePoint t) {
  std::string out;
  AppendRfc3339(out, t);
  return out;
}

std::optional<TimePoint> ParseRfc3339(std::string_view text) {
  auto day = ReadDay(text);
  if (!day || text.size() < 20 || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  int hh = 0, mm = 0, ss = 0;
  if (!ReadInt(text, 11, 2, hh) || !ReadInt(text, 14, 2, mm) || !ReadInt(text, 17, 2, ss) ||
      hh > 23 || mm > 59 || ss > 59) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start || pos - start > 9) return std::nullopt;
    std::string frac(text.substr(start, pos - start));
    frac.resize(3, '0');
    millis = std::stoi(frac.substr(0, 3));
  }
  int offset_minutes = 0;
  if (pos == text.size()) return std::nullopt;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int oh = 0, om = 0;
    if (pos + 6 != text.size() || text[pos + 3] != ':' || !ReadInt(text, pos + 1, 2, oh) ||
        !ReadInt(text, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = (text[pos] == '+' ? 1 : -1) * (oh * 60 + om);
    pos += 6;
  }
  if (pos != text.size()) return std::nullopt;
  TimePoint t = std::chrono::time_point_cast<Millis>(*day) + std::chrono::hours(hh) +
                std::chrono::minutes(mm) + std::chrono::seconds(ss) + Millis(millis) -
                std::chrono::minutes(offset_minutes);
  return t;
}

std::int64_t DaysInclusive(TimePoint first, TimePoint last) {
  if (last < first) return 0;
  return std::chrono::duration_cast<std::chrono::days>(last - first).count() + 1;
}

std::optional<TimePoint> ParseDate(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  auto day = ReadDay(text);
  if (!day) return std::nullopt;
  return std::chrono::time_point_cast<Millis>(*day);
}

std::string FormatDate(TimePoint t) { return FormatRfc3339(t).substr(0, 10); }

TimePoint StartOfDay(TimePoint t) {
  return std::chrono::time_point_cast<Millis>(std::chrono::floor<std::chrono::days>(t));
}

}  // namespace evently::domain
