// BENCH.md scenario 7, "soak": minutes of mixed load on one running server — shoppers who
// browse (events list, event detail, seat maps, revalidated with If-None-Match), hold, confirm
// with the sandbox card, cancel or walk away, join and leave a sold-out event's waitlist, and
// WebSocket subscribers to seat maps that reconnect now and then. Each minute prints requests and
// failures by kind and status, latency per kind and the server's RSS, file descriptors and
// threads (/proc/PID); at the end a verdict on their growth. Exits 1 on any 5xx, transport
// failure or growth beyond the tolerance.
#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "domain/ids.hpp"
#include "http_client.hpp"
#include "options.hpp"
#include "proc_stats.hpp"
#include "setup.hpp"

namespace evently::bench {
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct Options : ServerOptions {
  int minutes = 10;
  int users = 32;        // shoppers, each on a keep-alive connection of its own
  int think_ms = 50;     // mean pause before each request of a shopper (uniform, 0 to twice)
  int subscribers = 32;  // WebSocket clients, each reconnecting after 10-120 s
  int seats = 2000;      // of the event on sale
  int rss_tolerance_mib = 8;
  int fd_tolerance = 16;
  int seed = 1;
};

enum Kind {
  kList,
  kDetail,
  kSeats,
  kRevalidate,
  kHold,
  kConfirm,
  kCancel,
  kWaitlist,
  kMine,
  kLogin,
  kWebSocket,
  kKinds
};
constexpr std::array<const char*, kKinds> kKindNames = {"list", "detail",  "seats",  "reval",
                                                        "hold", "confirm", "cancel", "waitlist",
                                                        "mine", "login",   "ws"};

// What one minute saw.
struct Window {
  std::array<std::vector<double>, kKinds> ms;
  std::map<int, long> failures;  // answers neither 2xx, 101 nor 304, by status (0: transport)
  long not_modified = 0;
  long ws_messages = 0, ws_drops = 0, ws_errors = 0;
};

struct Sample {
  long rss_kib = -1, fds = -1, threads = -1;
  long anon_kib = -1, file_kib = -1, shmem_kib = -1;  // the parts of RSS
  // From /metrics: SQLite's page caches (bounded, they fill as the store grows; absent on
  // PostgreSQL) and the serialized seat maps; -1 when absent.
  double store_memory_mib = -1, seat_maps_mib = -1;
};

struct MinuteRow {
  int minute = 0;
  long requests = 0, server_errors = 0;
  Sample server;
  int ws_open = 0;
  json::object summary;  // for the JSON line
};

// A booking this shopper holds or has paid for, with its seats (they are free again when it ends).
struct Booking {
  std::string id;
  std::vector<std::string> seats;
};

struct Shopper {
  std::string token, email;
  std::mt19937 rng;
  std::map<std::string, std::string> etags;  // event id -> ETag of its last seat map
  std::deque<Booking> confirmed;             // oldest first
  std::string waitlist_id;                   // the active entry on the sold-out event
};

class Soak {
 public:
  Soak(asio::io_context& io, Options options)
      : io_(io),
        options_(std::move(options)),
        endpoint_(asio::ip::make_address(options_.host), options_.port) {}

  asio::awaitable<void> Run() {
    co_await SetUp();
    co_await SleepUntil(Clock::now() + seconds(1));  // the server closes the set-up's sockets
    before_ = co_await SampleServer();
    started_ = Clock::now();
    cpu_ = {CpuSeconds(getpid()), options_.server_pid > 0 ? CpuSeconds(options_.server_pid) : 0};
    deadline_ = started_ + std::chrono::minutes(options_.minutes);
    running_ = options_.users + options_.subscribers;
    for (int u = 0; u < options_.users; ++u) {
      asio::co_spawn(io_, Shop(shoppers_[static_cast<std::size_t>(u)]), asio::detached);
    }
    for (int s = 0; s < options_.subscribers; ++s) {
      asio::co_spawn(io_, Subscribe(s), asio::detached);
    }
    for (int m = 1; m <= options_.minutes; ++m) {
      co_await SleepUntil(started_ + std::chrono::minutes(m));
      ReportMinute(m, co_await SampleServer());
    }
    while (running_ > 0) co_await SleepUntil(Clock::now() + milliseconds(20));
    load_seconds_ = std::chrono::duration<double>(Clock::now() - started_).count();
    cpu_ = {CpuSeconds(getpid()) - cpu_.first,
            options_.server_pid > 0 ? CpuSeconds(options_.server_pid) - cpu_.second : 0};
    co_await SleepUntil(Clock::now() + seconds(2));  // the server closes its side of our sockets
    after_ = co_await SampleServer();
  }

