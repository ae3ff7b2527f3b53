// BENCH.md scenario 5, "rush": the on-sale day. A sale with the waiting room on; half the users
// join in the span before its start, half in the first second after it; each polls its ticket
// (GET /events/{id}/queue, when its position says its turn comes, clamped) and, once admitted,
// buys like the flash sale with the admission token. Reports joins, admissions against the rate,
// admitted users' holds, time to sold out against the engine's own rate (flash_sale's seats
// held/s on the same server, from --engine-report), the admission order as the store recorded
// it, seats per user, 5xx, the store's invariants and the server's RSS per waiting ticket.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <unordered_map>

#include "buyer.hpp"
#include "domain/queue/queue.hpp"
#include "domain/time.hpp"
#include "http_client.hpp"
#include "options.hpp"
#include "proc_stats.hpp"
#include "setup.hpp"
#include "storage/invariants.hpp"

namespace evently::bench {
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Options : ServerOptions {
  std::string database_url;   // for the invariants and the admission record, from the store
  std::string engine_report;  // bench/flash_sale's output against the same server
  int users = 20000;
  int seats = 10000;  // a multiple of 100
  int limit = 4;      // max_tickets_per_user
  int pre_start_seconds = 30;
  int post_start_ms = 1000;
  int admit_per_minute = 0;  // 0: admit_share of the engine's rate, in users
  double admit_share = 0.8;
  int connections = 256;  // keep-alive connections all users' requests share
  int poll_min_ms = 100;
  int poll_max_ms = 5000;
  int seconds = 120;  // the sale's bound, from its start
  std::string label = "run";
};

// A user buys 1 to min(4, limit) seats, evenly: what an admission is worth in seats on average.
constexpr int kMostWanted = 4;
int MostWanted(const Options& o) { return std::min(kMostWanted, o.limit); }
double SeatsPerBuyer(const Options& o) { return (1.0 + MostWanted(o)) / 2.0; }

// The engine's own rate: seats held/s in the flash sale's summary line ("JSON {...}").
struct EngineRate {
  double seats_per_s = 0;
};

EngineRate ReadEngineReport(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("JSON ")) continue;
    json::value v = json::parse(line.substr(5));
    if (v.at("scenario").as_string() != "flash-sale") continue;
    return {v.at("seats_held_per_s").to_number<double>()};
  }
  throw std::runtime_error("no flash-sale summary in " + path);
}

struct Ticket {
  std::string id;
  std::string status;
  std::int64_t position = 0;  // while waiting
  std::string admission_token;
};

Ticket ReadTicket(const std::string& body) {
  json::value v = json::parse(body);
  const json::object& t = v.at("data").as_object();
  Ticket ticket{std::string(t.at("ticket_id").as_string()),
                std::string(t.at("status").as_string())};
  if (const auto* position = t.if_contains("position"); position && position->is_int64()) {
    ticket.position = position->as_int64();
  }
  if (const auto* token = t.if_contains("admission_token"); token && token->is_string()) {
    ticket.admission_token = std::string(token->as_string());
  }
  return ticket;
}

struct Buyer {
  std::string token;
  Clock::time_point join_at;
  bool before_start = false;  // planned to join before the sale start
  std::string ticket_id;
  std::string final_status;  // the ticket's status when the buyer stopped waiting
  long seats = 0;
  std::optional<std::int64_t> saw_admission_ms;  // wall clock when a poll first showed it
};

// The order the contract promises, checked on the store's record (milliseconds): tickets that
// joined before the sale start are admitted before any later one (in a random order among
// themselves), later ones in their joining order. A pair "in order" was admitted no later than
// the ticket promised to come after it (the same admission round counts as in order); a
// ticket never admitted counts as last. Pairs where neither was admitted are left out.
struct OrderFigures {
  long early_vs_late_pairs = 0, early_vs_late_wrong = 0;
  long late_pairs = 0, late_wrong = 0;
  long early_pairs = 0, early_in_join_order = 0;  // both admitted, different rounds
  double Share(long pairs, long wrong) const {
    return pairs > 0 ? 1.0 - static_cast<double>(wrong) / static_cast<double>(pairs) : 1.0;
  }
};

