// Builds a small world for booking tests straight in the store: users, a venue, an event with
// sections and seats. (The catalogue has its own API; these tests exercise the booking engine.)
#pragma once

#include <string>
#include <vector>

#include "domain/ids.hpp"
#include "storage/sql.hpp"

namespace evently::testing {

struct SeatSection {
  std::string name;
  int rows;
  int seats_per_row;
  std::int64_t price;  // minor units
};

struct TestEvent {
  std::string id;
  std::vector<std::string> seat_ids;  // in layout order
  std::int64_t capacity = 0;
};

inline std::string CreateUser(storage::Database& db, const std::string& email) {
  static constexpr storage::Statement kInsertUser{
      "fixture_user",
      "INSERT INTO users (id, email, password_hash, full_name, role, created_at, updated_at) "
      "VALUES ($1, $2, 'x', 'Fixture User', 'user', 1, 1)"};
  std::string id = domain::NewUuidV7(domain::SystemClock().Now());
  db.Write([&](storage::Connection& c) { c.Exec(kInsertUser, {id, email}); });
  return id;
}

inline TestEvent CreateEvent(storage::Database& db, const std::vector<SeatSection>& sections,
                             domain::TimePoint start) {
  static constexpr storage::Statement kVenue{"fixture_venue",
                                             "INSERT INTO venues (id, name, capacity, created_at, "
                                             "updated_at) VALUES ($1, 'Hall', 100000, 1, 1)"};
  static constexpr storage::Statement kEvent{
      "fixture_event",
      "INSERT INTO events (id, venue_id, name, start_time, end_time, capacity, created_at, "
      "updated_at) VALUES ($1, $2, 'Fixture Night', $3, $4, $5, 1, 1)"};
  static constexpr storage::Statement kSection{
      "fixture_section",
      "INSERT INTO event_sections (event_id, position, name, price, rows_json, seats_per_row, "
      "seat_count, available) VALUES ($1, $2, $3, $4, '[]', $5, $6, $6)"};
  static constexpr storage::Statement kSeat{
      "fixture_seat",
      "INSERT INTO seats (id, event_id, section_position, row_position, row_label, seat_number) "
      "VALUES ($1, $2, $3, $4, $5, $6)"};
  auto now = domain::SystemClock().Now();
  TestEvent event;
  event.id = domain::NewUuidV7(now);
  std::string venue = domain::NewUuidV7(now);
  for (const auto& s : sections) event.capacity += s.rows * s.seats_per_row;
  db.Write([&](storage::Connection& c) {
    event.seat_ids.clear();
    c.Exec(kVenue, {venue});
    c.Exec(kEvent, {event.id, venue, domain::ToEpochMillis(start),
                    domain::ToEpochMillis(start + std::chrono::hours(3)), event.capacity});
    for (std::size_t p = 0; p < sections.size(); ++p) {
      const auto& s = sections[p];
      c.Exec(kSection, {event.id, std::int64_t(p), s.name, s.price, std::int64_t{s.seats_per_row},
                        std::int64_t{s.rows * s.seats_per_row}});
      for (int r = 0; r < s.rows; ++r) {
        for (int n = 1; n <= s.seats_per_row; ++n) {
          std::string seat = domain::NewUuidV7(now);
          c.Exec(kSeat, {seat, event.id, std::int64_t(p), std::int64_t{r},
                         std::string(1, static_cast<char>('A' + r)), std::int64_t{n}});
          event.seat_ids.push_back(seat);
        }
      }
    }
  });
  return event;
}

}  // namespace evently::testing