  bool Verdict() const;
  bool GrowthIsFlat(json::object& summary) const;

 private:
  asio::awaitable<void> SetUp() {
    HttpClient admin(io_.get_executor(), endpoint_);
    std::string token = co_await Login(admin, options_.admin_email, options_.admin_password);
    // Named locals: g++ 12 mishandles braced temporaries in co_await.
    std::vector<Tier> on_sale, quiet, tiny;
    int rows = std::max(1, options_.seats / 50);
    on_sale.push_back(Tier{"VIP", std::max(1, rows / 10), 50, 250.0});
    on_sale.push_back(Tier{"Premium", std::max(1, rows * 2 / 10), 50, 120.0});
    on_sale.push_back(Tier{"Standard", std::max(1, rows * 3 / 10), 50, 80.0});
    on_sale.push_back(Tier{"General", std::max(1, rows - rows * 6 / 10), 50, 40.0});
    quiet.push_back(Tier{"GA", 10, 50, 30.0});
    tiny.push_back(Tier{"Front", 1, 8, 90.0});
    on_sale_ = co_await CreateEvent(admin, token, "Soak On Sale", on_sale);
    for (int q = 0; q < 4; ++q) {
      quiet_.push_back(
          co_await CreateEvent(admin, token, "Soak Quiet " + std::to_string(q), quiet));
    }
    sold_out_ = co_await CreateEvent(admin, token, "Soak Sold Out", tiny);
    std::vector<std::string> emails;
    std::vector<std::string> tokens =
        co_await RegisterBuyers(endpoint_, options_.users + 1, 8, "soak", &emails);
    co_await SellOut(admin, tokens.back());
    for (int u = 0; u < options_.users; ++u) {
      auto i = static_cast<std::size_t>(u);
      shoppers_.push_back(Shopper{tokens[i],
                                  emails[i],
                                  std::mt19937(static_cast<unsigned>(options_.seed * 7919 + u)),
                                  {},
                                  {},
                                  {}});
    }
    Reply map = co_await admin.Send(http::verb::get, "/api/v1/events/" + on_sale_ + "/seats");
    if (map.status != 200) throw std::runtime_error("seat map: " + std::to_string(map.status));
    for (auto& id : SeatIdsOf(map.body)) free_.Add(id);
    rebuilt_ = Clock::now();
  }

  // One buyer takes every seat of the tiny event, so its waitlist is open.
  asio::awaitable<void> SellOut(HttpClient& c, const std::string& token) {
    std::vector<std::string> seats = SeatIdsOf(
        (co_await c.Send(http::verb::get, "/api/v1/events/" + sold_out_ + "/seats")).body);
    for (std::size_t from = 0; from < seats.size(); from += 4) {
      json::array ids;
      for (std::size_t i = from; i < std::min(seats.size(), from + 4); ++i)
        ids.emplace_back(seats[i]);
      json::object body{{"event_id", sold_out_}, {"seat_ids", ids}};
      Reply hold =
          co_await c.Send(http::verb::post, "/api/v1/bookings", json::serialize(body), token);
      if (hold.status != 201) throw std::runtime_error("sell-out hold: " + hold.body);
      Reply paid =
          co_await c.Send(http::verb::post, "/api/v1/bookings/" + BookingId(hold) + "/confirm",
                          std::string(kCard), token);
      if (paid.status != 200) throw std::runtime_error("sell-out confirm: " + paid.body);
    }
  }

