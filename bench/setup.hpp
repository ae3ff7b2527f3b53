// Setting the stage through the public API: admin login, a venue and an event, many buyers.
#pragma once

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/ids.hpp"
#include "domain/time.hpp"
#include "http_client.hpp"
#include "storage/invariants.hpp"

namespace evently::bench {

namespace json = boost::json;

struct Tier {
  std::string name;
  int rows;
  int seats_per_row;
  double price;
};

// `seats` (a multiple of 100) in rows of 100 over four tiers, a tenth VIP, a fifth Premium,
// three tenths Standard and the rest General (10,000 seats: the flash sale's 10/20/30/40 rows).
inline std::vector<Tier> FourTiers(int seats) {
  int rows = seats / 100;
  int vip = rows / 10, premium = rows / 5, standard = rows * 3 / 10;
  std::vector<Tier> tiers;
  for (Tier t : {Tier{"VIP", vip, 100, 500.0}, Tier{"Premium", premium, 100, 200.0},
                 Tier{"Standard", standard, 100, 100.0},
                 Tier{"General", rows - vip - premium - standard, 100, 50.0}}) {
    if (t.rows > 0) tiers.push_back(t);
  }
  return tiers;
}

inline asio::awaitable<std::string> Login(HttpClient& c, const std::string& email,
                                          const std::string& password) {
  json::object body{{"email", email}, {"password", password}};
  Reply r = co_await c.Send(http::verb::post, "/api/v1/auth/login", json::serialize(body));
  if (r.status != 200) throw std::runtime_error("login failed for " + email + ": " + r.body);
  co_return std::string(json::parse(r.body).at("data").at("access_token").as_string());
}

// Creates a venue and an event a month ahead, with `terms` added to the event's body (sale start,
// per-user limit, queue); returns the event id.
inline asio::awaitable<std::string> CreateEvent(HttpClient& admin, const std::string& token,
                                                const std::string& name,
                                                const std::vector<Tier>& tiers,
                                                json::object terms = {}) {
  json::object venue{{"name", name + " Arena"}, {"address", "1 Load Street"},
                     {"city", "Loopback"},      {"state", "LB"},
                     {"country", "NA"},         {"postal_code", "00000"},
                     {"capacity", 1000000}};
  Reply v =
      co_await admin.Send(http::verb::post, "/api/v1/admin/venues", json::serialize(venue), token);
  if (v.status != 201) throw std::runtime_error("venue: " + v.body);
  json::array sections;
  for (const auto& tier : tiers) {
    json::array rows;
    for (int r = 1; r <= tier.rows; ++r) rows.push_back(json::string("R" + std::to_string(r)));
    sections.push_back(json::object{{"name", tier.name},
                                    {"rows", rows},
                                    {"seats_per_row", tier.seats_per_row},
                                    {"price", tier.price}});
  }
  auto start = domain::SystemClock().Now() + std::chrono::hours(24 * 30);
  json::object event{{"name", name},
                     {"description", "benchmark event"},
                     {"venue_id", json::parse(v.body).at("data").at("id")},
                     {"start_time", domain::FormatRfc3339(start)},
                     {"end_time", domain::FormatRfc3339(start + std::chrono::hours(4))},
                     {"seat_configuration", json::object{{"sections", sections}}}};
  for (auto& [key, value] : terms) event[key] = std::move(value);
  Reply e =
      co_await admin.Send(http::verb::post, "/api/v1/admin/events", json::serialize(event), token);
  if (e.status != 201) throw std::runtime_error("event: " + e.body);
  co_return std::string(json::parse(e.body).at("data").at("id").as_string());
}

inline constexpr std::string_view kBuyerPassword = "BenchPass123";

// Registers `count` buyers over `parallel` connections; returns their access tokens (and, into
// `emails` when given, their emails: they log in with kBuyerPassword).
inline asio::awaitable<std::vector<std::string>> RegisterBuyers(
    asio::ip::tcp::endpoint endpoint, int count, int parallel, const std::string& label,
    std::vector<std::string>* emails = nullptr) {
  auto ex = co_await asio::this_coro::executor;
  std::vector<std::string> tokens(static_cast<std::size_t>(count));
  if (emails != nullptr) emails->assign(static_cast<std::size_t>(count), {});
  int next = 0, done = 0;
  std::string failure;
  for (int w = 0; w < parallel; ++w) {
    asio::co_spawn(
        ex,
        [&]() -> asio::awaitable<void> {
          HttpClient c(ex, endpoint);
          while (next < count && failure.empty()) {
            int u = next++;
            std::string email =
                label + "-" + domain::RandomHex(4) + "-" + std::to_string(u) + "@bench.example.com";
            json::object body{{"email", email},
                              {"password", kBuyerPassword},
                              {"full_name", "Bench User " + std::to_string(u)}};
            Reply r =
                co_await c.Send(http::verb::post, "/api/v1/auth/register", json::serialize(body));
            if (r.status != 201) {
              failure = "register: " + r.body;
              break;
            }
            tokens[static_cast<std::size_t>(u)] =
                std::string(json::parse(r.body).at("data").at("access_token").as_string());
            if (emails != nullptr) (*emails)[static_cast<std::size_t>(u)] = std::move(email);
          }
          ++done;
        },
        asio::detached);
  }
  asio::steady_timer timer(ex);
  while (done < parallel) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (!failure.empty()) throw std::runtime_error(failure);
  co_return tokens;
}

// The seat ids of a seat map answer (GET /events/{id}/seats), in the map's order.
inline std::vector<std::string> SeatIdsOf(const std::string& body) {
  std::vector<std::string> ids;
  json::value map = json::parse(body);  // named: a temporary would die before the loops run
  for (const auto& section : map.at("data").at("sections").as_array()) {
    for (const auto& row : section.at("rows").as_array()) {
      for (const auto& seat : row.at("seats").as_array()) {
        ids.emplace_back(seat.at("id").as_string());
      }
    }
  }
  return ids;
}

// The seats this generator believes free, with O(1) removal.

class FreeSeats {
 public:
  void Add(const std::string& id) {
    index_[id] = ids_.size();
    ids_.push_back(id);
  }
  void Remove(const std::string& id) {
    auto it = index_.find(id);
    if (it == index_.end()) return;
    std::size_t i = it->second;
    index_[ids_.back()] = i;
    std::swap(ids_[i], ids_.back());
    ids_.pop_back();
    index_.erase(id);
  }
  std::vector<std::string> Pick(std::mt19937& rng, std::size_t n) const {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < n && k < ids_.size() * 4; ++k) {
      const std::string& id = ids_[rng() % ids_.size()];
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
      if (out.size() == n) break;
    }
    return out;
  }
  std::size_t size() const { return ids_.size(); }

