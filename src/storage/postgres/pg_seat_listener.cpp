// SeatChangeListener on libpq: one dedicated connection in LISTEN, reconnecting with backoff.
#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "storage/postgres/pg_socket.hpp"
#include "storage/seat_feed.hpp"

namespace evently::storage {
namespace {

using Clock = pg::Clock;
constexpr auto kProbeEvery = std::chrono::seconds(5);  // finds half-open connections

struct PgConn {
  PGconn* conn = nullptr;
  ~PgConn() { Reset(); }
  void Reset() {
    if (conn) PQfinish(conn);
    conn = nullptr;
  }
};

bool Command(PGconn* conn, const std::string& sql, std::chrono::milliseconds timeout) {
  pg::Wait wait = pg::Wait::kReady;
  PGresult* res = pg::Exec(conn, sql.c_str(), Clock::now() + timeout, wait);
  bool ok =
      res && (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK);
  PQclear(res);
  return ok;
}

// Connects and LISTENs on this schema's channel (the same one the store NOTIFYs).
bool Open(const std::string& url, std::chrono::milliseconds timeout, PgConn& pg,
          std::string& error) {
  auto deadline = Clock::now() + timeout;
  pg.conn = pg::Connect(url, "evently-seat-listener", timeout, deadline, error);
  if (!pg.conn) return false;
  PQsetNoticeProcessor(
      pg.conn, [](void*, const char*) {}, nullptr);
  pg::Wait wait = pg::Wait::kReady;
  PGresult* res = pg::Exec(pg.conn, "SELECT 'evently_seats:' || current_schema()", deadline, wait);
  if (!res || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
    error =
        wait == pg::Wait::kReady ? PQerrorMessage(pg.conn) : pg::Describe(wait, pg.conn, timeout);
    PQclear(res);
    return false;
  }
  std::string channel = PQgetvalue(res, 0, 0);
  PQclear(res);
  char* quoted = PQescapeIdentifier(pg.conn, channel.c_str(), channel.size());
  if (!quoted) return false;
  std::string listen = "LISTEN " + std::string(quoted);
  PQfreemem(quoted);
  if (!Command(pg.conn, listen, timeout)) {
    error = PQerrorMessage(pg.conn);
    return false;
  }
  return true;
}

}  // namespace

SeatChangeListener::SeatChangeListener(std::string url, domain::SeatChangeSink& sink,
                                       std::function<void()> on_reconnect, std::string own_origin,
                                       std::chrono::milliseconds timeout)
    : url_(std::move(url)),
      sink_(sink),
      on_reconnect_(std::move(on_reconnect)),
      own_origin_(std::move(own_origin)),
      timeout_(timeout) {}

SeatChangeListener::~SeatChangeListener() { Stop(); }

void SeatChangeListener::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void SeatChangeListener::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void SeatChangeListener::Loop() {
  PgConn pg;
  bool ever_connected = false;
  auto backoff = std::chrono::milliseconds(100);
  auto last_probe = Clock::now();
  while (!stop_) {
    if (!pg.conn) {
      std::string error;
      if (!Open(url_, timeout_, pg, error)) {
        spdlog::warn("seat feed: cannot listen on PostgreSQL: {}", error);
        pg.Reset();
        for (auto slept = std::chrono::milliseconds(0); slept < backoff && !stop_;
             slept += std::chrono::milliseconds(50)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
        continue;
      }
      backoff = std::chrono::milliseconds(100);
      connected_ = true;
      last_probe = Clock::now();
      if (ever_connected) {
        ++reconnects_;
        spdlog::info("seat feed: listening again; resynchronizing subscribers");
        if (on_reconnect_) on_reconnect_();
      }
      ever_connected = true;
    }
    pollfd fd{PQsocket(pg.conn), POLLIN, 0};
    int ready = poll(&fd, 1, 200);
    bool alive = ready >= 0 && PQconsumeInput(pg.conn) == 1;
    if (alive && Clock::now() - last_probe >= kProbeEvery) {
      alive = Command(pg.conn, "SELECT 1", timeout_);
      last_probe = Clock::now();
    }
    if (!alive) {
      spdlog::warn("seat feed: lost the PostgreSQL connection: {}", PQerrorMessage(pg.conn));
      connected_ = false;
      pg.Reset();
      continue;
    }
    while (PGnotify* note = PQnotifies(pg.conn)) {
      std::optional<SeatNotice> notice = DecodeSeatNotice(note->extra);
      PQfreemem(note);
      if (!notice) {
        spdlog::warn("seat feed: ignored a malformed notice");
        continue;
      }
      if (notice->origin == own_origin_) continue;
      try {
        sink_.Publish(notice->change);
      } catch (const std::exception& e) {
        spdlog::warn("seat feed: a subscriber failed: {}", e.what());
      }
    }
  }
  connected_ = false;
}

}  // namespace evently::storage