  static constexpr std::string_view kCard =
      R"({"payment_method":"credit_card","payment_details":{"token":"tok_visa"}})";

  static std::string BookingId(const Reply& hold) {
    return std::string(json::parse(hold.body).at("data").at("booking").at("id").as_string());
  }

  // A shopper's visits until the deadline; now and then the browser reconnects, and sometimes
  // it is a new session that has no ETags yet.
  asio::awaitable<void> Shop(Shopper& s) {
    auto c = std::make_unique<HttpClient>(io_.get_executor(), endpoint_);
    while (Clock::now() < deadline_) {
      try {
        co_await Visit(*c, s);
      } catch (const std::exception& e) {
        if (client_errors_++ < 5) std::cerr << "soak: shopper: " << e.what() << "\n";
      }
      if (s.rng() % 20 == 0) {
        c = std::make_unique<HttpClient>(io_.get_executor(), endpoint_);
        if (s.rng() % 2 == 0) s.etags.clear();
      }
    }
    --running_;
  }

  asio::awaitable<void> Visit(HttpClient& c, Shopper& s) {
    static constexpr std::array<const char*, 4> kLists = {
        "/api/v1/events", "/api/v1/events?page=1&per_page=20", "/api/v1/events?search=Soak",
        "/api/v1/events?page=2&per_page=3"};
    if (!co_await Think(s)) co_return;
    co_await Call(kList, c, s, http::verb::get, kLists[s.rng() % kLists.size()]);
    // Six in ten visits are to the event on sale, three to a quiet one, one to the sold-out one.
    unsigned roll = s.rng() % 10;
    const std::string& event = roll < 6   ? on_sale_
                               : roll < 9 ? quiet_[s.rng() % quiet_.size()]
                                          : sold_out_;
    if (!co_await Think(s)) co_return;
    co_await Call(kDetail, c, s, http::verb::get, "/api/v1/events/" + event);
    if (!co_await Think(s)) co_return;
    co_await BrowseSeats(c, s, event);
    if (event == on_sale_ && s.rng() % 2 == 0) co_await HoldSeats(c, s);
    if (event == sold_out_ && s.rng() % 10 < 6) co_await Waitlist(c, s);
    if (s.rng() % 12 == 0 && co_await Think(s)) {
      co_await Call(kMine, c, s, http::verb::get, "/api/v1/users/bookings");
    }
    // A buyer with two paid bookings cancels the older one (a refund): seats come back on sale.
    if (s.confirmed.size() >= 2 && co_await Think(s)) {
      Booking oldest = std::move(s.confirmed.front());
      s.confirmed.pop_front();
      co_await Cancel(c, s, oldest);
    }
  }

  asio::awaitable<void> BrowseSeats(HttpClient& c, Shopper& s, const std::string& event) {
    Headers headers;
    bool gzip = event != on_sale_ && s.rng() % 2 == 0;  // the on-sale map is read, so plain
    if (gzip) headers.emplace_back("Accept-Encoding", "gzip");
    auto known = s.etags.find(event);
    if (known != s.etags.end()) headers.emplace_back("If-None-Match", known->second);
    Reply r = co_await Call(known != s.etags.end() ? kRevalidate : kSeats, c, s, http::verb::get,
                            "/api/v1/events/" + event + "/seats", {}, std::move(headers));
    if (r.status != 200) co_return;
    if (!r.etag.empty()) s.etags[event] = r.etag;
    // The free seats all shoppers pick from follow the answers they get, and a fresh map now and
    // then (expired holds come back only that way).
    if (event == on_sale_ && Clock::now() - rebuilt_ > seconds(2)) {
      free_ = FreeSeats();
      for (auto& id : SeatIdsOf(r.body)) free_.Add(id);
      rebuilt_ = Clock::now();
    }
  }

