// BENCH.md scenario 1, "flash-sale": N users with tokens storm one 10,000-seat event; each picks
// 1-4 seats it believes free, holds, confirms with the sandbox token, and picks again on 409.
// Reports throughput, per-operation latency, 5xx, and the store's invariants at the end.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <unordered_map>

#include "buyer.hpp"
#include "domain/ids.hpp"
#include "domain/time.hpp"
#include "http_client.hpp"
#include "options.hpp"
#include "proc_stats.hpp"
#include "setup.hpp"
#include "storage/invariants.hpp"

namespace evently::bench {
using Clock = std::chrono::steady_clock;

// server_pid, when given: the server's CPU during the storm, per request.
struct Options : ServerOptions {
  std::string database_url;  // for the invariant check, straight from the store
  int users = 1000;
  int connections = 0;  // 0: one per user, all users in flight at once
  int seconds = 60;
  std::string label = "run";
};

struct Stats : SaleStats {
  std::vector<double> health_ms;
  double health_rps = 0;
};

class FlashSale {
 public:
  FlashSale(asio::io_context& io, Options options)
      : io_(io),
        options_(std::move(options)),
        endpoint_(asio::ip::make_address(options_.host), options_.port) {}

  asio::awaitable<void> Run() {
    HttpClient admin(io_.get_executor(), endpoint_);
    admin_token_ = co_await Login(admin, options_.admin_email, options_.admin_password);
    // 10,000 seats in four tiers (a named local: g++ 12 mishandles braced temporaries in co_await).
    std::vector<Tier> tiers = FourTiers(10000);
    event_id_ = co_await CreateEvent(admin, admin_token_, "Flash Sale " + options_.label, tiers);
    tokens_ = co_await RegisterBuyers(endpoint_, options_.users, 32, "fs-" + options_.label);
    capacity_ = co_await LoadFreeSeats(admin, event_id_, free_);
    co_await MeasureHealth();
    auto started = Clock::now();
    if (options_.server_pid > 0) server_cpu_ = CpuSeconds(options_.server_pid);
    deadline_ = started + std::chrono::seconds(options_.seconds);
    int connections =
        options_.connections > 0 ? std::min(options_.connections, options_.users) : options_.users;
    running_ = connections;
    for (int c = 0; c < connections; ++c) {
      asio::co_spawn(io_, Connection(c, connections), asio::detached);
    }
    asio::steady_timer timer(io_);
    while (running_ > 0) {
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(asio::use_awaitable);
    }
    storm_seconds_ = std::chrono::duration<double>(Clock::now() - started).count();
    if (options_.server_pid > 0) server_cpu_ = CpuSeconds(options_.server_pid) - server_cpu_;
  }

  void Report();

 private:
  asio::awaitable<void> MeasureHealth() {
    int done = 0;
    long count = 0;
    auto until = Clock::now() + std::chrono::seconds(3);
    for (int w = 0; w < 64; ++w) {
      asio::co_spawn(
          io_,
          [&]() -> asio::awaitable<void> {
            HttpClient c(io_.get_executor(), endpoint_);
            while (Clock::now() < until) {
              Reply r = co_await c.Send(http::verb::get, "/health");
              if (r.status == 200) ++count;
              stats_.health_ms.push_back(r.millis);
            }
            ++done;
          },
          asio::detached);
    }
    asio::steady_timer timer(io_);
    while (done < 64) {
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(asio::use_awaitable);
    }
    stats_.health_rps = static_cast<double>(count) / 3.0;
  }

  // One keep-alive connection carrying users c, c + stride, c + 2 * stride, ... in turn: each
  // request is sent as the next of those users (its own token), as a load balancer or HTTP/2
  // gateway in front of many browsers would.
  asio::awaitable<void> Connection(int first, int stride) {
    HttpClient c(io_.get_executor(), endpoint_);
    std::mt19937 rng(static_cast<unsigned>(first * 7919 + 17));
    int user = first;
    while (!sold_out_ && Clock::now() < deadline_ && free_.size() > 0) {
      const std::string& token = tokens_[static_cast<std::size_t>(user)];
      user = user + stride < options_.users ? user + stride : first;
      std::vector<std::string> pick = free_.Pick(rng, 1 + rng() % 4);
      HoldResult r = co_await HoldAndConfirm(c, event_id_, pick, token, free_, stats_);
      if (r.outcome == HoldOutcome::kSoldOut) sold_out_ = true;
    }
    --running_;
  }

