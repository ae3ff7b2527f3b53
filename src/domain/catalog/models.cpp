#include "domain/catalog/models.hpp"

#include <algorithm>

#include "domain/catalog/layout.hpp"

namespace evently::domain {

EventStatus StatusAt(TimePoint start, TimePoint end, const std::optional<TimePoint>& cancelled_at,
                     TimePoint now) {
  if (cancelled_at) return EventStatus::kCancelled;
  if (now < start) return EventStatus::kUpcoming;
  if (now < end) return EventStatus::kOngoing;
  return EventStatus::kCompleted;
}

std::optional<TimePoint> NextStatusChange(const Event& event, TimePoint now) {
  if (event.cancelled_at) return std::nullopt;
  if (now < event.start_time) return event.start_time;
  if (now < event.end_time) return event.end_time;
  return std::nullopt;
}

std::string_view StatusName(EventStatus status) {
  switch (status) {
    case EventStatus::kUpcoming:
      return "upcoming";
    case EventStatus::kOngoing:
      return "ongoing";
    case EventStatus::kCompleted:
      return "completed";
    case EventStatus::kCancelled:
      return "cancelled";
  }
  return "upcoming";
}

std::optional<EventStatus> ParseEventStatus(std::string_view name) {
  for (EventStatus status : kAllEventStatuses) {
    if (StatusName(status) == name) return status;
  }
  return std::nullopt;
}

std::int64_t AvailableSeats(const Event& event) {
  std::int64_t total = 0;
  for (const Section& section : event.sections) total += section.available;
  return total;
}

bool SaleStarted(const Event& event, TimePoint now) {
  return !event.sale_starts_at || *event.sale_starts_at <= now;
}

PriceRange PricesOf(const Event& event) {
  if (event.sections.empty()) return {};
  auto [lo, hi] = std::minmax_element(
      event.sections.begin(), event.sections.end(),
      [](const Section& a, const Section& b) { return a.layout.price < b.layout.price; });
  return {lo->layout.price, hi->layout.price};
}

std::string_view SeatStatusName(SeatStatus status) {
  switch (status) {
    case SeatStatus::kAvailable:
      return "available";
    case SeatStatus::kHeld:
      return "held";
    case SeatStatus::kBooked:
      return "booked";
  }
  return "available";
}

std::optional<SeatStatus> ParseSeatStatus(std::string_view name) {
  for (SeatStatus status : {SeatStatus::kAvailable, SeatStatus::kHeld, SeatStatus::kBooked}) {
    if (SeatStatusName(status) == name) return status;
  }
  return std::nullopt;
}

bool SeatMapQuery::Keeps(std::string_view section_name) const {
  return (!section || SameNameIgnoringCase(*section, section_name)) &&
         (!price_tier || SameNameIgnoringCase(*price_tier, section_name));
}

}  // namespace evently::domain