  // Holds 1-4 seats; then pays (seven in ten), cancels (one and a half) or walks away and lets
  // the hold expire.
  asio::awaitable<void> HoldSeats(HttpClient& c, Shopper& s) {
    static constexpr std::array<std::size_t, 10> kSizes = {1, 1, 1, 2, 2, 2, 2, 3, 4, 4};
    if (free_.size() < 8 || !co_await Think(s)) co_return;
    Booking booking{{}, free_.Pick(s.rng, kSizes[s.rng() % kSizes.size()])};
    json::array ids;
    for (const auto& id : booking.seats) ids.emplace_back(id);
    json::object body{{"event_id", on_sale_}, {"seat_ids", ids}};
    Reply r = co_await Call(kHold, c, s, http::verb::post, "/api/v1/bookings",
                            json::serialize(body), Keyed());
    if (r.status == 409) {
      json::value v = json::parse(r.body);
      if (const auto* taken =
              v.at("error").at("details").as_object().if_contains("unavailable_seat_ids")) {
        for (const auto& id : taken->as_array()) free_.Remove(std::string(id.as_string()));
      }
    }
    if (r.status != 201) co_return;
    for (const auto& id : booking.seats) free_.Remove(id);
    booking.id = BookingId(r);
    unsigned roll = s.rng() % 20;
    if (roll >= 17 || !co_await Think(s)) co_return;  // walks away
    if (roll >= 14) {
      co_await Cancel(c, s, booking);
      co_return;
    }
    Reply paid =
        co_await Call(kConfirm, c, s, http::verb::post,
                      "/api/v1/bookings/" + booking.id + "/confirm", std::string(kCard), Keyed());
    if (paid.status == 200) s.confirmed.push_back(std::move(booking));
  }

  asio::awaitable<void> Cancel(HttpClient& c, Shopper& s, const Booking& booking) {
    Reply r = co_await Call(kCancel, c, s, http::verb::delete_, "/api/v1/bookings/" + booking.id);
    if (r.status == 200) {
      for (const auto& id : booking.seats) free_.Add(id);
    }
  }

  // Joins the sold-out event's waitlist (again: the same entry), or leaves it three times in ten.
  asio::awaitable<void> Waitlist(HttpClient& c, Shopper& s) {
    if (!co_await Think(s)) co_return;
    if (!s.waitlist_id.empty() && s.rng() % 10 < 3) {
      Reply r =
          co_await Call(kWaitlist, c, s, http::verb::delete_, "/api/v1/waitlist/" + s.waitlist_id);
      if (r.status == 200) s.waitlist_id.clear();
      co_return;
    }
    json::object body{{"event_id", sold_out_}};
    Reply r = co_await Call(kWaitlist, c, s, http::verb::post, "/api/v1/waitlist/join",
                            json::serialize(body));
    if (r.status == 200 || r.status == 201) {
      s.waitlist_id = std::string(json::parse(r.body).at("data").at("waitlist_id").as_string());
    }
  }

  static Headers Keyed() { return {{"Idempotency-Key", "soak-" + domain::RandomHex(16)}}; }

  // One request as the shopper; on 401 (its token lapsed: soaks longer than its 30 minutes) it
  // logs in again and retries once.
  asio::awaitable<Reply> Call(Kind kind, HttpClient& c, Shopper& s, http::verb verb,
                              std::string target, std::string body = {}, Headers headers = {}) {
    Reply r = co_await c.Send(verb, target, body, s.token, headers);
    if (r.status == 401) {
      json::object login{{"email", s.email}, {"password", kBuyerPassword}};
      Reply fresh = co_await c.Send(http::verb::post, "/api/v1/auth/login", json::serialize(login));
      Record(kLogin, fresh);
      if (fresh.status == 200) {
        s.token = std::string(json::parse(fresh.body).at("data").at("access_token").as_string());
        r = co_await c.Send(verb, target, body, s.token, headers);
      }
    }
    Record(kind, r);
    co_return r;
  }

  void Record(Kind kind, const Reply& r) {
    window_.ms[kind].push_back(r.millis);
    if (r.status == 304) ++window_.not_modified;
    bool ok = (r.status >= 200 && r.status < 300) || r.status == 101 || r.status == 304;
    if (!ok) ++window_.failures[r.status];
    if (r.status >= 500 || r.status == 0) {
      if (server_errors_++ < 5) {
        std::cerr << "soak: " << kKindNames[kind] << " answered " << r.status << ": "
                  << r.body.substr(0, 300) << "\n";
      }
    }
  }

