#include "storage/postgres/pg_socket.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <climits>

namespace evently::storage::pg {
namespace {

// Waits until the connection's socket is ready for `events`.
Wait WaitSocket(PGconn* conn, short events, Deadline deadline) {
  int fd = PQsocket(conn);
  if (fd < 0) return Wait::kFailed;
  for (;;) {
    int wait_ms = -1;
    if (deadline) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
      if (left.count() <= 0) return Wait::kTimedOut;
      wait_ms = static_cast<int>(std::min<std::chrono::milliseconds::rep>(left.count(), INT_MAX));
    }
    pollfd p{fd, events, 0};
    int n = poll(&p, 1, wait_ms);
    if (n > 0) return Wait::kReady;  // an error or hang-up too: libpq reads and reports it
    if (n < 0 && errno != EINTR) return Wait::kFailed;
    // Timed out (checked again above) or interrupted.
  }
}

bool Succeeded(const PGresult* res) {
  ExecStatusType status = PQresultStatus(res);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

std::string Trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

PGconn* Connect(const std::string& url, const char* application_name,
                std::chrono::milliseconds timeout, Clock::time_point deadline, std::string& error) {
  // Whole seconds for the parameters that take seconds. connect_timeout only bounds blocking
  // connects (tools given the same URL): ours polls up to `deadline` itself.
  long seconds = std::max<long>(1, static_cast<long>((timeout.count() + 999) / 1000));
  std::string connect_timeout = std::to_string(std::max<long>(2, seconds));
  std::string idle = std::to_string(seconds);
  std::string interval = std::to_string(std::max<long>(1, seconds / 3));
  std::string user_timeout = std::to_string(timeout.count());
  // Ours first: the URL's own parameters, expanded from dbname, override them.
  const char* keys[] = {"application_name",
                        "connect_timeout",
                        "keepalives",
                        "keepalives_idle",
                        "keepalives_interval",
                        "keepalives_count",
                        "tcp_user_timeout",
                        "dbname",
                        nullptr};
  const char* values[] = {application_name,
                          connect_timeout.c_str(),
                          "1",
                          idle.c_str(),
                          interval.c_str(),
                          "3",
                          user_timeout.c_str(),
                          url.c_str(),
                          nullptr};
  PGconn* conn = PQconnectStartParams(keys, values, /*expand_dbname=*/1);
  if (!conn) {
    error = "out of memory";
    return nullptr;
  }
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (PQstatus(conn) != CONNECTION_BAD && state != PGRES_POLLING_OK &&
         state != PGRES_POLLING_FAILED) {
    Wait wait = WaitSocket(conn, state == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline);
    if (wait == Wait::kTimedOut) {
      error = "no answer within " + std::to_string(timeout.count()) + " ms";
      PQfinish(conn);
      return nullptr;
    }
    if (wait == Wait::kFailed) break;
    state = PQconnectPoll(conn);
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    error = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return nullptr;
  }
  PQsetnonblocking(conn, 1);
  return conn;
}

Wait Flush(PGconn* conn, Deadline deadline) {
  for (;;) {
    int left = PQflush(conn);
    if (left == 0) return Wait::kReady;
    if (left < 0) return Wait::kFailed;
    Wait wait = WaitSocket(conn, POLLIN | POLLOUT, deadline);
    if (wait != Wait::kReady) return wait;
    // The server may be waiting for us to read its answers before it reads more.
    if (PQconsumeInput(conn) == 0) return Wait::kFailed;
  }
}

Wait AwaitResult(PGconn* conn, Deadline deadline) {
  if (Wait sent = Flush(conn, deadline); sent != Wait::kReady) return sent;
  while (PQisBusy(conn)) {
    Wait wait = WaitSocket(conn, POLLIN, deadline);
    if (wait != Wait::kReady) return wait;
    if (PQconsumeInput(conn) == 0) return Wait::kFailed;
  }
  return Wait::kReady;
}

PGresult* Exec(PGconn* conn, const char* sql, Deadline deadline, Wait& wait) {
  if (!PQsendQuery(conn, sql)) {
    wait = Wait::kFailed;
    return nullptr;
  }
  PGresult* kept = nullptr;  // the first failure, else the last result
  for (;;) {
    wait = AwaitResult(conn, deadline);
    if (wait != Wait::kReady) {
      PQclear(kept);
      return nullptr;
    }
    PGresult* res = PQgetResult(conn);
    if (!res) break;
    if (kept && !Succeeded(kept)) {
      PQclear(res);
    } else {
      PQclear(kept);
      kept = res;
    }
  }
  return kept;
}

bool StillOpen(PGconn* conn) {
  if (PQstatus(conn) != CONNECTION_OK) return false;
  // Nothing comes to an idle connection but a closing server's last words (a FATAL error, then
  // the end of stream, which may lag behind it) and, rarely, news a new connection does without:
  // whatever is there to read, the connection is not taken.
  pollfd p{PQsocket(conn), POLLIN, 0};
  return p.fd >= 0 && poll(&p, 1, 0) == 0;
}

std::string Describe(Wait wait, PGconn* conn, std::chrono::milliseconds timeout) {
  if (wait == Wait::kTimedOut) {
    return "PostgreSQL did not answer within " + std::to_string(timeout.count()) + " ms";
  }
  return "PostgreSQL connection lost: " + Trimmed(PQerrorMessage(conn));
}

}  // namespace evently::storage::pg
