// The booking store alone, without HTTP: T threads hold 1-4 random seats of one 10,000-seat
// event through BookingStore::Hold (group commit per event), as the flash-sale storm does, until
// the event is sold out. Prints holds/s, seats held/s and the hold latency, then the invariants.
// Usage: hold_store [--database-url URL] [--threads T] [--confirm 0|1] [--keep-wal DIR]
//                   [--statements N] [--page-size BYTES]
// --statements N (SQLite): also prints the N statements the writer spent most time in.
// --page-size (SQLite): the page size of the new store (default: the store's default).
// --keep-wal (SQLite): copies the store and its WAL into DIR before closing it (the last close
// checkpoints and removes the WAL), for bench/wal_pages.py: which tables a commit writes.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

#include "domain/booking/booking_service.hpp"
#include "options.hpp"
#include "payments/sandbox_gateway.hpp"
#include "setup.hpp"
#include "storage/booking_store.hpp"
#include "storage/invariants.hpp"
#include "storage/migrator.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/booking_fixture.hpp"

namespace {

using namespace evently;
using SteadyClock = std::chrono::steady_clock;

class NoSink final : public domain::SeatChangeSink {
 public:
  void Publish(const domain::SeatChange&) override {}
};

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  int threads = 64;
  bool confirm = true;
  std::string keep_wal;
  int statements = 0;
  int page_size = 0;
  if (!bench::ParseFlags(argc, argv,
                         {{"--database-url", bench::Into(url)},
                          {"--threads", bench::Into(threads)},
                          {"--confirm", bench::Into(confirm)},
                          {"--keep-wal", bench::Into(keep_wal)},
                          {"--statements", bench::Into(statements)},
                          {"--page-size", bench::Into(page_size)}})) {
    return 2;
  }
  std::string scratch;
  if (url.empty()) {
    scratch = (std::filesystem::temp_directory_path() /
               ("hold_store_" + std::to_string(::getpid()) + ".db"))
                  .string();
    url = "sqlite:" + scratch;
  }
  storage::DatabaseOptions options{static_cast<std::size_t>(threads) + 2, 10000};
  if (page_size > 0) options.page_size_bytes = page_size;
  auto db = storage::OpenDatabase(url, options);
  domain::SystemClock clock;
  storage::Migrate(*db, clock.Now());
  auto event = testing::CreateEvent(*db,
                                    {{"VIP", 10, 100, 50000},
                                     {"Premium", 20, 100, 20000},
                                     {"Standard", 30, 100, 10000},
                                     {"General", 40, 100, 5000}},
                                    clock.Now() + std::chrono::hours(240));
  std::vector<domain::Principal> users;
  for (int t = 0; t < threads; ++t) {
    users.push_back({testing::CreateUser(*db, "hold" + std::to_string(t) + "-" +
                                                  domain::RandomHex(4) + "@example.com"),
                     domain::Role::kUser});
  }
  storage::BookingStore store(*db);
  payments::SandboxGateway gateway;
  NoSink sink;
  domain::BookingService service(store, gateway, sink, clock, domain::BookingPolicy{});
  const domain::PaymentDetails token{"credit_card", std::string("tok_visa"), std::nullopt};

  auto* sqlite = dynamic_cast<storage::SqliteDatabase*>(db.get());
  if (statements > 0 && sqlite) sqlite->ProfileWriter();