  asio::io_context& io_;
  Options options_;
  asio::ip::tcp::endpoint endpoint_;
  std::string admin_token_;
  std::string event_id_;
  std::vector<std::string> tokens_;
  FreeSeats free_;
  long capacity_ = 0;
  bool sold_out_ = false;
  int running_ = 0;
  Clock::time_point deadline_;
  double storm_seconds_ = 0;
  double server_cpu_ = 0;  // CPU seconds the server used during the storm
  Stats stats_;
};

void FlashSale::Report() {
  storage::InvariantReport inv;
  bool checked = false;
  if (!options_.database_url.empty()) {
    auto db = storage::OpenDatabase(options_.database_url, {1, 10000});
    inv = storage::CheckBookingInvariants(*db, event_id_);
    checked = true;
  }
  double secs = storm_seconds_ > 0 ? storm_seconds_ : 1;
  double attempts_rps = static_cast<double>(stats_.attempts) / secs;
  double seats_rps = static_cast<double>(stats_.seats_held) / secs;
  double confirms_rps = static_cast<double>(stats_.confirmed) / secs;
  double h50 = Percentile(stats_.hold_ms, 50), h99 = Percentile(stats_.hold_ms, 99),
         h999 = Percentile(stats_.hold_ms, 99.9);
  double c50 = Percentile(stats_.confirm_ms, 50), c99 = Percentile(stats_.confirm_ms, 99),
         c999 = Percentile(stats_.confirm_ms, 99.9);
  std::printf("\nflash-sale [%s]: %d users on %d connections, %ld seats, %.2f s storm\n",
              options_.label.c_str(), options_.users,
              options_.connections > 0 ? options_.connections : options_.users, capacity_, secs);
  std::printf("  %-26s %12.0f\n", "/health req/s (ceiling)", stats_.health_rps);
  std::printf("  %-26s %12.0f  (%.1f%% of /health)\n", "booking attempts/s", attempts_rps,
              100.0 * attempts_rps / std::max(1.0, stats_.health_rps));
  std::printf("  %-26s %12.0f\n", "seats held/s", seats_rps);
  std::printf("  %-26s %12.0f\n", "confirms/s", confirms_rps);
  std::printf("  %-26s %8.2f / %8.2f / %8.2f ms\n", "hold p50/p99/p99.9", h50, h99, h999);
  std::printf("  %-26s %8.2f / %8.2f / %8.2f ms\n", "confirm p50/p99/p99.9", c50, c99, c999);
  std::printf("  %-26s %ld held, %ld conflicts, %ld sold-out answers, %ld other, %ld 5xx\n",
              "outcomes", stats_.held, stats_.conflicts, stats_.sold_out, stats_.other,
              stats_.server_errors);
  // Requests answered during the storm: every attempt and every confirmation.
  long requests = stats_.attempts + stats_.held;
  double cpu_us_per_request =
      requests > 0 ? 1e6 * server_cpu_ / static_cast<double>(requests) : 0.0;
  if (options_.server_pid > 0) {
    std::printf("  %-26s %.2f s (%.2f cores), %.0f us per request\n", "server CPU in the storm",
                server_cpu_, server_cpu_ / secs, cpu_us_per_request);
  }
  if (checked) PrintInvariants(inv, 26);
  json::object summary{
      {"scenario", "flash-sale"},
      {"label", options_.label},
      {"users", options_.users},
      {"connections", options_.connections > 0 ? options_.connections : options_.users},
      {"seats", capacity_},
      {"storm_seconds", secs},
      {"health_rps", stats_.health_rps},
      {"attempts_per_s", attempts_rps},
      {"seats_held_per_s", seats_rps},
      {"confirms_per_s", confirms_rps},
      {"hold_ms", json::object{{"p50", h50}, {"p99", h99}, {"p999", h999}}},
      {"confirm_ms", json::object{{"p50", c50}, {"p99", c99}, {"p999", c999}}},
      {"server_errors", stats_.server_errors},
      {"server_cpu_seconds",
       options_.server_pid > 0 ? json::value(server_cpu_) : json::value(nullptr)},
      {"server_cpu_us_per_request",
       options_.server_pid > 0 ? json::value(cpu_us_per_request) : json::value(nullptr)},
      {"invariants_ok", checked ? json::value(inv.ok()) : json::value(nullptr)},
      {"booked", inv.booked},
      {"held", inv.held},
      {"available", inv.available}};
  std::printf("JSON %s\n", json::serialize(summary).c_str());
}

}  // namespace evently::bench

int main(int argc, char** argv) {
  evently::bench::Options o;
  using evently::bench::Into;
  if (!evently::bench::ParseFlags(argc, argv, o,
                                  {{"--database-url", Into(o.database_url)},
                                   {"--users", Into(o.users)},
                                   {"--connections", Into(o.connections)},
                                   {"--seconds", Into(o.seconds)},
                                   {"--label", Into(o.label)}})) {
    return 2;
  }
  boost::asio::io_context io(1);
  evently::bench::FlashSale sale(io, o);
  if (!evently::bench::RunToEnd(io, sale.Run(), "flash_sale")) return 1;
  sale.Report();
  return 0;
}