  // A subscriber's connections until the deadline: each lives 10-120 s, then closes and, after a
  // pause, connects again. Every fourth is on a quiet event; every fourth also talks (ping,
  // subscribe to and unsubscribe from a second event).
  asio::awaitable<void> Subscribe(int index) {
    std::mt19937 rng(static_cast<unsigned>(options_.seed * 104729 + index));
    const std::string& event =
        index % 4 == 3 ? quiet_[static_cast<std::size_t>(index) % 4] : on_sale_;
    co_await SleepUntil(Clock::now() + milliseconds(rng() % 3000));
    while (Clock::now() + seconds(2) < deadline_) {
      auto life = std::min(deadline_, Clock::now() + seconds(10 + rng() % 111));
      try {
        co_await Subscription(event, life, index % 4 == 0);
      } catch (const std::exception& e) {
        if (client_errors_++ < 5) std::cerr << "soak: subscriber: " << e.what() << "\n";
      }
      co_await SleepUntil(Clock::now() + milliseconds(200 + rng() % 1800));
    }
    --running_;
  }

  struct Connection {
    explicit Connection(asio::any_io_executor ex) : ws(ex), timer(ex) {}
    websocket::stream<beast::tcp_stream> ws;
    asio::steady_timer timer;
    bool closing = false, ended = false, driver_done = false;
  };

  asio::awaitable<void> Subscription(const std::string& event, Clock::time_point life, bool talks) {
    constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
    auto started = Clock::now();
    auto conn = std::make_shared<Connection>(io_.get_executor());
    auto& tcp = beast::get_lowest_layer(conn->ws);
    tcp.expires_after(seconds(10));
    websocket::response_type res;
    beast::flat_buffer buffer;
    // The connect's status: 101 once upgraded and a snapshot came, the server's when it refused
    // the upgrade, 0 when the connection failed or the first message was not a snapshot.
    Reply connect;
    auto [ec] = co_await tcp.async_connect(endpoint_, kAwait);
    if (!ec) {
      std::tie(ec) =
          co_await conn->ws.async_handshake(res, options_.host, "/ws/events/" + event, kAwait);
      if (ec == websocket::error::upgrade_declined) connect.status = res.result_int();
    }
    if (!ec) std::tie(ec, std::ignore) = co_await conn->ws.async_read(buffer, kAwait);
    if (!ec && beast::buffers_to_string(buffer.data()).find("\"snapshot\"") != std::string::npos) {
      connect.status = 101;
    }
    connect.millis = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    Record(kWebSocket, connect);
    if (connect.status != 101) co_return;
    tcp.expires_never();
    conn->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ++ws_open_;
    asio::co_spawn(io_, Drive(conn, event, life, talks), asio::detached);
    for (;;) {
      buffer.clear();
      auto [rec, n] = co_await conn->ws.async_read(buffer, kAwait);
      if (rec) {
        if (!conn->closing) ++window_.ws_drops;
        break;
      }
      ++window_.ws_messages;
      if (beast::buffers_to_string(buffer.data()).starts_with(R"({"type":"error")")) {
        ++window_.ws_errors;
      }
    }
    --ws_open_;
    conn->ended = true;
    conn->timer.cancel();
    while (!conn->driver_done) co_await SleepUntil(Clock::now() + milliseconds(10));
  }

