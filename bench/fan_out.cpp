// BENCH.md scenario 3, "fan-out": N WebSocket subscribers on one event, then a burst of seat
// changes (single-seat holds over HTTP by a few users). Reports delivery latency to every
// subscriber (from the moment the hold request was sent, so it includes the HTTP round trip,
// the commit and any batching), missed updates, and the server's RSS per idle connection (from
// /proc/PID/status).
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string_view>
#include <thread>

#include "domain/ids.hpp"
#include "http_client.hpp"
#include "options.hpp"
#include "proc_stats.hpp"
#include "security/jwt.hpp"
#include "setup.hpp"
#include "support/booking_fixture.hpp"

namespace evently::bench {
namespace json = boost::json;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;

struct Options : ServerOptions {
  std::string database_url;
  int subscribers = 10000;
  int changes = 1000;
  int holders = 8;
  int connect_parallel = 256;
  int reader_threads = 2;
  // After each batch of readable sockets a reader sleeps this long, so the data of many sends is
  // read per wakeup: woken per send, the readers cost the server a cross-CPU wakeup inside
  // each sendmsg (a loopback artifact). Adds at most this much to a measured latency.
  int reader_nap_us = 500;
  // > 0: also prints, for that many equal slices of the burst (in the order the holds were sent),
  // when the slice's holds were sent, their answer times and when each change had reached every
  // subscriber: where the latency comes from. Costs the readers an atomic per update.
  int timeline = 0;
  std::string jwt_secret = "evently-development-secret-change-me";
};

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
  void Merge(const Histogram& other) {
    for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    max_ = std::max(max_, other.max_);
  }
  std::uint64_t count() const { return count_; }
  double max() const { return max_; }

 private:
  std::array<std::uint64_t, 300000> buckets_{};
  std::uint64_t count_ = 0;
  double max_ = 0;
};