 private:
  std::vector<std::string> ids_;
  std::unordered_map<std::string, std::size_t> index_;
};

// Every seat of the event's map into `free`; returns how many.
inline asio::awaitable<long> LoadFreeSeats(HttpClient& c, const std::string& event_id,
                                           FreeSeats& free) {
  Reply r = co_await c.Send(http::verb::get, "/api/v1/events/" + event_id + "/seats?status=all");
  if (r.status != 200) throw std::runtime_error("seat map: " + std::to_string(r.status));
  long count = 0;
  for (auto& id : SeatIdsOf(r.body)) {
    free.Add(id);
    ++count;
  }
  co_return count;
}

// Runs `task` on `io` until it ends; false, with the error printed, when it threw.
inline bool RunToEnd(asio::io_context& io, asio::awaitable<void> task, const char* name) {
  bool failed = false;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr e) {
    if (e) {
      failed = true;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        std::cerr << name << ": " << ex.what() << "\n";
      }
    }
    io.stop();
  });
  io.run();
  return !failed;
}

// The store's invariants after a run: one line, its label padded to `width`, and one per
// violation.
inline void PrintInvariants(const storage::InvariantReport& inv, int width) {
  std::printf("  %-*s booked %lld + held %lld + available %lld = capacity %lld: %s\n", width,
              "invariants", static_cast<long long>(inv.booked), static_cast<long long>(inv.held),
              static_cast<long long>(inv.available), static_cast<long long>(inv.capacity),
              inv.ok() ? "OK" : "VIOLATED");
  for (const auto& v : inv.violations) std::printf("    violation: %s\n", v.c_str());
}

inline double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1))];
}

}  // namespace evently::bench