  // The writing side of a subscription: a talking client's messages every 15 s, then the close.
  asio::awaitable<void> Drive(std::shared_ptr<Connection> conn, std::string event,
                              Clock::time_point life, bool talks) {
    constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
    const std::string& other = event == quiet_[0] ? quiet_[1] : quiet_[0];
    const std::array<std::string, 3> messages = {
        R"({"action":"ping"})", R"({"action":"subscribe","event_id":")" + other + "\"}",
        R"({"action":"unsubscribe","event_id":")" + other + "\"}"};
    for (std::size_t said = 0; !conn->ended; ++said) {
      auto next = talks ? std::min(life, Clock::now() + seconds(15)) : life;
      conn->timer.expires_at(next);
      co_await conn->timer.async_wait(kAwait);
      if (conn->ended) break;
      if (Clock::now() >= life) {
        conn->closing = true;
        co_await conn->ws.async_close(websocket::close_code::normal, kAwait);
        break;
      }
      co_await conn->ws.async_write(asio::buffer(messages[said % messages.size()]), kAwait);
    }
    conn->driver_done = true;
  }

  // A pause before a shopper's next request; false once the run is over.
  asio::awaitable<bool> Think(Shopper& s) {
    if (options_.think_ms > 0) {
      co_await SleepUntil(Clock::now() +
                          milliseconds(s.rng() % static_cast<unsigned>(2 * options_.think_ms + 1)));
    }
    co_return Clock::now() < deadline_;
  }

  asio::awaitable<void> SleepUntil(Clock::time_point when) {
    asio::steady_timer t(io_, when);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
  }

  asio::awaitable<Sample> SampleServer() {
    int pid = options_.server_pid;
    Sample sample;
    if (pid > 0) {
      sample = Sample{RssKib(pid),
                      FdCount(pid),
                      ThreadCount(pid),
                      StatusField(pid, "RssAnon:"),
                      StatusField(pid, "RssFile:"),
                      StatusField(pid, "RssShmem:")};
    }
    Reply metrics = co_await probe_.Send(http::verb::get, "/metrics");
    sample.store_memory_mib = GaugeMib(metrics.body, "evently_store_memory_bytes");
    sample.seat_maps_mib = GaugeMib(metrics.body, "evently_seat_map_cache_bytes");
    co_return sample;
  }

  // A gauge of Prometheus text in MiB; -1 when absent.
  static double GaugeMib(const std::string& text, std::string_view name) {
    std::string key = "\n" + std::string(name) + " ";  // the value line, not # HELP or # TYPE
    auto at = text.find(key);
    if (at == std::string::npos) return -1;
    return std::strtod(text.c_str() + at + key.size(), nullptr) / (1024.0 * 1024.0);
  }

  void ReportMinute(int minute, Sample server);

  asio::io_context& io_;
  Options options_;
  asio::ip::tcp::endpoint endpoint_;
  std::string on_sale_, sold_out_;
  std::vector<std::string> quiet_;
  std::vector<Shopper> shoppers_;
  FreeSeats free_;
  Clock::time_point rebuilt_, started_, deadline_;
  int running_ = 0, ws_open_ = 0;
  long server_errors_ = 0, client_errors_ = 0;  // over the whole run
  Window window_;
  HttpClient probe_{io_.get_executor(), endpoint_};  // reads /metrics each minute
  std::vector<MinuteRow> rows_;
  Sample before_, after_;          // before the load starts, and once every client socket is closed
  std::pair<double, double> cpu_;  // CPU seconds of this generator and of the server under load
  double load_seconds_ = 0;
};

double Mib(long kib) { return static_cast<double>(kib) / 1024.0; }