// Seat id -> seat index for the ids of one event: keyed by the last 8 characters of the UUID
// (random in UUIDv7), checked against the whole id. Ten million lookups cost next to nothing.
class SeatIndex {
 public:
  void Build(const std::vector<std::string>& ids) {
    ids_ = &ids;
    std::size_t size = std::bit_ceil(ids.size() * 4 + 16);
    shift_ = 64 - std::countr_zero(size);
    slots_.assign(size, kEmpty);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      std::size_t at = Slot(ids[i]);
      while (slots_[at] != kEmpty) at = (at + 1) & (size - 1);
      slots_[at] = static_cast<std::uint32_t>(i);
    }
  }
  // The last 8 characters of an id, as a number: enough to tell the ids of one event apart.
  static std::uint64_t Tail(std::string_view id) {
    std::uint64_t tail;
    std::memcpy(&tail, id.data() + id.size() - sizeof tail, sizeof tail);
    return tail;
  }
  std::uint64_t TailOf(std::size_t seat) const { return Tail((*ids_)[seat]); }
  std::size_t size() const { return ids_->size(); }
  // The index of a 36-character id, or -1.
  long Find(std::string_view id) const {
    for (std::size_t at = Slot(id);; at = (at + 1) & (slots_.size() - 1)) {
      if (slots_[at] == kEmpty) return -1;
      if ((*ids_)[slots_[at]] == id) return slots_[at];
    }
  }

 private:
  static constexpr std::uint32_t kEmpty = ~0u;
  std::size_t Slot(std::string_view id) const {
    return static_cast<std::size_t>((Tail(id) * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  const std::vector<std::string>* ids_ = nullptr;
  std::vector<std::uint32_t> slots_;
  int shift_ = 64;
};

std::int64_t Nanos(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// Reads the subscribers' sockets after their snapshot: each thread owns an epoll set
// (level-triggered: one recv per readiness, no extra read to hit EAGAIN) and one read buffer
// shared by all its sockets, so ten thousand subscribers cost no memory and ten million updates
// do not make the generator the bottleneck. Server frames are unmasked and, with one frame per
// message, their headers only sit between JSON texts: scanning the raw byte stream for seat ids
// finds every update.
class Readers {
 public:
  static constexpr std::string_view kKey = "\"seat_id\":\"";
  static constexpr std::size_t kIdLen = 36;
  static constexpr std::size_t kCarry = kKey.size() + kIdLen;  // a match may straddle two reads

  // `reached_all`, when not null: per seat, the latest time a subscriber read its update.
  Readers(int threads, int nap_us, int subscribers, const SeatIndex& seats,
          const std::vector<std::atomic<std::int64_t>>& sent_at,
          std::vector<std::atomic<std::int64_t>>* reached_all)
      : nap_us_(nap_us),
        seats_(seats),
        sent_at_(sent_at),
        reached_all_(reached_all),
        subs_(static_cast<std::size_t>(subscribers)),
        order_(seats.size()) {
    for (auto& seat : order_) seat = -1;
    for (std::size_t i = 0; i < seats.size(); ++i) tails_.push_back(seats.TailOf(i));
    for (int t = 0; t < threads; ++t) threads_.push_back(std::make_unique<Thread>());
  }
  ~Readers() { Stop(); }

  void Start() {
    for (auto& t : threads_) {
      t->epoll = epoll_create1(EPOLL_CLOEXEC);
      t->thread = std::thread([this, t = t.get()] { Run(*t); });
    }
  }
  void Add(int index, int fd) {
    Sub& sub = subs_[static_cast<std::size_t>(index)];
    sub.fd = fd;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.ptr = &sub;
    Thread& t = *threads_[static_cast<std::size_t>(index) % threads_.size()];
    epoll_ctl(t.epoll, EPOLL_CTL_ADD, fd, &ev);
  }
  void Finish() { finished_ = true; }
  void Stop() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t->thread.joinable()) t->thread.join();
      if (t->epoll >= 0) close(t->epoll);
      t->epoll = -1;
    }
    for (Sub& sub : subs_) {
      if (sub.fd >= 0) close(sub.fd);
      sub.fd = -1;
    }
  }
  std::uint64_t delivered() const {
    std::uint64_t n = 0;
    for (const auto& t : threads_) n += t->delivered.load(std::memory_order_relaxed);
    return n;
  }
  int disconnects() const {
    int n = 0;
    for (const auto& t : threads_) n += t->disconnects.load();
    return n;
  }
  // After Stop.
  std::unique_ptr<Histogram> Latency() const {
    auto all = std::make_unique<Histogram>();
    for (const auto& t : threads_) all->Merge(*t->latency);
    return all;
  }

 private:
  struct Sub {
    int fd = -1;
    std::uint32_t position = 0;  // updates seen so far
    std::uint32_t carry_len = 0;
    std::array<char, kCarry> carry{};
  };
  struct Thread {
    int epoll = -1;
    std::thread thread;
    std::unique_ptr<Histogram> latency = std::make_unique<Histogram>();
    std::array<char, kCarry + (1 << 16)> buffer{};
    std::atomic<std::uint64_t> delivered{0};
    std::atomic<int> disconnects{0};
  };

  void Run(Thread& t) {
    std::array<epoll_event, 256> events;
    while (!stop_) {
      int n = epoll_wait(t.epoll, events.data(), static_cast<int>(events.size()), 50);
      for (int i = 0; i < n; ++i)
        Read(t, *static_cast<Sub*>(events[static_cast<std::size_t>(i)].data.ptr));
      if (n > 0 && nap_us_ > 0) usleep(static_cast<useconds_t>(nap_us_));
    }
  }

  void Read(Thread& t, Sub& sub) {
    char* buf = t.buffer.data();
    std::memcpy(buf, sub.carry.data(), sub.carry_len);
    ssize_t n = recv(sub.fd, buf + sub.carry_len, t.buffer.size() - sub.carry_len, 0);
    if (n <= 0) {
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      if (!finished_) ++t.disconnects;
      epoll_ctl(t.epoll, EPOLL_CTL_DEL, sub.fd, nullptr);
      return;
    }
    std::int64_t now = Nanos(Clock::now());
    std::size_t size = sub.carry_len + static_cast<std::size_t>(n);
    std::size_t scanned = 0;
    std::uint64_t found = 0;
    const char* next = nullptr;  // the next update, when it directly follows the last one
    for (;;) {
      const char* hit = next != nullptr
                            ? next
                            : static_cast<const char*>(
                                  memmem(buf + scanned, size - scanned, kKey.data(), kKey.size()));
      if (hit == nullptr) break;
      auto at = static_cast<std::size_t>(hit - buf);
      if (at + kCarry > size) break;
      scanned = at + kCarry;
      Record(t, sub, std::string_view(hit + kKey.size(), kIdLen), now, found);
      // Updates are `{"seat_id":…}` objects separated by commas: the next one usually starts
      // right after this one's closing brace, which spares a search.
      next = nullptr;
      const auto* close = static_cast<const char*>(memchr(buf + scanned, '}', size - scanned));
      if (close != nullptr && close + 3 + kKey.size() <= buf + size && close[1] == ',' &&
          close[2] == '{' && std::memcmp(close + 3, kKey.data(), kKey.size()) == 0) {
        next = close + 3;
      }
    }
    std::size_t keep_from = std::max(scanned, size > kCarry ? size - kCarry : 0);
    sub.carry_len = static_cast<std::uint32_t>(size - keep_from);
    std::memcpy(sub.carry.data(), buf + keep_from, sub.carry_len);
    if (found > 0) t.delivered.fetch_add(found, std::memory_order_relaxed);
  }

  // Every subscriber gets the same updates in the same (commit) order: the seat at a position is
  // looked up once, by whoever reads it first; the others only compare the id's tail with it.
  void Record(Thread& t, Sub& sub, std::string_view id, std::int64_t now, std::uint64_t& found) {
    std::size_t position = sub.position++;
    long seat = -1;
    if (position < order_.size()) {
      int expected = order_[position].load(std::memory_order_acquire);
      if (expected >= 0 && tails_[static_cast<std::size_t>(expected)] == SeatIndex::Tail(id)) {
        seat = expected;
      }
    }
    if (seat < 0) {
      seat = seats_.Find(id);
      if (seat < 0) return;
      if (position < order_.size()) {
        int unset = -1;
        order_[position].compare_exchange_strong(unset, static_cast<int>(seat));
      }
    }
    std::int64_t sent = sent_at_[static_cast<std::size_t>(seat)].load(std::memory_order_acquire);
    if (sent == 0) return;
    t.latency->Add(static_cast<double>(now - sent) / 1e6);
    if (reached_all_ != nullptr) {
      auto& last = (*reached_all_)[static_cast<std::size_t>(seat)];
      std::int64_t seen = last.load(std::memory_order_relaxed);
      while (now > seen && !last.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
      }
    }
    ++found;
  }

  int nap_us_;
  const SeatIndex& seats_;
  const std::vector<std::atomic<std::int64_t>>& sent_at_;
  std::vector<std::atomic<std::int64_t>>* reached_all_;
  std::vector<Sub> subs_;
  std::vector<std::atomic<int>> order_;  // seat index by position in the stream, -1 unknown
  std::vector<std::uint64_t> tails_;     // SeatIndex::Tail of every seat
  std::vector<std::unique_ptr<Thread>> threads_;
  std::atomic<bool> stop_{false}, finished_{false};
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
    seat_index_.Build(event_.seat_ids);
    security::JwtCodec jwt(options_.jwt_secret, std::chrono::seconds(1800));
    for (int h = 0; h < options_.holders; ++h) {
      std::string user = testing::CreateUser(
          *db, "fanout-" + domain::RandomHex(4) + "-" + std::to_string(h) + "@bench.example.com");
      tokens_.push_back(jwt.Issue({user, domain::Role::kUser}, domain::SystemClock().Now()).token);
    }
    sent_at_ = std::vector<std::atomic<std::int64_t>>(event_.seat_ids.size());
    answered_at_ = std::vector<std::int64_t>(event_.seat_ids.size());
    reached_all_ = std::vector<std::atomic<std::int64_t>>(event_.seat_ids.size());
    readers_ = std::make_unique<Readers>(options_.reader_threads, options_.reader_nap_us,
                                         options_.subscribers, seat_index_, sent_at_,
                                         options_.timeline > 0 ? &reached_all_ : nullptr);
    readers_->Start();
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

    server_cpu_ = CpuSeconds(options_.server_pid);
    own_cpu_ = CpuSeconds(getpid());
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
              sent_at_[mine].store(Nanos(Clock::now()), std::memory_order_release);
              Reply r = co_await c.Send(http::verb::post, "/api/v1/bookings", body,
                                        tokens_[static_cast<std::size_t>(h)]);
              hold_ms_.push_back(r.millis);
              answered_at_[mine] = Nanos(Clock::now());
              if (r.status != 201) ++hold_failures_;
            }
            ++holders_done;
          },
          asio::detached);
    }
    co_await WaitFor([&] { return holders_done == options_.holders; });
    burst_seconds_ = std::chrono::duration<double>(Clock::now() - burst_start).count();
    auto expected =
        static_cast<std::uint64_t>(connected_) * static_cast<std::uint64_t>(options_.changes);
    auto deadline = Clock::now() + std::chrono::seconds(30);
    co_await WaitFor([&] { return Clock::now() > deadline || readers_->delivered() >= expected; });
    delivery_seconds_ = std::chrono::duration<double>(Clock::now() - burst_start).count();
    server_cpu_ = CpuSeconds(options_.server_pid) - server_cpu_;
    own_cpu_ = CpuSeconds(getpid()) - own_cpu_;
    readers_->Finish();
    readers_->Stop();
  }

  void Report() const;

 private:
  void ReportTimeline() const;
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
    // From here a reader thread reads the raw stream; the handshake and the snapshot came before
    // any update, so Beast holds no unread bytes.
    readers_->Add(index, beast::get_lowest_layer(*ws).release_socket().release());
  }

  asio::io_context& io_;
  Options options_;
  asio::ip::tcp::endpoint endpoint_;
  testing::TestEvent event_;
  SeatIndex seat_index_;
  std::vector<std::string> tokens_;
  std::vector<std::atomic<std::int64_t>> sent_at_;      // steady-clock ns when the hold was sent
  std::vector<std::int64_t> answered_at_;               // ... when its answer came
  std::vector<std::atomic<std::int64_t>> reached_all_;  // ... when its last subscriber read it
  std::unique_ptr<Readers> readers_;
  std::vector<double> hold_ms_;
  long rss_before_ = 0, rss_after_ = 0;
  int connected_ = 0, connect_failures_ = 0, hold_failures_ = 0;
  double connect_seconds_ = 0, burst_seconds_ = 0, health_rps_ = 0;
  // From the first hold until every update was read (or the deadline): wall time, and the CPU
  // time the server and this generator used meanwhile (load-independent, unlike latency).
  double delivery_seconds_ = 0, server_cpu_ = 0, own_cpu_ = 0;
};

