// BENCH.md scenario 4, "growth": booking latency and dashboard latency with 0, 100k and 1M
// bookings stored. History is written straight into the store in bulk; the measurements go
// through the running server's HTTP API.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "options.hpp"
#include "setup.hpp"
#include "storage/history_generator.hpp"

namespace evently::bench {

struct Options : ServerOptions {
  std::string database_url;
  std::vector<std::int64_t> steps = {0, 100000, 1000000};
  int samples = 300;
  std::string label = "run";
};

struct StepResult {
  std::int64_t stored = 0;
  double generate_seconds = 0;
  double hold_p50 = 0, hold_p99 = 0, confirm_p50 = 0, dashboard_p50 = 0, dashboard_p99 = 0;
};

asio::awaitable<StepResult> Measure(asio::ip::tcp::endpoint endpoint, const Options& o,
                                    const std::string& admin_token, std::int64_t stored) {
  auto ex = co_await asio::this_coro::executor;
  HttpClient c(ex, endpoint);
  StepResult result;
  result.stored = stored;
  std::vector<Tier> tiers;
  tiers.push_back(Tier{"GA", 10, o.samples / 10 + 1, 25.0});
  std::string event = co_await CreateEvent(
      c, admin_token, "Growth " + o.label + " " + std::to_string(stored), tiers);
  std::vector<std::string> seats = SeatIdsOf(
      (co_await c.Send(http::verb::get, "/api/v1/events/" + event + "/seats?status=all")).body);
  auto tokens = co_await RegisterBuyers(endpoint, 1, 1, "growth-" + o.label);
  std::vector<double> holds, confirms, dashboards;
  for (int i = 0; i < o.samples && i < static_cast<int>(seats.size()); ++i) {
    json::object body{{"event_id", event}, {"seat_ids", json::array{json::string(seats[i])}}};
    Reply r =
        co_await c.Send(http::verb::post, "/api/v1/bookings", json::serialize(body), tokens[0]);
    if (r.status != 201) throw std::runtime_error("hold: " + r.body);
    holds.push_back(r.millis);
    std::string id(json::parse(r.body).at("data").at("booking").at("id").as_string());
    Reply cf = co_await c.Send(
        http::verb::post, "/api/v1/bookings/" + id + "/confirm",
        R"({"payment_method":"credit_card","payment_details":{"token":"tok_visa"}})", tokens[0]);
    if (cf.status != 200) throw std::runtime_error("confirm: " + cf.body);
    confirms.push_back(cf.millis);
  }
  auto today = domain::SystemClock().Now();
  std::string query = "/api/v1/admin/analytics/dashboard?start_date=" +
                      domain::FormatDate(today - std::chrono::days(365)) +
                      "&end_date=" + domain::FormatDate(today);
  for (int i = 0; i < 30; ++i) {
    Reply d = co_await c.Send(http::verb::get, query, {}, admin_token);
    if (d.status != 200) throw std::runtime_error("dashboard: " + d.body);
    dashboards.push_back(d.millis);
  }
  result.hold_p50 = Percentile(holds, 50);
  result.hold_p99 = Percentile(holds, 99);
  result.confirm_p50 = Percentile(confirms, 50);
  result.dashboard_p50 = Percentile(dashboards, 50);
  result.dashboard_p99 = Percentile(dashboards, 99);
  co_return result;
}

asio::awaitable<void> Run(const Options& o, std::vector<StepResult>& results) {
  auto ex = co_await asio::this_coro::executor;
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address(o.host), o.port);
  HttpClient admin(ex, endpoint);
  std::string token = co_await Login(admin, o.admin_email, o.admin_password);
  auto db = storage::OpenDatabase(o.database_url, {1, 30000});
  std::int64_t stored = 0;
  for (std::int64_t step : o.steps) {
    double seconds = 0;
    if (step > stored) {
      storage::HistoryOptions history;
      history.bookings = step - stored;
      history.until = domain::SystemClock().Now();
      history.seed = static_cast<std::uint32_t>(step);
      seconds = storage::GenerateHistory(*db, history).seconds;
      stored = step;
    }
    StepResult r = co_await Measure(endpoint, o, token, stored);
    r.generate_seconds = seconds;
    results.push_back(r);
    std::fprintf(stderr, "growth: %lld bookings stored, hold p50 %.2f ms, dashboard p50 %.2f ms\n",
                 static_cast<long long>(stored), r.hold_p50, r.dashboard_p50);
  }
}

}  // namespace evently::bench

int main(int argc, char** argv) {
  evently::bench::Options o;
  using evently::bench::Into;
  auto steps = [&o](const std::string& v) {
    o.steps.clear();
    std::stringstream ss(v);
    for (std::string part; std::getline(ss, part, ',');) o.steps.push_back(std::stoll(part));
  };
  if (!evently::bench::ParseFlags(argc, argv, o,
                                  {{"--database-url", Into(o.database_url)},
                                   {"--samples", Into(o.samples)},
                                   {"--label", Into(o.label)},
                                   {"--steps", steps}})) {
    return 2;
  }
  boost::asio::io_context io(1);
  std::vector<evently::bench::StepResult> results;
  if (!evently::bench::RunToEnd(io, evently::bench::Run(o, results), "growth")) return 1;
  double base = results.empty() ? 1 : std::max(0.001, results.front().hold_p50);
  std::printf("\ngrowth [%s]\n  %12s %10s %10s %10s %10s %12s %12s %8s\n", o.label.c_str(),
              "bookings", "gen s", "hold p50", "hold p99", "conf p50", "dash p50", "dash p99",
              "x empty");
  boost::json::array rows;
  for (const auto& r : results) {
    std::printf("  %12lld %10.1f %10.2f %10.2f %10.2f %12.2f %12.2f %8.2f\n",
                static_cast<long long>(r.stored), r.generate_seconds, r.hold_p50, r.hold_p99,
                r.confirm_p50, r.dashboard_p50, r.dashboard_p99, r.hold_p50 / base);
    rows.push_back(boost::json::object{{"bookings", r.stored},
                                       {"hold_p50_ms", r.hold_p50},
                                       {"hold_p99_ms", r.hold_p99},
                                       {"confirm_p50_ms", r.confirm_p50},
                                       {"dashboard_p50_ms", r.dashboard_p50},
                                       {"dashboard_p99_ms", r.dashboard_p99},
                                       {"hold_p50_vs_empty", r.hold_p50 / base}});
  }
  std::printf("JSON %s\n",
              boost::json::serialize(
                  boost::json::object{{"scenario", "growth"}, {"label", o.label}, {"steps", rows}})
                  .c_str());
  return 0;
}
