#include "storage/invariants.hpp"

namespace evently::storage {
namespace {

constexpr Statement kSeatCounts{
    "inv_seat_counts",
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'available' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN status = 'held' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN status = 'booked' THEN 1 ELSE 0 END), 0) "
    "FROM seats WHERE event_id = $1"};
constexpr Statement kCapacity{"inv_capacity",
                              "SELECT capacity, max_tickets_per_user FROM events WHERE id = $1"};
constexpr Statement kMaxSeatsPerUser{
    "inv_max_seats_per_user",
    "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM booking_seats bs "
    "JOIN bookings b ON b.id = bs.booking_id WHERE bs.event_id = $1 "
    "AND b.status IN ('pending', 'confirmed') GROUP BY b.user_id) AS per_user"};
constexpr Statement kSectionAvailable{
    "inv_section_available",
    "SELECT COALESCE(SUM(available), 0) FROM event_sections WHERE event_id = $1"};
constexpr Statement kDoubleBooked{
    "inv_double_booked",
    "SELECT bs.seat_id FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id "
    "WHERE bs.event_id = $1 AND b.status IN ('pending', 'confirmed') "
    "GROUP BY bs.seat_id HAVING COUNT(*) > 1"};
constexpr Statement kInconsistentSeats{
    "inv_inconsistent_seats",
    "SELECT s.id FROM seats s LEFT JOIN bookings b ON b.id = s.booking_id WHERE s.event_id = $1 "
    "AND NOT ((s.status = 'available' AND s.booking_id IS NULL) "
    "OR (s.status = 'held' AND b.status = 'pending') "
    "OR (s.status = 'held' AND s.booking_id IS NULL AND EXISTS (SELECT 1 FROM waitlist_entries w "
    "WHERE w.id = s.offer_id AND w.event_id = s.event_id AND w.status = 'offered')) "
    "OR (s.status = 'booked' AND b.status = 'confirmed'))"};
// An offer's seats are held for it alone: no other seat carries its id, and no offer is empty.
constexpr Statement kStrayOfferSeats{
    "inv_stray_offer_seats",
    "SELECT id FROM seats WHERE event_id = $1 AND offer_id IS NOT NULL "
    "AND NOT (status = 'held' AND booking_id IS NULL)"};
constexpr Statement kEmptyOffers{
    "inv_empty_offers",
    "SELECT w.id FROM waitlist_entries w WHERE w.event_id = $1 AND w.status = 'offered' "
    "AND NOT EXISTS (SELECT 1 FROM seats s WHERE s.event_id = w.event_id AND s.offer_id = w.id)"};
constexpr Statement kLiveSeatsNotPointingBack{
    "inv_live_seats_pointing_back",
    "SELECT bs.seat_id FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id "
    "JOIN seats s ON s.id = bs.seat_id WHERE bs.event_id = $1 "
    "AND b.status IN ('pending', 'confirmed') AND (s.booking_id IS NULL OR s.booking_id <> b.id)"};
constexpr Statement kConfirmedNotPaidOnce{
    "inv_confirmed_paid_once",
    "SELECT b.id FROM bookings b WHERE b.event_id = $1 AND b.status = 'confirmed' AND "
    "(SELECT COUNT(*) FROM payments p WHERE p.booking_id = b.id AND p.status = 'succeeded' "
    "AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id)) <> "
    "CASE WHEN b.total_amount > 0 THEN 1 ELSE 0 END"};
constexpr Statement kMoneyKept{
    "inv_money_kept",
    "SELECT b.id FROM bookings b JOIN payments p ON p.booking_id = b.id "
    "WHERE b.event_id = $1 AND b.status <> 'confirmed' AND p.status IN ('succeeded', 'refunded') "
    "AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id)"};

constexpr Statement kSaleStart{"queue_record_sale_start",
                               "SELECT sale_starts_at FROM events WHERE id = $1"};
constexpr Statement kQueueTickets{
    "queue_record_tickets",
    "SELECT id, joined_at, admitted_at FROM queue_tickets WHERE event_id = $1 "
    "ORDER BY joined_at, id"};

void Collect(Connection& conn, const Statement& statement, const std::string& event_id,
             const std::string& what, std::vector<std::string>& out) {
  Rows rows = conn.Exec(statement, {event_id});
  for (std::size_t r = 0; r < rows.size(); ++r) out.push_back(what + ": " + rows.Text(r, 0));
}

}  // namespace

InvariantReport CheckBookingInvariants(Database& db, const std::string& event_id) {
  InvariantReport report;
  db.Read([&](Connection& conn) {
    report.violations.clear();
    Rows counts = conn.Exec(kSeatCounts, {event_id});
    std::int64_t seats = counts.Int(0, 0);
    report.available = counts.Int(0, 1);
    report.held = counts.Int(0, 2);
    report.booked = counts.Int(0, 3);
    Rows capacity = conn.Exec(kCapacity, {event_id});
    report.capacity = capacity.empty() ? 0 : capacity.Int(0, 0);
    report.per_user_limit = capacity.empty() ? 0 : capacity.OptInt(0, 1).value_or(0);
    report.max_seats_per_user = conn.Exec(kMaxSeatsPerUser, {event_id}).Int(0, 0);
    if (report.available + report.held + report.booked != report.capacity ||
        seats != report.capacity) {
      report.violations.push_back("booked + held + available != capacity");
    }
    std::int64_t counted = conn.Exec(kSectionAvailable, {event_id}).Int(0, 0);
    if (counted != report.available) {
      report.violations.push_back("section availability " + std::to_string(counted) +
                                  " != available seats " + std::to_string(report.available));
    }
    Collect(conn, kDoubleBooked, event_id, "seat in several live bookings", report.violations);
    Collect(conn, kInconsistentSeats, event_id, "seat status disagrees with its booking",
            report.violations);
    Collect(conn, kStrayOfferSeats, event_id, "seat carries an offer it is not held for",
            report.violations);
    Collect(conn, kEmptyOffers, event_id, "waitlist offer without seats", report.violations);
    Collect(conn, kLiveSeatsNotPointingBack, event_id, "live booking lost its seat",
            report.violations);
    Collect(conn, kConfirmedNotPaidOnce, event_id, "confirmed booking not paid exactly once",
            report.violations);
    Collect(conn, kMoneyKept, event_id, "money kept for a booking that is not confirmed",
            report.violations);
  });
  return report;
}

QueueRecord ReadQueueRecord(Database& db, const std::string& event_id) {
  QueueRecord record;
  db.Read([&](Connection& conn) {
    record = {};
    Rows sale = conn.Exec(kSaleStart, {event_id});
    if (!sale.empty()) record.sale_starts_at_ms = sale.OptInt(0, 0);
    Rows rows = conn.Exec(kQueueTickets, {event_id});
    record.tickets.reserve(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      record.tickets.push_back({rows.Text(r, 0), rows.Int(r, 1), rows.OptInt(r, 2)});
    }
  });
  return record;
}

}  // namespace evently::storage