OrderFigures CheckOrder(const storage::QueueRecord& record) {
  constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
  struct Entry {
    std::int64_t joined, admitted;
  };
  std::vector<Entry> early, late;  // by joining time (the record's order)
  std::int64_t start = record.sale_starts_at_ms.value_or(0);
  for (const auto& t : record.tickets) {
    (t.joined_at_ms < start ? early : late)
        .push_back({t.joined_at_ms, t.admitted_at_ms.value_or(kNever)});
  }
  OrderFigures f;
  for (const Entry& e : early) {
    for (const Entry& l : late) {
      if (e.admitted == kNever && l.admitted == kNever) continue;
      ++f.early_vs_late_pairs;
      if (e.admitted > l.admitted) ++f.early_vs_late_wrong;
    }
  }
  for (std::size_t i = 0; i < late.size(); ++i) {
    for (std::size_t j = i + 1; j < late.size(); ++j) {
      if (late[i].joined == late[j].joined) continue;  // joined in the same millisecond
      if (late[i].admitted == kNever && late[j].admitted == kNever) continue;
      ++f.late_pairs;
      if (late[i].admitted > late[j].admitted) ++f.late_wrong;
    }
  }
  for (std::size_t i = 0; i < early.size(); ++i) {
    for (std::size_t j = i + 1; j < early.size(); ++j) {
      const Entry &a = early[i], &b = early[j];
      if (a.joined == b.joined || a.admitted == kNever || b.admitted == kNever ||
          a.admitted == b.admitted) {
        continue;
      }
      ++f.early_pairs;
      if (a.admitted < b.admitted) ++f.early_in_join_order;
    }
  }
  return f;
}

// Admissions as the store recorded them, against the configured rate. The allowance is the
// contract's floor(rate × elapsed / 1 min) written out again here on purpose, not
// domain::AllowedAdmissions: a check that called the code it checks would check nothing.
struct RateFigures {
  long admitted = 0;
  double span_s = 0;        // sale start to the last admission
  double per_s = 0;         // admitted / span
  long busiest_second = 0;  // most admissions in one whole second after the start
  long over_allowance = 0;  // most admissions ahead of floor(rate × elapsed / 1 min) at any time
};

RateFigures CheckRate(const storage::QueueRecord& record, std::int64_t admit_per_minute) {
  RateFigures f;
  std::int64_t start = record.sale_starts_at_ms.value_or(0);
  std::vector<std::int64_t> at;
  for (const auto& t : record.tickets) {
    if (t.admitted_at_ms) at.push_back(*t.admitted_at_ms);
  }
  std::sort(at.begin(), at.end());
  f.admitted = static_cast<long>(at.size());
  if (at.empty()) return f;
  f.span_s = static_cast<double>(at.back() - start) / 1000.0;
  f.per_s = f.span_s > 0 ? static_cast<double>(f.admitted) / f.span_s : 0;
  std::map<std::int64_t, long> by_second;
  for (std::size_t i = 0; i < at.size(); ++i) {
    ++by_second[(at[i] - start) / 1000];
    if (i + 1 < at.size() && at[i + 1] == at[i]) continue;  // the round's last
    std::int64_t allowed = admit_per_minute * std::max<std::int64_t>(0, at[i] - start) / 60'000;
    f.over_allowance =
        std::max(f.over_allowance, static_cast<long>(i + 1) - static_cast<long>(allowed));
  }
  for (const auto& [_, n] : by_second) f.busiest_second = std::max(f.busiest_second, n);
  return f;
}

class Rush {
 public:
  Rush(asio::io_context& io, Options options)
      : io_(io),
        options_(std::move(options)),
        endpoint_(asio::ip::make_address(options_.host), options_.port),
        rng_(20240917) {}