void FanOut::Report() const {
  std::unique_ptr<Histogram> latency_ptr = readers_->Latency();
  const Histogram& latency = *latency_ptr;
  int disconnects = readers_->disconnects();
  std::uint64_t expected =
      static_cast<std::uint64_t>(connected_) * static_cast<std::uint64_t>(options_.changes);
  std::uint64_t missed = expected > latency.count() ? expected - latency.count() : 0;
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
              latency.Percentile(50), latency.Percentile(99), latency.Percentile(99.9),
              latency.max());
  std::printf("  %-34s %10.2f s wall, CPU %.2f s server / %.2f s generator\n",
              "burst until all delivered", delivery_seconds_, server_cpu_, own_cpu_);
  std::printf("  %-34s %10llu of %llu (%llu missed), %d disconnects\n", "updates delivered",
              static_cast<unsigned long long>(latency.count()),
              static_cast<unsigned long long>(expected), static_cast<unsigned long long>(missed),
              disconnects);
  json::object summary{{"scenario", "fan-out"},
                       {"subscribers", connected_},
                       {"changes", options_.changes},
                       {"health_rps", health_rps_},
                       {"rss_per_connection_kib", per_conn},
                       {"burst_seconds", burst_seconds_},
                       {"delivery_ms", json::object{{"p50", latency.Percentile(50)},
                                                    {"p99", latency.Percentile(99)},
                                                    {"p999", latency.Percentile(99.9)},
                                                    {"max", latency.max()}}},
                       {"delivery_seconds", delivery_seconds_},
                       {"server_cpu_seconds", server_cpu_},
                       {"generator_cpu_seconds", own_cpu_},
                       {"delivered", latency.count()},
                       {"missed", missed},
                       {"disconnects", disconnects}};
  std::printf("JSON %s\n", json::serialize(summary).c_str());
  if (options_.timeline > 0) ReportTimeline();
}

