// SeatChangeListener on libpq: one dedicated connection in LISTEN, reconnecting with backoff.
#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "storage/seat_feed.hpp"

namespace evently::storage {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kProbeEvery = std::chrono::seconds(5);  // finds half-open connections

struct PgConn {
  PGconn* conn = nullptr;
  ~PgConn() { Reset(); }
  void Reset() {
    if (conn) PQfinish(conn);
    conn = nullptr;
  }
};

bool Command(PGconn* conn, const std::string& sql) {
  PGresult* res = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
  PQclear(res);
  return ok;
}

// Connects and LISTENs on this schema's channel (the same one the store NOTIFYs).
bool Open(const std::string& url, PgConn& pg) {
  const char* keys[] = {"dbname", "application_name", "connect_timeout", nullptr};
  const char* values[] = {url.c_str(), "evently-seat-listener", "5", nullptr};
  pg.conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (PQstatus(pg.conn) != CONNECTION_OK) return false;
  PQsetNoticeProcessor(
      pg.conn, [](void*, const char*) {}, nullptr);
  PGresult* res = PQexec(pg.conn, "SELECT 'evently_seats:' || current_schema()");
  if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
    PQclear(res);
    return false;
  }
  std::string channel = PQgetvalue(res, 0, 0);
  PQclear(res);
  char* quoted = PQescapeIdentifier(pg.conn, channel.c_str(), channel.size());
  if (!quoted) return false;
  std::string listen = "LISTEN " + std::string(quoted);
  PQfreemem(quoted);
  return Command(pg.conn, listen);
}

}  // namespace

SeatChangeListener::SeatChangeListener(std::string url, domain::SeatChangeSink& sink,
                                       std::function<void()> on_reconnect, std::string own_origin)
    : url_(std::move(url)),
      sink_(sink),
      on_reconnect_(std::move(on_reconnect)),
      own_origin_(std::move(own_origin)) {}

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
      if (!Open(url_, pg)) {
        spdlog::warn("seat feed: cannot listen on PostgreSQL: {}",
                     pg.conn ? PQerrorMessage(pg.conn) : "out of memory");
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
      alive = Command(pg.conn, "SELECT 1");
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