  asio::awaitable<void> Run() {
    if (!options_.engine_report.empty()) engine_ = ReadEngineReport(options_.engine_report);
    admit_per_minute_ = AdmitPerMinute();
    HttpClient admin(io_.get_executor(), endpoint_);
    admin_token_ = co_await Login(admin, options_.admin_email, options_.admin_password);
    std::vector<Tier> tiers = FourTiers(options_.seats);
    // Sale start an hour ahead for now: moved to just after the joins' span once all is set.
    json::object terms{{"sale_starts_at",
                        domain::FormatRfc3339(domain::SystemClock().Now() + std::chrono::hours(1))},
                       {"max_tickets_per_user", options_.limit},
                       {"queue", json::object{{"enabled", true},
                                              {"admit_per_minute", admit_per_minute_},
                                              {"window_seconds", 600},
                                              {"opens_before_seconds", 3600}}}};
    event_id_ = co_await CreateEvent(admin, admin_token_, "Rush " + options_.label, tiers, terms);
    capacity_ = co_await LoadFreeSeats(admin, event_id_, free_);
    auto registering = Clock::now();
    std::vector<std::string> tokens =
        co_await RegisterBuyers(endpoint_, options_.users, 32, "rush-" + options_.label);
    register_s_ = std::chrono::duration<double>(Clock::now() - registering).count();
    health_rps_ = co_await HealthRps(endpoint_, std::chrono::seconds(3), 64);
    pool_ = std::make_unique<ClientPool>(io_.get_executor(), endpoint_, options_.connections);
    co_await WarmPool();
    if (options_.server_pid > 0) rss_before_kib_ = RssKib(options_.server_pid);
    co_await StartSaleSoon(admin);
    Plan(std::move(tokens));
    running_ = static_cast<int>(buyers_.size());
    for (std::size_t u = 0; u < buyers_.size(); ++u) asio::co_spawn(io_, Shop(u), asio::detached);
    co_await MeasureAtStart();
    asio::steady_timer timer(io_);
    while (running_ > 0) {
      timer.expires_after(milliseconds(20));
      co_await timer.async_wait(asio::use_awaitable);
    }
    sale_s_ = std::chrono::duration<double>(Clock::now() - start_).count();
    if (options_.server_pid > 0) server_cpu_ = CpuSeconds(options_.server_pid) - server_cpu_;
    Reply summary = co_await admin.Send(
        http::verb::get, "/api/v1/admin/events/" + event_id_ + "/queue", {}, admin_token_);
    if (summary.status == 200) queue_summary_ = json::parse(summary.body).at("data").as_object();
  }

  // Prints the figures; false when the sale broke a promise (5xx, oversell, a limit exceeded).
  bool Report();

 private:
  std::int64_t AdmitPerMinute() const {
    if (options_.admit_per_minute > 0) return options_.admit_per_minute;
    if (engine_.seats_per_s <= 0) {
      throw std::runtime_error(
          "--admit-per-minute or --engine-report (flash_sale's output) needed");
    }
    double users_per_s = options_.admit_share * engine_.seats_per_s / SeatsPerBuyer(options_);
    return std::clamp<std::int64_t>(std::llround(users_per_s * 60.0), 1,
                                    domain::kMaxAdmitPerMinute);
  }

  // Every pooled connection opened and used once, so the RSS baseline has them.
  asio::awaitable<void> WarmPool() {
    int done = 0;
    for (int c = 0; c < pool_->size(); ++c) {
      asio::co_spawn(
          io_,
          [&]() -> asio::awaitable<void> {
            co_await pool_->Send(http::verb::get, "/health");
            ++done;
          },
          asio::detached);
    }
    asio::steady_timer timer(io_);
    while (done < pool_->size()) {
      timer.expires_after(milliseconds(5));
      co_await timer.async_wait(asio::use_awaitable);
    }
  }

  // Moves the sale start to the first whole second after the joins' span (the API has seconds).
  asio::awaitable<void> StartSaleSoon(HttpClient& admin) {
    auto now = domain::SystemClock().Now();
    auto sale = std::chrono::ceil<std::chrono::seconds>(
        now + std::chrono::seconds(options_.pre_start_seconds) + std::chrono::seconds(1));
    json::object body{{"sale_starts_at", domain::FormatRfc3339(sale)}};
    Reply r = co_await admin.Send(http::verb::put, "/api/v1/admin/events/" + event_id_,
                                  json::serialize(body), admin_token_);
    if (r.status != 200) throw std::runtime_error("moving the sale start: " + r.body);
    start_ = Clock::now() + (sale - domain::SystemClock().Now());
    deadline_ = start_ + std::chrono::seconds(options_.seconds);
  }

  // Half the buyers join at random in the span before the start (up to 100 ms before it), the
  // others at random in the first post_start_ms after it.
  void Plan(std::vector<std::string> tokens) {
    int pre_ms = options_.pre_start_seconds * 1000;
    std::uniform_int_distribution<int> before(-pre_ms, -100);
    std::uniform_int_distribution<int> after(0, std::max(0, options_.post_start_ms - 1));
    for (std::size_t u = 0; u < tokens.size(); ++u) {
      Buyer b;
      b.token = std::move(tokens[u]);
      b.before_start = u < tokens.size() / 2;
      b.join_at = start_ + milliseconds(b.before_start ? before(rng_) : after(rng_));
      buyers_.push_back(std::move(b));
    }
  }