void Soak::ReportMinute(int minute, Sample server) {
  Window w = std::exchange(window_, Window{});
  MinuteRow row;
  row.minute = minute;
  row.server = server;
  row.ws_open = ws_open_;
  std::string counts, latency, failures;
  json::object kinds;
  for (int k = 0; k < kKinds; ++k) {
    const auto& ms = w.ms[static_cast<std::size_t>(k)];
    if (ms.empty()) continue;
    row.requests += static_cast<long>(ms.size());
    double p50 = Percentile(ms, 50), p99 = Percentile(ms, 99);
    char part[96];
    std::snprintf(part, sizeof part, " %s %zu", kKindNames[k], ms.size());
    counts += part;
    if (k == kRevalidate) {
      std::snprintf(part, sizeof part, " (304: %ld)", w.not_modified);
      counts += part;
    }
    std::snprintf(part, sizeof part, " %s %.1f/%.1f", kKindNames[k], p50, p99);
    latency += part;
    kinds[kKindNames[k]] = json::object{{"count", ms.size()}, {"p50_ms", p50}, {"p99_ms", p99}};
  }
  json::object by_status;
  for (const auto& [status, n] : w.failures) {
    failures += " " + std::to_string(status) + "x" + std::to_string(n);
    if (status >= 500 || status == 0) row.server_errors += n;
    by_status[std::to_string(status)] = n;
  }
  std::printf(
      "minute %2d: %ld req (%.0f/s):%s | ws msgs %ld, drops %ld, errors %ld, open %d | not "
      "2xx/304:%s | 5xx+transport %ld | p50/p99 ms%s | RSS %.1f MiB (anon %.1f, file %.1f, "
      "shmem %.1f), store caches %.1f MiB, seat maps %.1f MiB, fds %ld, threads %ld\n",
      minute, row.requests, static_cast<double>(row.requests) / 60.0, counts.c_str(), w.ws_messages,
      w.ws_drops, w.ws_errors, row.ws_open, failures.empty() ? " none" : failures.c_str(),
      row.server_errors, latency.c_str(), Mib(row.server.rss_kib), Mib(row.server.anon_kib),
      Mib(row.server.file_kib), Mib(row.server.shmem_kib), row.server.store_memory_mib,
      row.server.seat_maps_mib, row.server.fds, row.server.threads);
  std::fflush(stdout);
  row.summary = json::object{{"minute", minute},
                             {"requests", row.requests},
                             {"kinds", kinds},
                             {"not_2xx_304", by_status},
                             {"not_modified", w.not_modified},
                             {"ws_messages", w.ws_messages},
                             {"ws_drops", w.ws_drops},
                             {"ws_open", row.ws_open},
                             {"rss_kib", row.server.rss_kib},
                             {"rss_anon_kib", row.server.anon_kib},
                             {"store_memory_mib", row.server.store_memory_mib},
                             {"seat_maps_mib", row.server.seat_maps_mib},
                             {"fds", row.server.fds},
                             {"threads", row.server.threads}};
  rows_.push_back(std::move(row));
}

// A MiB figure that may be absent (-1), as a growth term: absent counts as nothing.
double Known(double mib) { return mib < 0 ? 0 : mib; }

// Minute 2 (after warm-up) against the last minute. SQLite's page caches fill as the store grows
// (up to their cache sizes: 64 MiB for the writer, 2 MiB per reader) and the seat map cache up to
// its limit, so RSS is judged on what those do not explain; the store caches themselves must have
// stopped growing over the last three minutes.
bool Soak::GrowthIsFlat(json::object& summary) const {
  const int tolerance = options_.rss_tolerance_mib;
  const MinuteRow& first = rows_[1];
  const MinuteRow& last = rows_.back();
  const Sample& from = first.server;
  const Sample& to = last.server;
  double rss = Mib(to.rss_kib) - Mib(from.rss_kib);
  double store = Known(to.store_memory_mib) - Known(from.store_memory_mib);
  double seat_maps = Known(to.seat_maps_mib) - Known(from.seat_maps_mib);
  double rest = rss - store - seat_maps;
  bool rss_flat = rest <= tolerance;
  std::printf(
      "  RSS minute 2 -> %d: %.1f -> %.1f MiB (%+.1f): store caches %+.1f, seat maps %+.1f,"
      " the rest %+.1f MiB: %s (tolerance %d MiB)\n",
      last.minute, Mib(from.rss_kib), Mib(to.rss_kib), rss, store, seat_maps, rest,
      rss_flat ? "flat" : "LEAK?", tolerance);
  const MinuteRow& settled = rows_[rows_.size() > 4 ? rows_.size() - 4 : 1];
  double late_store = Known(to.store_memory_mib) - Known(settled.server.store_memory_mib);
  bool store_bounded = late_store <= tolerance;
  std::printf("  store caches minute %d -> %d: %.1f -> %.1f MiB: %s\n", settled.minute, last.minute,
              settled.server.store_memory_mib, to.store_memory_mib,
              store_bounded ? "settled" : "LEAK? (still growing)");
  long fds = to.fds - from.fds;
  bool fds_flat = fds <= options_.fd_tolerance;
  std::printf("  fds minute 2 -> %d: %ld -> %ld (%+ld): %s (tolerance %d)\n", last.minute, from.fds,
              to.fds, fds, fds_flat ? "flat" : "LEAK?", options_.fd_tolerance);
  long threads = to.threads - from.threads;
  std::printf("  threads minute 2 -> %d: %ld -> %ld: %s\n", last.minute, from.threads, to.threads,
              threads <= 0 ? "flat" : "LEAK?");
  summary["rss_growth_mib"] = rss;
  summary["store_cache_growth_mib"] = store;
  summary["seat_map_growth_mib"] = seat_maps;
  summary["unexplained_rss_growth_mib"] = rest;
  summary["fd_growth"] = fds;
  summary["thread_growth"] = threads;
  return rss_flat && store_bounded && fds_flat && threads <= 0;
}

