// The catalogue: venues, events with their seat layout, and seat maps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/queue/queue.hpp"
#include "domain/time.hpp"

namespace evently::domain {

struct Venue {
  std::string id;
  std::string name;
  std::string address;
  std::string city;
  std::string state;
  std::string country;
  std::string postal_code;
  std::int64_t capacity = 0;
  std::string layout_config = "{}";  // a JSON object kept exactly as the admin sent it
  TimePoint created_at{};
  TimePoint updated_at{};
};

// What an admin may change on a venue; absent fields stay as they are.
struct VenueChanges {
  std::optional<std::string> name;
  std::optional<std::string> address;
  std::optional<std::string> city;
  std::optional<std::string> state;
  std::optional<std::string> country;
  std::optional<std::string> postal_code;
  std::optional<std::int64_t> capacity;
  std::optional<std::string> layout_config;
};

// A section of the seat layout as the admin describes it; its name is the price tier.
struct SectionLayout {
  std::string name;
  std::vector<std::string> rows;  // in the order they are shown
  std::int64_t seats_per_row = 0;
  std::int64_t price = 0;  // minor units
};

struct Section {
  std::int64_t position = 0;  // 1-based, layout order
  SectionLayout layout;
  std::int64_t seat_count = 0;
  std::int64_t available = 0;  // seats neither held nor booked
};

struct Event {
  std::string id;
  std::string venue_id;
  std::string name;
  std::string description;
  TimePoint start_time{};
  TimePoint end_time{};
  std::int64_t capacity = 0;
  std::string currency = "USD";
  std::optional<TimePoint> cancelled_at;
  std::optional<TimePoint> sale_starts_at;            // none: on sale from the moment it exists
  std::optional<std::int64_t> max_tickets_per_user;  // none: no limit
  std::optional<QueueSettings> queue;                // none: no waiting room
  std::int64_t seat_version = 0;
  TimePoint created_at{};
  TimePoint updated_at{};
  std::vector<Section> sections;
};

enum class EventStatus { kUpcoming, kOngoing, kCompleted, kCancelled };

inline constexpr EventStatus kAllEventStatuses[] = {EventStatus::kUpcoming, EventStatus::kOngoing,
                                                    EventStatus::kCompleted,
                                                    EventStatus::kCancelled};

// Status is never stored: it follows from the clock and the cancellation.
EventStatus StatusAt(TimePoint start, TimePoint end, const std::optional<TimePoint>& cancelled_at,
                     TimePoint now);
inline EventStatus StatusAt(const Event& event, TimePoint now) {
  return StatusAt(event.start_time, event.end_time, event.cancelled_at, now);
}
// When the status computed at `now` next changes by the clock (start or end), if it will.
std::optional<TimePoint> NextStatusChange(const Event& event, TimePoint now);
std::string_view StatusName(EventStatus status);
std::optional<EventStatus> ParseEventStatus(std::string_view name);

struct PriceRange {
  std::int64_t min = 0;
  std::int64_t max = 0;
};

std::int64_t AvailableSeats(const Event& event);
// Whether the sale has started at `now` (no sale start: it always has).
bool SaleStarted(const Event& event, TimePoint now);
PriceRange PricesOf(const Event& event);

// A new event as the admin describes it.
struct NewEvent {
  std::optional<std::string> id;  // fixed ids are for demo data; normally generated
  std::string venue_id;
  std::string name;
  std::string description;
  TimePoint start_time{};
  TimePoint end_time{};
  std::optional<std::int64_t> capacity;  // defaults to the number of seats
  std::string currency = "USD";
  std::optional<TimePoint> sale_starts_at;
  std::optional<std::int64_t> max_tickets_per_user;
  std::optional<QueueSettings> queue;
  std::vector<SectionLayout> sections;
};

// What an admin may change on an event; absent fields stay as they are.
struct EventChanges {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<TimePoint> start_time;
  std::optional<TimePoint> end_time;
  std::optional<std::int64_t> capacity;
  std::vector<std::pair<std::string, std::int64_t>> prices;  // section name -> new price
  std::optional<std::vector<SectionLayout>> layout;          // replaces every section and seat
  // Present: set to the inner value (nullopt clears it). Only until the sale starts.
  std::optional<std::optional<TimePoint>> sale_starts_at;
  std::optional<std::optional<std::int64_t>> max_tickets_per_user;
  std::optional<std::optional<QueueSettings>> queue;
};

struct VenueSummary {
  std::string id;
  std::string name;
  std::string city;
  std::int64_t capacity = 0;
};

// One row of the public event listing (sections are summarized, not listed).
struct EventListing {
  Event event;
  VenueSummary venue;
  std::int64_t available_seats = 0;
  PriceRange prices;
};

struct EventDetails {
  Event event;  // with its sections
  Venue venue;
};

struct EventQuery {
  std::vector<EventStatus> statuses;  // empty: upcoming and ongoing
  std::optional<std::string> venue_id;
  std::optional<TimePoint> start_date;  // inclusive UTC day of start_time
  std::optional<TimePoint> end_date;    // inclusive UTC day of start_time
  std::optional<std::string> search;    // case-insensitive substring of name or description
};

// The store's view of the same query: instants and a folded search text.
struct EventFilter {
  TimePoint now{};
  bool upcoming = false;
  bool ongoing = false;
  bool completed = false;
  bool cancelled = false;
  std::optional<std::string> venue_id;
  std::optional<TimePoint> starts_from;    // inclusive
  std::optional<TimePoint> starts_before;  // exclusive
  std::optional<std::string> search_folded;
};

enum class SeatStatus { kAvailable, kHeld, kBooked };

std::string_view SeatStatusName(SeatStatus status);
std::optional<SeatStatus> ParseSeatStatus(std::string_view name);

struct SeatMapQuery {
  std::optional<std::string> section;
  std::optional<std::string> price_tier;                      // a section's name is its price tier
  std::optional<SeatStatus> status = SeatStatus::kAvailable;  // nullopt: every status

  // Whether the section/tier filters keep this section (names compare ignoring case).
  bool Keeps(std::string_view section_name) const;
};

struct SeatMapSeat {
  std::string id;
  std::int64_t number = 0;
  SeatStatus status = SeatStatus::kAvailable;
};

struct SeatMapRow {
  std::string label;
  std::vector<SeatMapSeat> seats;  // by number
};

struct SeatMapSection {
  std::string name;
  std::int64_t price = 0;
  std::vector<SeatMapRow> rows;  // configured order; rows without a matching seat are left out
};

struct SeatMap {
  std::string event_id;
  std::int64_t seat_version = 0;         // the version the seats were read at
  std::vector<SeatMapSection> sections;  // layout order, those the section/tier filters keep
  std::vector<std::pair<std::string, std::int64_t>> available_by_tier;  // whole event
  std::int64_t total_available = 0;
};

}  // namespace evently::domain
