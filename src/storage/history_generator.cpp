#include "storage/history_generator.hpp"

#include <array>
#include <chrono>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "domain/booking/booking.hpp"
#include "domain/ids.hpp"
#include "storage/activity_rollup.hpp"

namespace evently::storage {
namespace {

constexpr int kRowsPerStatement = 1000;
constexpr const char* kTiers[] = {"VIP", "Premium", "Standard", "General"};
constexpr std::int64_t kPrices[] = {50000, 20000, 10000, 5000};

// Collects rows of one INSERT and flushes them as multi-row statements; the last partial one
// only on an explicit Flush() (never from a destructor, which may run during a rollback).
class BulkInsert {
 public:
  // `tail` follows the values (an ON CONFLICT clause).
  BulkInsert(Connection& conn, std::string head, std::string tail = {})
      : conn_(conn), head_(std::move(head)), tail_(std::move(tail)) {}
  void Row(const std::string& values) {
    body_ += (rows_ ? ",(" : "(") + values + ")";
    if (++rows_ == kRowsPerStatement) Flush();
  }
  void Flush() {
    if (rows_ == 0) return;
    conn_.ExecScript(head_ + " VALUES " + body_ + tail_);
    body_.clear();
    rows_ = 0;
  }

 private:
  Connection& conn_;
  std::string head_;
  std::string tail_;
  std::string body_;
  int rows_ = 0;
};

std::string Q(const std::string& text) { return "'" + text + "'"; }

struct DayKey {
  std::string day;
  std::string event;
  bool operator<(const DayKey& o) const { return std::tie(day, event) < std::tie(o.day, o.event); }
};

}  // namespace

HistorySummary GenerateHistory(Database& db, const HistoryOptions& options) {
  auto started = std::chrono::steady_clock::now();
  std::mt19937_64 rng(options.seed);
  HistorySummary summary;
  std::int64_t per_event = (options.bookings + options.events - 1) / options.events;
  std::int64_t rows_per_tier = (per_event + 399) / 400;  // 4 tiers x 100 seats a row
  std::int64_t seats_per_event = rows_per_tier * 400;
  std::string venue = domain::NewUuidV7(options.until);
  std::vector<std::string> events;
  std::vector<std::vector<std::string>> seats(static_cast<std::size_t>(options.events));
  auto now_ms = domain::ToEpochMillis(options.until);
  auto start_ms = now_ms + 86'400'000LL * 30;

  std::string user = domain::NewUuidV7(options.until);
  db.Write([&](Connection& conn) {
    conn.ExecScript(
        "INSERT INTO users (id, email, password_hash, full_name, created_at, "
        "updated_at) VALUES (" +
        Q(user) + ", 'history-" + user + "@example.com', 'x', 'History Buyer', 0, 0)");
    conn.ExecScript("INSERT INTO venues (id, name, capacity, created_at, updated_at) VALUES (" +
                    Q(venue) + ", 'History Hall', 10000000, 0, 0)");
    BulkInsert event_rows(conn,
                          "INSERT INTO events (id, venue_id, name, start_time, end_time, "
                          "capacity, created_at, updated_at)");
    BulkInsert section_rows(conn,
                            "INSERT INTO event_sections (event_id, position, name, price, "
                            "rows_json, seats_per_row, seat_count, available)");
    events.clear();
    for (int e = 0; e < options.events; ++e) {
      std::string id = domain::NewUuidV7(options.until);
      events.push_back(id);
      event_rows.Row(Q(id) + "," + Q(venue) + ",'History " + std::to_string(e) + "'," +
                     std::to_string(start_ms) + "," + std::to_string(start_ms + 3'600'000) + "," +
                     std::to_string(seats_per_event) + ",0,0");
    }
    event_rows.Flush();
    for (const std::string& id : events) {
      for (int t = 0; t < 4; ++t) {
        section_rows.Row(Q(id) + "," + std::to_string(t) + "," + Q(kTiers[t]) + "," +
                         std::to_string(kPrices[t]) + ",'[]',100," +
                         std::to_string(rows_per_tier * 100) + "," +
                         std::to_string(rows_per_tier * 100));
      }
    }
    section_rows.Flush();
  });

  std::map<DayKey, std::array<std::int64_t, 7>> day_stats;                   // holds..refunds
  std::map<std::pair<DayKey, int>, std::array<std::int64_t, 2>> tier_stats;  // seats, revenue
  std::vector<std::array<std::int64_t, 4>> sold(static_cast<std::size_t>(options.events));
  // Codes of each generated history start at their own base, so several runs never collide.
  std::int64_t code = static_cast<std::int64_t>(options.seed) * 10'000'000;
  for (int e = 0; e < options.events; ++e) {
    db.Write([&](Connection& conn) {
      BulkInsert seat_rows(conn,
                           "INSERT INTO seats (id, event_id, section_position, row_position, "
                           "row_label, seat_number, status, booking_id)");
      BulkInsert booking_rows(conn,
                              "INSERT INTO bookings (id, event_id, user_id, booking_code, status, "
                              "total_amount, currency, expires_at, created_at, updated_at, "
                              "confirmed_at)");
      // Rows that reference bookings and seats wait until those are all written.
      std::vector<std::string> booking_seat_values, payment_values;
      const std::string& event = events[static_cast<std::size_t>(e)];
      std::int64_t count = std::min(per_event, options.bookings - summary.bookings);
      for (std::int64_t s = 0; s < seats_per_event; ++s) {
        int tier = static_cast<int>(s / (rows_per_tier * 100));
        std::int64_t in_tier = s % (rows_per_tier * 100);
        std::string seat = domain::NewUuidV7(options.until);
        std::string booking;
        std::string status = "available";
        std::string booking_ref = "NULL";
        if (s < count) {
          booking = domain::NewUuidV7(options.until);
          auto roll = rng() % 100;
          std::string state = roll < 85 ? "confirmed" : roll < 95 ? "cancelled" : "expired";
          // Strictly before today, so history never collides with today's live booking codes.
          std::int64_t at = now_ms - 86'400'000 -
                            static_cast<std::int64_t>(rng() % (86'400'000ULL * options.days));
          DayKey key{domain::FormatDate(domain::FromEpochMillis(at)), event};
          auto& stats = day_stats[key];
          ++stats[0];
          if (state == "confirmed") {
            status = "booked";
            booking_ref = Q(booking);
            ++stats[1];
            stats[5] += kPrices[tier];
            auto& ts = tier_stats[{key, tier}];
            ++ts[0];
            ts[1] += kPrices[tier];
            ++sold[static_cast<std::size_t>(e)][static_cast<std::size_t>(tier)];
            payment_values.push_back(Q(domain::NewUuidV7(options.until)) + "," + Q(booking) + "," +
                                     Q(event) + "," + std::to_string(kPrices[tier]) +
                                     ",'USD','credit_card','succeeded','ch_history'," +
                                     std::to_string(at));
          } else {
            ++stats[state == "cancelled" ? 3 : 4];
          }
          std::string booking_code = domain::FormatBookingCode(domain::FromEpochMillis(at), ++code);
          booking_rows.Row(Q(booking) + "," + Q(event) + "," + Q(user) + "," + Q(booking_code) +
                           "," + Q(state) + "," + std::to_string(kPrices[tier]) + ",'USD'," +
                           std::to_string(at + 300000) + "," + std::to_string(at) + "," +
                           std::to_string(at) + "," +
                           (state == "confirmed" ? std::to_string(at) : std::string("NULL")));
          ++summary.bookings;
        }
        std::string row = "R" + std::to_string(in_tier / 100 + 1);
        seat_rows.Row(Q(seat) + "," + Q(event) + "," + std::to_string(tier) + "," +
                      std::to_string(in_tier / 100) + "," + Q(row) + "," +
                      std::to_string(in_tier % 100 + 1) + "," + Q(status) + "," + booking_ref);
        if (!booking.empty()) {
          booking_seat_values.push_back(
              Q(booking) + "," + Q(event) + "," + Q(seat) + "," + Q(kTiers[tier]) + "," + Q(row) +
              "," + std::to_string(in_tier % 100 + 1) + "," + std::to_string(kPrices[tier]));
        }
        ++summary.seats;
      }
      seat_rows.Flush();
      booking_rows.Flush();
      BulkInsert booking_seat_rows(conn,
                                   "INSERT INTO booking_seats (booking_id, event_id, seat_id, "
                                   "section_name, row_label, seat_number, price)");
      for (const auto& values : booking_seat_values) booking_seat_rows.Row(values);
      BulkInsert payment_rows(conn,
                              "INSERT INTO payments (id, booking_id, event_id, amount, currency, "
                              "method, status, gateway_reference, created_at)");
      for (const auto& values : payment_values) payment_rows.Row(values);
      booking_seat_rows.Flush();
      payment_rows.Flush();
    });
  }
  // The all-time and global roll-ups of migration 0007, folded from the per-(day, event) ones.
  std::map<std::string, std::array<std::int64_t, 7>> event_totals;
  std::map<std::pair<std::string, std::int64_t>, std::array<std::int64_t, 7>> global_days;
  std::map<std::tuple<std::string, int, std::int64_t>, std::array<std::int64_t, 2>> categories;
  for (const auto& [key, s] : day_stats) {
    auto& total = event_totals[key.event];
    auto& global = global_days[{key.day, RollupShard(key.event)}];
    for (std::size_t i = 0; i < s.size(); ++i) {
      total[i] += s[i];
      global[i] += s[i];
    }
  }
  for (const auto& [key, s] : tier_stats) {
    auto& category = categories[{key.first.day, key.second, RollupShard(key.first.event)}];
    category[0] += s[0];
    category[1] += s[1];
  }
  auto counts = [](const std::array<std::int64_t, 7>& s) {
    return std::to_string(s[0]) + "," + std::to_string(s[1]) + ",0," + std::to_string(s[3]) + "," +
           std::to_string(s[4]) + "," + std::to_string(s[5]) + ",0";
  };
  db.Write([&](Connection& conn) {
    BulkInsert days(conn,
                    "INSERT INTO daily_event_stats (day, event_id, holds, confirmations, "
                    "cancellations, abandoned, expirations, revenue, refunds)");
    for (const auto& [key, s] : day_stats)
      days.Row(Q(key.day) + "," + Q(key.event) + "," + counts(s));
    days.Flush();
    BulkInsert totals(conn,
                      "INSERT INTO event_stats (event_id, holds, confirmations, cancellations, "
                      "abandoned, expirations, revenue, refunds)");
    for (const auto& [event, s] : event_totals) totals.Row(Q(event) + "," + counts(s));
    totals.Flush();
    // Earlier histories (and live bookings) may already have rows for these days and shards.
    BulkInsert global(conn,
                      "INSERT INTO daily_stats (day, shard, holds, confirmations, cancellations, "
                      "abandoned, expirations, revenue, refunds)",
                      " ON CONFLICT (day, shard) DO UPDATE SET "
                      "holds = daily_stats.holds + excluded.holds, "
                      "confirmations = daily_stats.confirmations + excluded.confirmations, "
                      "abandoned = daily_stats.abandoned + excluded.abandoned, "
                      "expirations = daily_stats.expirations + excluded.expirations, "
                      "revenue = daily_stats.revenue + excluded.revenue");
    for (const auto& [key, s] : global_days) {
      global.Row(Q(key.first) + "," + std::to_string(key.second) + "," + counts(s));
    }
    global.Flush();
    BulkInsert tiers(conn,
                     "INSERT INTO daily_tier_stats (day, event_id, tier, seats_sold, "
                     "seats_refunded, revenue, refunds)");
    for (const auto& [key, s] : tier_stats) {
      tiers.Row(Q(key.first.day) + "," + Q(key.first.event) + "," + Q(kTiers[key.second]) + "," +
                std::to_string(s[0]) + ",0," + std::to_string(s[1]) + ",0");
    }
    tiers.Flush();
    BulkInsert category_rows(conn,
                             "INSERT INTO daily_category_stats (day, tier, shard, seats_sold, "
                             "seats_refunded, revenue, refunds)",
                             " ON CONFLICT (day, tier, shard) DO UPDATE SET "
                             "seats_sold = daily_category_stats.seats_sold + excluded.seats_sold, "
                             "revenue = daily_category_stats.revenue + excluded.revenue");
    for (const auto& [key, s] : categories) {
      const auto& [day, tier, shard] = key;
      category_rows.Row(Q(day) + "," + Q(kTiers[tier]) + "," + std::to_string(shard) + "," +
                        std::to_string(s[0]) + ",0," + std::to_string(s[1]) + ",0");
    }
    category_rows.Flush();
    for (int e = 0; e < options.events; ++e) {
      for (int t = 0; t < 4; ++t) {
        std::int64_t n = sold[static_cast<std::size_t>(e)][static_cast<std::size_t>(t)];
        conn.ExecScript("UPDATE event_sections SET sold = " + std::to_string(n) +
                        ", available = seat_count - " + std::to_string(n) +
                        " WHERE event_id = " + Q(events[static_cast<std::size_t>(e)]) +
                        " AND position = " + std::to_string(t));
      }
    }
  });
  // Statistics for the new rows now, as autovacuum would do a little later: queries planned on
  // the empty tables' estimates would measure the planner, not the store.
  if (db.dialect() == Dialect::kPostgres) {
    db.Write([](Connection& conn) { conn.ExecScript("ANALYZE"); });
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace evently::storage
