// BENCH.md scenario 3, "fan-out": N WebSocket subscribers on one event, then a burst of seat
// changes (single-seat holds over HTTP by a few users). Reports delivery latency to every
// subscriber (from the moment the hold request was sent, so it includes the HTTP round trip),
// missed updates, and the server's RSS per idle connection (from /proc/PID/status).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "domain/ids.hpp"
#include "http_client.hpp"
#include "security/jwt.hpp"
#include "support/booking_fixture.hpp"

namespace evently::bench {
namespace json = boost::json;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;
  std::string database_url;
  int server_pid = 0;
  int subscribers = 10000;
  int changes = 1000;
  int holders = 8;
  int connect_parallel = 256;
  std::string jwt_secret = "evently-development-secret-change-me";
};

long RssKib(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Latencies in 0.1 ms buckets up to 30 s: ten million samples without keeping them.
class Histogram {
 public:
  void Add(double ms) {
    auto i = static_cast<std::size_t>(std::max(0.0, ms) * 10.0);
    ++buckets_[std::min(i, buckets_.size() - 1)];
    ++count_;
    max_ = std::max(max_, ms);
  }
  double Percentile(double p) const {
    auto target = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(count_));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
      seen += buckets_[i];
      if (seen > target) return static_cast<double>(i) / 10.0;
    }
    return max_;
  }
  std::uint64_t count() const { return count_; }
  double max() const { return max_; }

 private:
  std::array<std::uint64_t, 300000> buckets_{};
  std::uint64_t count_ = 0;
  double max_ = 0;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class FanOut {
 public:
  FanOut(asio::io_context& io, Options options)
      : io_(io),
        options_(std::move(options)),
        endpoint_(asio::ip::make_address(options_.host), options_.port) {}

  void Prepare() {
    auto db = storage::OpenDatabase(options_.database_url, {2, 10000});
    int rows = (options_.changes + 99) / 100;
    event_ = testing::CreateEvent(*db, {{"GA", rows, 100, 5000}},
                                  domain::SystemClock().Now() + std::chrono::hours(24 * 30));
    for (std::size_t i = 0; i < event_.seat_ids.size(); ++i) seat_index_[event_.seat_ids[i]] = i;
    security::JwtCodec jwt(options_.jwt_secret, std::chrono::seconds(1800));
    for (int h = 0; h < options_.holders; ++h) {
      std::string user = testing::CreateUser(
          *db, "fanout-" + domain::RandomHex(4) + "-" + std::to_string(h) + "@bench.example.com");
      tokens_.push_back(jwt.Issue({user, domain::Role::kUser}, domain::SystemClock().Now()).token);
    }
    sent_at_.assign(event_.seat_ids.size(), Clock::time_point{});
    seen_.assign(static_cast<std::size_t>(options_.subscribers), 0);
  }

  asio::awaitable<void> Run() {
    health_rps_ = co_await HealthRps(endpoint_, std::chrono::seconds(2), 32);
    rss_before_ = RssKib(options_.server_pid);
    auto started = Clock::now();
    int next = 0;
    int workers = std::min(options_.connect_parallel, options_.subscribers);
    int done = 0;
    for (int w = 0; w < workers; ++w) {
      asio::co_spawn(
          io_,
          [&]() -> asio::awaitable<void> {
            while (next < options_.subscribers) co_await Connect(next++);
            ++done;
          },
          asio::detached);
    }
    co_await WaitFor([&] { return done == workers; });
    connect_seconds_ = std::chrono::duration<double>(Clock::now() - started).count();
    co_await Sleep(std::chrono::milliseconds(1500));  // let the server settle, then measure idle
    rss_after_ = RssKib(options_.server_pid);

    auto burst_start = Clock::now();
    int holders_done = 0;
    std::size_t seat = 0;
    for (int h = 0; h < options_.holders; ++h) {
      asio::co_spawn(
          io_,
          [&, h]() -> asio::awaitable<void> {
            HttpClient c(io_.get_executor(), endpoint_);
            while (seat < static_cast<std::size_t>(options_.changes)) {
              std::size_t mine = seat++;
              std::string body = R"({"event_id":")" + event_.id + R"(","seat_ids":[")" +
                                 event_.seat_ids[mine] + "\"]}";
              sent_at_[mine] = Clock::now();
              Reply r = co_await c.Send(http::verb::post, "/api/v1/bookings", body,
                                        tokens_[static_cast<std::size_t>(h)]);
              hold_ms_.push_back(r.millis);
              if (r.status != 201) ++hold_failures_;
            }
            ++holders_done;
          },
          asio::detached);
    }
    co_await WaitFor([&] { return holders_done == options_.holders; });
    burst_seconds_ = std::chrono::duration<double>(Clock::now() - burst_start).count();
    auto expected = static_cast<std::uint64_t>(options_.changes);
    auto deadline = Clock::now() + std::chrono::seconds(30);
    co_await WaitFor([&] {
      return Clock::now() > deadline ||
             std::all_of(seen_.begin(), seen_.end(), [&](auto n) { return n >= expected; });
    });
    finished_ = true;
  }

  void Report() const;

 private:
  template <typename Pred>
  asio::awaitable<void> WaitFor(Pred done) {
    while (!done()) co_await Sleep(std::chrono::milliseconds(20));
  }
  asio::awaitable<void> Sleep(std::chrono::milliseconds ms) {
    asio::steady_timer t(io_, ms);
    co_await t.async_wait(asio::use_awaitable);
  }

  asio::awaitable<void> Connect(int index) {
    constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
    auto ws = std::make_shared<websocket::stream<beast::tcp_stream>>(io_.get_executor());
    auto [cec] = co_await beast::get_lowest_layer(*ws).async_connect(endpoint_, kAwait);
    if (!cec) {
      beast::get_lowest_layer(*ws).expires_never();
      auto [hec] = co_await ws->async_handshake(options_.host, "/ws/events/" + event_.id, kAwait);
      cec = hec;
    }
    if (cec) {
      ++connect_failures_;
      co_return;
    }
    auto buffer = std::make_shared<beast::flat_buffer>();
    auto [rec, n] = co_await ws->async_read(*buffer, kAwait);
    if (rec || beast::buffers_to_string(buffer->data()).find("\"snapshot\"") == std::string::npos) {
      ++connect_failures_;
      co_return;
    }
    ++connected_;
    // From here the subscriber reads the raw stream (see Listen); the handshake and the snapshot
    // came before any update, so Beast holds no unread bytes.
    asio::co_spawn(io_, Listen(index, beast::get_lowest_layer(*ws).release_socket()),
                   asio::detached);
  }

  // Server frames are unmasked and, with one frame per message, their headers only sit between
  // JSON texts: scanning the raw byte stream for seat ids finds every update. All subscribers
  // share one read buffer (reactor style), so ten thousand of them cost no memory and ten
  // million updates do not make the client the bottleneck.
  asio::awaitable<void> Listen(int index, asio::ip::tcp::socket socket) {
    constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
    constexpr std::string_view kKey = "\"seat_id\":\"";
    constexpr std::size_t kCarry = kKey.size() + 36;  // a match may straddle two reads
    std::string carry;
    socket.non_blocking(true);
    for (;;) {
      auto [ec] = co_await socket.async_wait(asio::ip::tcp::socket::wait_read, kAwait);
      for (;;) {
        beast::error_code rec;
        std::memcpy(shared_.data(), carry.data(), carry.size());
        std::size_t n = socket.read_some(
            asio::buffer(shared_.data() + carry.size(), shared_.size() - carry.size()), rec);
        if (rec == asio::error::would_block) break;
        if (ec || rec || n == 0) {
          if (!finished_) ++disconnects_;
          co_return;
        }
        auto now = Clock::now();
        ++reads_;
        std::string_view text(shared_.data(), carry.size() + n);
        std::size_t scanned = 0;
        for (std::size_t at = text.find(kKey); at != std::string_view::npos;
             at = text.find(kKey, at + kKey.size())) {
          if (at + kKey.size() + 36 > text.size()) break;
          scanned = at + kKey.size() + 36;
          auto it = seat_index_.find(text.substr(at + kKey.size(), 36));
          if (it == seat_index_.end() || sent_at_[it->second] == Clock::time_point{}) continue;
          latency_.Add(
              std::chrono::duration<double, std::milli>(now - sent_at_[it->second]).count());
          ++seen_[static_cast<std::size_t>(index)];
        }
        std::size_t keep_from = std::max(scanned, text.size() > kCarry ? text.size() - kCarry : 0);
        carry.assign(text.substr(keep_from));
      }
    }
  }

  asio::io_context& io_;
  Options options_;
  asio::ip::tcp::endpoint endpoint_;
  testing::TestEvent event_;
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> seat_index_;
  std::vector<std::string> tokens_;
  std::vector<Clock::time_point> sent_at_;
  std::vector<std::uint64_t> seen_;
  Histogram latency_;
  std::vector<double> hold_ms_;
  long rss_before_ = 0, rss_after_ = 0;
  std::array<char, 1 << 16> shared_{};
  std::uint64_t reads_ = 0;
  int connected_ = 0, connect_failures_ = 0, disconnects_ = 0, hold_failures_ = 0;
  double connect_seconds_ = 0, burst_seconds_ = 0, health_rps_ = 0;
  bool finished_ = false;
};