  // The server's RSS with the early joiners waiting, just before the start; then its CPU from
  // the start.
  asio::awaitable<void> MeasureAtStart() {
    asio::steady_timer timer(io_, start_ - milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
    waiting_at_start_ = joined_;
    if (options_.server_pid > 0) {
      rss_at_start_kib_ = RssKib(options_.server_pid);
      server_cpu_ = CpuSeconds(options_.server_pid);
    }
  }

  asio::awaitable<void> SleepUntil(Clock::time_point at) {
    asio::steady_timer timer(io_, at);
    co_await timer.async_wait(asio::use_awaitable);
  }

  void CountAnswer(const Reply& r) {
    if (r.status >= 500 || r.status == 0) ++server_errors_;
  }

  // When to look again, from the sale start or now: when the ticket's position says its turn
  // comes (position / admission rate: the server's estimated_wait_seconds unrounded, as a page
  // that knows the event's rate would compute it), clamped to [poll_min, poll_max], plus up to
  // 10 % at random so that tickets with the same estimate do not poll in step.
  milliseconds NextPoll(const Ticket& t) {
    auto turn = milliseconds(t.position * 60'000 / std::max<std::int64_t>(1, admit_per_minute_));
    auto wait =
        std::clamp(turn, milliseconds(options_.poll_min_ms), milliseconds(options_.poll_max_ms));
    return wait + milliseconds(static_cast<std::int64_t>(rng_() % 100) * wait.count() / 1000);
  }

  // One buyer: join, wait (polling), buy once admitted.
  asio::awaitable<void> Shop(std::size_t u) {
    Buyer& b = buyers_[u];
    co_await SleepUntil(b.join_at);
    std::string path = "/api/v1/events/" + event_id_ + "/queue";
    auto sent = Clock::now();
    Reply r = co_await pool_->Send(http::verb::post, path, {}, b.token);
    CountAnswer(r);
    join_ms_.push_back(r.millis);
    if (!b.before_start) {
      first_late_join_ = std::min(first_late_join_, sent);
      last_late_join_ = std::max(last_late_join_, Clock::now());
      ++late_joins_;
    }
    std::optional<Ticket> ticket;
    if (r.status == 200 || r.status == 201) {
      ++joined_;
      ticket = ReadTicket(r.body);
      b.ticket_id = ticket->id;
    } else {
      ++join_refusals_[r.status == 409
                           ? std::string(json::parse(r.body).at("error").at("code").as_string())
                           : std::to_string(r.status)];
    }
    while (ticket && ticket->status == "waiting" && Clock::now() < deadline_) {
      co_await SleepUntil(std::max(Clock::now(), start_) + NextPoll(*ticket));
      Reply p = co_await pool_->Send(http::verb::get, path, {}, b.token);
      ++polls_;
      poll_ms_.push_back(p.millis);
      CountAnswer(p);
      if (p.status == 200) {
        ticket = ReadTicket(p.body);
      } else if (p.retry_after > 0) {
        co_await SleepUntil(Clock::now() + std::chrono::seconds(p.retry_after));
      } else if (p.status < 500 && p.status != 0) {
        ++poll_refusals_;
        break;
      }
    }
    if (ticket) b.final_status = ticket->status;
    if (ticket && ticket->status == "admitted") {
      b.saw_admission_ms = domain::ToEpochMillis(domain::SystemClock().Now());
      co_await Buy(b, ticket->admission_token);
    }
    --running_;
  }

  // The flash sale's turn with the admission token: 1-4 seats, picking again on 409.
  asio::awaitable<void> Buy(Buyer& b, const std::string& admission) {
    std::size_t want = 1 + rng_() % static_cast<unsigned>(MostWanted(options_));
    while (free_.size() > 0 && Clock::now() < deadline_) {
      std::vector<std::string> pick = free_.Pick(rng_, want);
      Headers headers{{"X-Queue-Token", admission}};
      HoldResult r =
          co_await HoldAndConfirm(*pool_, event_id_, pick, b.token, free_, sale_, headers);
      if (r.outcome == HoldOutcome::kHeld) {
        b.seats += static_cast<long>(pick.size());
        last_hold_ = Clock::now();
        break;
      }
      if (r.outcome == HoldOutcome::kTaken) continue;
      if (r.outcome == HoldOutcome::kRefused) ++hold_refusals_[r.code];
      break;
    }
  }

  asio::io_context& io_;
  Options options_;
  asio::ip::tcp::endpoint endpoint_;
  std::mt19937 rng_;
  EngineRate engine_;
  std::int64_t admit_per_minute_ = 0;
  std::string admin_token_, event_id_;
  FreeSeats free_;
  long capacity_ = 0;
  double register_s_ = 0, health_rps_ = 0;
  std::unique_ptr<ClientPool> pool_;
  std::vector<Buyer> buyers_;
  Clock::time_point start_, deadline_;
  Clock::time_point first_late_join_ = Clock::time_point::max(), last_late_join_{};
  std::optional<Clock::time_point> last_hold_;
  int running_ = 0;
  long joined_ = 0, late_joins_ = 0, waiting_at_start_ = 0, polls_ = 0, poll_refusals_ = 0;
  long server_errors_ = 0;  // joins and polls; the holds' are in sale_
  std::map<std::string, long> join_refusals_, hold_refusals_;
  std::vector<double> join_ms_, poll_ms_;
  SaleStats sale_;
  long rss_before_kib_ = 0, rss_at_start_kib_ = 0;
  double server_cpu_ = 0, sale_s_ = 0;
  json::object queue_summary_;
};

std::string Counts(const std::map<std::string, long>& counts) {
  std::string out;
  for (const auto& [name, n] : counts)
    out += (out.empty() ? "" : ", ") + name + " " + std::to_string(n);
  return out.empty() ? "none" : out;
}

bool Rush::Report() {
  auto db = storage::OpenDatabase(options_.database_url, {1, 10000});
  storage::InvariantReport inv = storage::CheckBookingInvariants(*db, event_id_);
  storage::QueueRecord record = storage::ReadQueueRecord(*db, event_id_);
  OrderFigures order = CheckOrder(record);
  RateFigures rate = CheckRate(record, admit_per_minute_);
  std::unordered_map<std::string, std::int64_t> admitted_at;  // by ticket id
  for (const auto& t : record.tickets) {
    if (t.admitted_at_ms) admitted_at[t.ticket_id] = *t.admitted_at_ms;
  }
  std::vector<double> seen_after_ms;  // admission to the poll that showed it
  std::map<long, long> seats_per_user;
  std::map<std::string, long> final_status;
  long max_seats = 0;
  for (const Buyer& b : buyers_) {
    if (b.seats > 0) ++seats_per_user[b.seats];
    max_seats = std::max(max_seats, b.seats);
    ++final_status[b.final_status.empty() ? "not joined" : b.final_status];
    auto it = admitted_at.find(b.ticket_id);
    if (b.saw_admission_ms && it != admitted_at.end()) {
      seen_after_ms.push_back(static_cast<double>(*b.saw_admission_ms - it->second));
    }
  }
  double late_span = late_joins_ > 0
                         ? std::chrono::duration<double>(last_late_join_ - first_late_join_).count()
                         : 0;
  double late_rps = late_span > 0 ? static_cast<double>(late_joins_) / late_span : 0;
  double sold_out_s = last_hold_ && inv.available == 0
                          ? std::chrono::duration<double>(*last_hold_ - start_).count()
                          : -1;
  double engine_s =
      engine_.seats_per_s > 0 ? static_cast<double>(capacity_) / engine_.seats_per_s : 0;
  long errors = server_errors_ + sale_.server_errors;
  long bytes_per_ticket =
      waiting_at_start_ > 0 ? (rss_at_start_kib_ - rss_before_kib_) * 1024 / waiting_at_start_ : 0;
  double j50 = Percentile(join_ms_, 50), j99 = Percentile(join_ms_, 99);
  double h50 = Percentile(sale_.hold_ms, 50), h99 = Percentile(sale_.hold_ms, 99),
         h999 = Percentile(sale_.hold_ms, 99.9);
  double c99 = Percentile(sale_.confirm_ms, 99);
  double p50 = Percentile(poll_ms_, 50), p99 = Percentile(poll_ms_, 99);
  double s50 = Percentile(seen_after_ms, 50), s99 = Percentile(seen_after_ms, 99);
  double configured_per_s = static_cast<double>(admit_per_minute_) / 60.0;

  std::printf(
      "\nrush [%s]: %d users on %d connections, %ld seats, limit %d, %d s before the start\n",
      options_.label.c_str(), options_.users, options_.connections, capacity_, options_.limit,
      options_.pre_start_seconds);
  std::printf("  %-30s %d in %.1f s (register through the API, fast password hash)\n", "buyers",
              options_.users, register_s_);
  std::printf("  %-30s %12.0f\n", "/health req/s (ceiling)", health_rps_);
  std::printf("  %-30s %ld joined; p50 %.2f ms, p99 %.2f ms; refused: %s\n", "joins", joined_, j50,
              j99, Counts(join_refusals_).c_str());
  std::printf("  %-30s %12.0f  (%ld in %.3f s, offered %.0f/s; %.1f%% of /health)\n",
              "joins/s after the start", late_rps, late_joins_, late_span,
              static_cast<double>(options_.users - options_.users / 2) * 1000.0 /
                  std::max(1, options_.post_start_ms),
              100.0 * late_rps / std::max(1.0, health_rps_));
  std::printf("  %-30s %ld polls, %.0f/s over the sale; p50 %.2f ms, p99 %.2f ms; %ld refused\n",
              "polls", polls_, static_cast<double>(polls_) / std::max(0.001, sale_s_), p50, p99,
              poll_refusals_);
  std::printf(
      "  %-30s %ld in %.2f s = %.0f/s against %.0f/s configured (%lld/min%s); busiest "
      "second %ld; over the allowance at most %ld\n",
      "admissions (store)", rate.admitted, rate.span_s, rate.per_s, configured_per_s,
      static_cast<long long>(admit_per_minute_),
      options_.admit_per_minute > 0 ? "" : ", auto: share of the engine's rate",
      rate.busiest_second, rate.over_allowance);
  std::printf("  %-30s p50 %.0f ms, p99 %.0f ms\n", "admission to the poll seeing it", s50, s99);
  std::printf(
      "  %-30s %8.2f / %8.2f / %8.2f ms  (%ld attempts, %ld held, %ld taken); confirm p99 "
      "%.2f ms; refused: %s\n",
      "admitted holds p50/p99/p99.9", h50, h99, h999, sale_.attempts, sale_.held, sale_.conflicts,
      c99, Counts(hold_refusals_).c_str());
  if (sold_out_s >= 0) {
    std::printf(
        "  %-30s %.2f s from the start; the engine's own %.2f s (%ld seats at %.0f "
        "seats held/s, flash sale in this run): %.2fx\n",
        "sold out", sold_out_s, engine_s, capacity_, engine_.seats_per_s,
        engine_s > 0 ? sold_out_s / engine_s : 0.0);
  } else {
    std::printf("  %-30s NOT sold out (%lld seats left)\n", "sold out",
                static_cast<long long>(inv.available));
  }
  std::printf(
      "  %-30s early before later: %.2f%% of %ld pairs; later FIFO: %.2f%% of %ld pairs; "
      "early in join order: %.1f%% of %ld (random: ~50%%)\n",
      "admission order (store)",
      100.0 * order.Share(order.early_vs_late_pairs, order.early_vs_late_wrong),
      order.early_vs_late_pairs, 100.0 * order.Share(order.late_pairs, order.late_wrong),
      order.late_pairs,
      order.early_pairs > 0 ? 100.0 * static_cast<double>(order.early_in_join_order) /
                                  static_cast<double>(order.early_pairs)
                            : 0.0,
      order.early_pairs);
  std::string spread;
  for (const auto& [n, users] : seats_per_user)
    spread += " " + std::to_string(n) + ":" + std::to_string(users);
  std::printf("  %-30s max %ld (store %lld, the event's limit %lld); users by seats%s\n",
              "seats per user", max_seats, static_cast<long long>(inv.max_seats_per_user),
              static_cast<long long>(inv.per_user_limit), spread.c_str());
  std::printf("  %-30s %s; server: %s\n", "tickets at the end", Counts(final_status).c_str(),
              json::serialize(queue_summary_).c_str());
  std::printf("  %-30s %ld\n", "5xx", errors);
  PrintInvariants(inv, 30);
  if (options_.server_pid > 0) {
    std::printf("  %-30s %ld KiB -> %ld KiB with %ld waiting: %ld bytes per waiting ticket\n",
                "server RSS", rss_before_kib_, rss_at_start_kib_, waiting_at_start_,
                bytes_per_ticket);
    std::printf("  %-30s %.2f s (%.2f cores) over %.2f s from the start\n", "server CPU",
                server_cpu_, server_cpu_ / std::max(0.001, sale_s_), sale_s_);
  }
  const std::vector<double>& waits = pool_->waits_ms();
  std::printf(
      "  %-30s %zu requests found all connections busy; waited p50 %.2f ms, p99 %.2f ms (not "
      "in the latencies above)\n",
      "pool", waits.size(), Percentile(waits, 50), Percentile(waits, 99));
  json::object summary{
      {"scenario", "rush"},
      {"label", options_.label},
      {"users", options_.users},
      {"seats", capacity_},
      {"health_rps", health_rps_},
      {"joins_per_s", late_rps},
      {"join_ms", json::object{{"p50", j50}, {"p99", j99}}},
      {"admit_per_minute", admit_per_minute_},
      {"admissions_per_s", rate.per_s},
      {"admissions_over_allowance", rate.over_allowance},
      {"hold_ms", json::object{{"p50", h50}, {"p99", h99}, {"p999", h999}}},
      {"sold_out_s", sold_out_s >= 0 ? json::value(sold_out_s) : json::value(nullptr)},
      {"engine_s", engine_s},
      {"early_before_later", order.Share(order.early_vs_late_pairs, order.early_vs_late_wrong)},
      {"later_fifo", order.Share(order.late_pairs, order.late_wrong)},
      {"max_seats_per_user", std::max<long>(max_seats, static_cast<long>(inv.max_seats_per_user))},
      {"server_errors", errors},
      {"invariants_ok", inv.ok()},
      {"bytes_per_waiting_ticket", bytes_per_ticket}};
  std::printf("JSON %s\n", json::serialize(summary).c_str());

  bool ok = true;
  auto fail = [&](const std::string& why) {
    std::fprintf(stderr, "rush: FAILED: %s\n", why.c_str());
    ok = false;
  };
  if (errors > 0) fail(std::to_string(errors) + " answers were 5xx or none");
  if (!inv.ok()) fail("the store's invariants are violated (oversold?)");
  if (max_seats > inv.per_user_limit || inv.max_seats_per_user > inv.per_user_limit) {
    fail("a user holds more than the event's " + std::to_string(inv.per_user_limit) + " seats");
  }
  if (rate.over_allowance > 0) fail("admissions ran ahead of the configured rate");
  return ok;
}

}  // namespace evently::bench

int main(int argc, char** argv) {
  evently::bench::Options o;
  using evently::bench::Into;
  if (!evently::bench::ParseFlags(argc, argv, o,
                                  {{"--database-url", Into(o.database_url)},
                                   {"--engine-report", Into(o.engine_report)},
                                   {"--users", Into(o.users)},
                                   {"--seats", Into(o.seats)},
                                   {"--limit", Into(o.limit)},
                                   {"--pre-start-seconds", Into(o.pre_start_seconds)},
                                   {"--post-start-ms", Into(o.post_start_ms)},
                                   {"--admit-per-minute", Into(o.admit_per_minute)},
                                   {"--admit-share", Into(o.admit_share)},
                                   {"--connections", Into(o.connections)},
                                   {"--poll-min-ms", Into(o.poll_min_ms)},
                                   {"--poll-max-ms", Into(o.poll_max_ms)},
                                   {"--seconds", Into(o.seconds)},
                                   {"--label", Into(o.label)}})) {
    return 2;
  }
  if (o.database_url.empty()) {
    std::cerr
        << "rush: --database-url is needed (order, rate and invariants come from the store)\n";
    return 2;
  }
  if (o.pre_start_seconds < 1 || o.limit < 1) {
    std::cerr << "rush: --pre-start-seconds and --limit must be at least 1\n";
    return 2;
  }
  if (o.seats < 100 || o.seats % 100 != 0) {
    std::cerr << "rush: --seats must be a multiple of 100\n";
    return 2;
  }
  boost::asio::io_context io(1);
  evently::bench::Rush rush(io, o);
  if (!evently::bench::RunToEnd(io, rush.Run(), "rush")) return 1;
  return rush.Report() ? 0 : 1;
}
