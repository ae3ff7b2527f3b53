// Bounded waits on a libpq connection: every connect, send and read of ours gives up at a
// deadline instead of waiting for as long as the server (or the network) stays silent.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <optional>
#include <string>

namespace evently::storage::pg {

using Clock = std::chrono::steady_clock;
// None: wait for as long as it takes (schema migrations, which may rewrite big tables).
using Deadline = std::optional<Clock::time_point>;

enum class Wait { kReady, kTimedOut, kFailed };

// Opens a connection without blocking past `deadline`. Besides the URL's own parameters (which
// win), the connection gets TCP keepalives and TCP_USER_TIMEOUT derived from `timeout`, so a peer
// that vanishes is noticed on an idle connection too. Null, with `error` set, on failure.
PGconn* Connect(const std::string& url, const char* application_name,
                std::chrono::milliseconds timeout, Clock::time_point deadline, std::string& error);

// Sends what libpq has queued; the connection must be nonblocking.
Wait Flush(PGconn* conn, Deadline deadline);

// Reads until PQgetResult will not block.
Wait AwaitResult(PGconn* conn, Deadline deadline);

// Runs simple-query `sql` (one or more statements) and returns the first failed statement's
// result, else the last one's. Null when `wait` says the answers did not come (or, with `wait`
// ready, when `sql` had no statement).
PGresult* Exec(PGconn* conn, const char* sql, Deadline deadline, Wait& wait);

// Whether an idle connection may be used, found without waiting: not when the server closed it
// while it sat in the pool (it shut down or restarted), nor when anything else came to it.
bool StillOpen(PGconn* conn);

// What a wait that did not end ready says.
std::string Describe(Wait wait, PGconn* conn, std::chrono::milliseconds timeout);

}  // namespace evently::storage::pg