bool Soak::Verdict() const {
  bool ok = server_errors_ == 0;
  std::printf("\nsoak verdict (%d shoppers, %d subscribers, %d min)\n", options_.users,
              options_.subscribers, options_.minutes);
  std::printf("  5xx and transport failures: %ld%s\n", server_errors_, ok ? "" : "  FAIL");
  json::object summary{{"scenario", "soak"},
                       {"minutes", options_.minutes},
                       {"users", options_.users},
                       {"subscribers", options_.subscribers},
                       {"server_errors", server_errors_},
                       {"client_errors", client_errors_}};
  if (rows_.size() >= 3) {
    ok = GrowthIsFlat(summary) && ok;
  } else {
    std::printf("  growth: not judged (needs 3 minutes or more)\n");
  }
  // Every client socket is closed by now: the server should be back to its idle count.
  bool idle_fds_back = after_.fds <= before_.fds + options_.fd_tolerance;
  std::printf("  fds idle before -> after the load: %ld -> %ld: %s\n", before_.fds, after_.fds,
              idle_fds_back ? "back" : "LEAK?");
  std::printf("  RSS idle before -> after the load: %.1f -> %.1f MiB\n", Mib(before_.rss_kib),
              Mib(after_.rss_kib));
  ok = ok && idle_fds_back;
  std::printf("  CPU under load: generator %.0f s (%.2f cores), server %.0f s (%.2f cores)\n",
              cpu_.first, cpu_.first / std::max(1.0, load_seconds_), cpu_.second,
              cpu_.second / std::max(1.0, load_seconds_));
  summary["generator_cpu_seconds"] = cpu_.first;
  summary["server_cpu_seconds"] = cpu_.second;
  if (client_errors_ > 0)
    std::printf("  generator errors (not the server's): %ld\n", client_errors_);
  json::array minutes;
  for (const auto& row : rows_) minutes.push_back(row.summary);
  summary["idle_fds"] = json::array{before_.fds, after_.fds};
  summary["idle_rss_kib"] = json::array{before_.rss_kib, after_.rss_kib};
  summary["per_minute"] = std::move(minutes);
  summary["ok"] = ok;
  std::printf("JSON %s\n", json::serialize(summary).c_str());
  return ok;
}

}  // namespace evently::bench

int main(int argc, char** argv) {
  evently::bench::Options o;
  using evently::bench::Into;
  if (!evently::bench::ParseFlags(argc, argv, o,
                                  {{"--minutes", Into(o.minutes)},
                                   {"--users", Into(o.users)},
                                   {"--think-ms", Into(o.think_ms)},
                                   {"--subscribers", Into(o.subscribers)},
                                   {"--seats", Into(o.seats)},
                                   {"--rss-tolerance-mib", Into(o.rss_tolerance_mib)},
                                   {"--fd-tolerance", Into(o.fd_tolerance)},
                                   {"--seed", Into(o.seed)}})) {
    return 2;
  }
  boost::asio::io_context io(1);
  evently::bench::Soak soak(io, o);
  if (!evently::bench::RunToEnd(io, soak.Run(), "soak")) return 1;
  return soak.Verdict() ? 0 : 1;
}