  std::atomic<bool> sold_out{false};
  std::atomic<long> attempts{0}, held{0}, seats{0}, confirmed{0}, failures{0};
  std::mutex mu;  // guards free, hold_ms, confirm_ms
  bench::FreeSeats free;
  for (const auto& id : event.seat_ids) free.Add(id);
  std::vector<double> hold_ms, confirm_ms;
  auto started = SteadyClock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t * 7919 + 17));
      std::vector<double> mine, mine_confirm;
      while (!sold_out && SteadyClock::now() - started < std::chrono::seconds(60)) {
        std::vector<std::string> pick;
        {
          std::lock_guard lock(mu);
          if (free.size() == 0) break;
          pick = free.Pick(rng, 1 + rng() % 4);
        }
        auto t0 = SteadyClock::now();
        auto result = service.Hold(users[static_cast<std::size_t>(t)], event.id, pick);
        mine.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
        ++attempts;
        if (result.ok()) {
          std::lock_guard lock(mu);
          for (const auto& id : pick) free.Remove(id);
        } else if (!result.error().details.string_lists.empty()) {
          std::lock_guard lock(mu);
          for (const auto& id : result.error().details.string_lists[0].second) free.Remove(id);
        }
        if (result.ok()) {
          ++held;
          seats += static_cast<long>(pick.size());
          if (confirm) {
            auto c0 = SteadyClock::now();
            auto paid = service.Confirm(users[static_cast<std::size_t>(t)], result->id, token);
            mine_confirm.push_back(
                std::chrono::duration<double, std::milli>(SteadyClock::now() - c0).count());
            if (paid.ok())
              ++confirmed;
            else
              ++failures;
          }
        } else if (result.error().code == domain::ErrorCode::kEventSoldOut) {
          sold_out = true;
        } else if (result.error().code != domain::ErrorCode::kBookingSeatsUnavailable) {
          ++failures;
        }
      }
      std::lock_guard lock(mu);
      hold_ms.insert(hold_ms.end(), mine.begin(), mine.end());
      confirm_ms.insert(confirm_ms.end(), mine_confirm.begin(), mine_confirm.end());
    });
  }
  for (auto& th : pool) th.join();
  double secs = std::chrono::duration<double>(SteadyClock::now() - started).count();
  auto inv = storage::CheckBookingInvariants(*db, event.id);
  std::printf("hold_store [%s]: %d threads, %.2f s\n",
              db->dialect() == storage::Dialect::kSqlite ? "sqlite" : "postgres", threads, secs);
  std::printf("  attempts/s %.0f, holds/s %.0f, seats held/s %.0f, confirms/s %.0f, failures %ld\n",
              attempts / secs, held / secs, seats / secs, confirmed / secs, failures.load());
  std::printf("  hold p50/p99 %.2f / %.2f ms, confirm p50/p99 %.2f / %.2f ms\n",
              bench::Percentile(hold_ms, 50), bench::Percentile(hold_ms, 99),
              bench::Percentile(confirm_ms, 50), bench::Percentile(confirm_ms, 99));
  bench::PrintInvariants(inv, 10);
  // Where a batch's time goes: a fixed part per batch and a part per write, by batch size.
  storage::BatchStats stats = store.Stats();
  std::uint64_t batches = 0, writes = 0;
  std::chrono::microseconds busy{0};
  for (const auto& size : stats.by_size) {
    batches += size.batches;
    writes += size.writes;
    busy += size.busy;
  }
  std::printf(
      "  batches %llu, %.1f writes each on average; in a batch %.2f s of the %.2f s\n",
      static_cast<unsigned long long>(batches),
      static_cast<double>(writes) / static_cast<double>(std::max<std::uint64_t>(1, batches)),
      static_cast<double>(busy.count()) / 1e6, secs);
  std::printf("  %-10s %8s %12s %10s %14s %14s\n", "writes", "batches", "mean writes", "holds",
              "us per batch", "us per write");
  for (std::size_t i = 0; i < stats.by_size.size(); ++i) {
    const auto& size = stats.by_size[i];
    if (size.batches == 0) continue;
    auto n = static_cast<double>(size.batches);
    std::printf("  %3zu-%-6zu %8llu %12.1f %10.1f %14.0f %14.0f\n",
                i * storage::BatchStats::kWidth + 1, (i + 1) * storage::BatchStats::kWidth,
                static_cast<unsigned long long>(size.batches), static_cast<double>(size.writes) / n,
                static_cast<double>(size.holds) / n, static_cast<double>(size.busy.count()) / n,
                static_cast<double>(size.busy.count()) / static_cast<double>(size.writes));
  }
  if (statements > 0 && sqlite) {
    std::printf("  %-34s %9s %12s %10s\n", "writer's statement", "runs", "total ms", "mean us");
    std::vector<storage::StatementTime> profile = sqlite->WriterProfile();
    for (std::size_t i = 0; i < profile.size() && i < static_cast<std::size_t>(statements); ++i) {
      double ms = std::chrono::duration<double, std::milli>(profile[i].total).count();
      std::printf("  %-34s %9llu %12.1f %10.1f\n", profile[i].name.c_str(),
                  static_cast<unsigned long long>(profile[i].count), ms,
                  1000.0 * ms / static_cast<double>(profile[i].count));
    }
  }
  if (!keep_wal.empty() && url.starts_with("sqlite:")) {
    std::string file = url.substr(std::string("sqlite:").size());
    std::filesystem::create_directories(keep_wal);
    for (const char* suffix : {"", "-wal"}) {
      std::filesystem::copy_file(file + suffix, keep_wal + "/store.db" + suffix,
                                 std::filesystem::copy_options::overwrite_existing);
    }
  }
  db.reset();
  if (!scratch.empty()) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(scratch + suffix);
  }
  return inv.ok() ? 0 : 1;
}