void FanOut::Report() const {
  std::uint64_t expected =
      static_cast<std::uint64_t>(connected_) * static_cast<std::uint64_t>(options_.changes);
  std::uint64_t missed = expected > latency_.count() ? expected - latency_.count() : 0;
  double per_conn = connected_ > 0 ? static_cast<double>(rss_after_ - rss_before_) / connected_ : 0;
  std::vector<double> holds = hold_ms_;
  std::sort(holds.begin(), holds.end());
  double hold_p50 = holds.empty() ? 0 : holds[holds.size() / 2];
  std::printf("\nfan-out: %d subscribers on one event, %d seat changes by %d users\n",
              options_.subscribers, options_.changes, options_.holders);
  std::printf("  %-34s %10.0f\n", "/health req/s (in-run ceiling)", health_rps_);
  std::printf("  %-34s %10d connected in %.1f s, %d failed\n", "subscribers", connected_,
              connect_seconds_, connect_failures_);
  std::printf("  %-34s %10.1f KiB (RSS %ld -> %ld KiB)\n", "server RSS per idle connection",
              per_conn, rss_before_, rss_after_);
  std::printf("  %-34s %10.2f s (%d failed holds, hold p50 %.1f ms)\n", "burst duration",
              burst_seconds_, hold_failures_, hold_p50);
  std::printf("  %-34s %10.1f / %.1f / %.1f / %.1f ms\n", "delivery p50 / p99 / p99.9 / max",
              latency_.Percentile(50), latency_.Percentile(99), latency_.Percentile(99.9),
              latency_.max());
  std::printf("  %-34s %10llu of %llu (%llu missed), %d disconnects\n", "updates delivered",
              static_cast<unsigned long long>(latency_.count()),
              static_cast<unsigned long long>(expected), static_cast<unsigned long long>(missed),
              disconnects_);
  json::object summary{{"scenario", "fan-out"},
                       {"subscribers", connected_},
                       {"changes", options_.changes},
                       {"health_rps", health_rps_},
                       {"rss_per_connection_kib", per_conn},
                       {"burst_seconds", burst_seconds_},
                       {"delivery_ms", json::object{{"p50", latency_.Percentile(50)},
                                                    {"p99", latency_.Percentile(99)},
                                                    {"p999", latency_.Percentile(99.9)},
                                                    {"max", latency_.max()}}},
                       {"delivered", latency_.count()},
                       {"missed", missed},
                       {"disconnects", disconnects_}};
  std::printf("JSON %s\n", json::serialize(summary).c_str());
}

}  // namespace evently::bench

int main(int argc, char** argv) {
  evently::bench::Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--port")
      o.port = static_cast<unsigned short>(std::stoi(v));
    else if (k == "--host")
      o.host = v;
    else if (k == "--database-url")
      o.database_url = v;
    else if (k == "--server-pid")
      o.server_pid = std::stoi(v);
    else if (k == "--subscribers")
      o.subscribers = std::stoi(v);
    else if (k == "--changes")
      o.changes = std::stoi(v);
    else if (k == "--holders")
      o.holders = std::stoi(v);
    else {
      std::cerr << "unknown option " << k << "\n";
      return 2;
    }
  }
  boost::asio::io_context io(1);
  auto bench = std::make_unique<evently::bench::FanOut>(io, o);  // the histogram is large
  bench->Prepare();
  bool failed = false;
  boost::asio::co_spawn(io, bench->Run(), [&](std::exception_ptr e) {
    if (e) {
      failed = true;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        std::cerr << "fan_out: " << ex.what() << "\n";
      }
    }
    io.stop();
  });
  io.run();
  if (failed) return 1;
  bench->Report();
  return 0;
}