void FanOut::ReportTimeline() const {
  auto changes = std::min(static_cast<std::size_t>(options_.changes), sent_at_.size());
  auto slices = std::min(static_cast<std::size_t>(options_.timeline), changes);
  if (slices == 0) return;
  std::int64_t start = sent_at_[0].load();
  auto ms = [](std::int64_t ns) { return static_cast<double>(ns) / 1e6; };
  auto median_and_max = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return std::pair{v[v.size() / 2], v.back()};
  };
  std::printf("\ntimeline: %zu slices of the burst, in the order the holds were sent (ms)\n",
              slices);
  std::printf("  %5s %9s %18s %28s\n", "slice", "sent at", "answer p50 / max",
              "reached everyone p50 / max");
  for (std::size_t k = 0; k < slices; ++k) {
    std::size_t from = changes * k / slices, to = changes * (k + 1) / slices;
    std::vector<double> answer, reached;
    for (std::size_t i = from; i < to; ++i) {
      std::int64_t sent = sent_at_[i].load();
      answer.push_back(ms(answered_at_[i] - sent));
      reached.push_back(ms(reached_all_[i].load() - sent));
    }
    auto [a50, amax] = median_and_max(answer);
    auto [r50, rmax] = median_and_max(reached);
    std::printf("  %5zu %9.1f %8.1f / %7.1f %17.1f / %8.1f\n", k, ms(sent_at_[from].load() - start),
                a50, amax, r50, rmax);
  }
}

}  // namespace evently::bench

int main(int argc, char** argv) {
  evently::bench::Options o;
  using evently::bench::Into;
  if (!evently::bench::ParseFlags(argc, argv, o,
                                  {{"--database-url", Into(o.database_url)},
                                   {"--subscribers", Into(o.subscribers)},
                                   {"--changes", Into(o.changes)},
                                   {"--holders", Into(o.holders)},
                                   {"--reader-threads", Into(o.reader_threads)},
                                   {"--reader-nap-us", Into(o.reader_nap_us)},
                                   {"--timeline", Into(o.timeline)}})) {
    return 2;
  }
  boost::asio::io_context io(1);
  auto bench = std::make_unique<evently::bench::FanOut>(io, o);  // the histogram is large
  bench->Prepare();
  if (!evently::bench::RunToEnd(io, bench->Run(), "fan_out")) return 1;
  bench->Report();
  return 0;
}
