#include "storage/availability_store.hpp"

namespace evently::storage {
namespace {

constexpr Statement kAvailability{
    "availability_by_tier",
    "SELECT e.seat_version, s.name, s.available FROM events e "
    "LEFT JOIN event_sections s ON s.event_id = e.id WHERE e.id = $1 ORDER BY s.position"};

}  // namespace

std::optional<domain::SeatAvailability> AvailabilityStore::Read(const std::string& event_id) {
  std::optional<domain::SeatAvailability> out;
  db_.Read([&](Connection& conn) {
    out.reset();
    Rows rows = conn.Exec(kAvailability, {event_id});
    if (rows.empty()) return;
    domain::SeatAvailability a;
    a.event_id = event_id;
    a.seat_version = rows.Int(0, 0);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (rows.IsNull(r, 1)) continue;
      a.by_tier.emplace_back(rows.Text(r, 1), rows.Int(r, 2));
      a.available_seats += rows.Int(r, 2);
    }
    out = std::move(a);
  });
  return out;
}

}  // namespace evently::storage
