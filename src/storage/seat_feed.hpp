// The cross-node seat change feed on PostgreSQL. Each committed seat change is NOTIFYed inside
// the transaction that makes it (so it is announced exactly when, and only if, it commits), and
// every node LISTENs on a dedicated connection that reconnects by itself. A node publishes its
// own changes in-process, so notices carry their origin and a node skips its own.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "domain/booking/booking.hpp"
#include "domain/ports/seat_changes.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

// This process's id on the feed (random, fixed for its lifetime).
const std::string& NodeId();

struct SeatNotice {
  std::string origin;
  domain::SeatChange change;
};

// "origin|event|status|available|id,id,..." split so each stays under PostgreSQL's 8000-byte
// payload limit (a change of many seats becomes several notices).
std::vector<std::string> EncodeSeatNotices(std::string_view origin,
                                           const domain::SeatChange& change);
std::optional<SeatNotice> DecodeSeatNotice(std::string_view payload);

// Called by the store inside the committing transaction; nothing on SQLite (one node).
void AnnounceSeatChange(Connection& conn, const domain::SeatChange& change);

class SeatChangeListener {
 public:
  // Publishes to `sink` every change announced by another node. After the connection was lost
  // and re-established `on_reconnect` runs: notices sent meanwhile are gone, so listeners resync.
  // `timeout` bounds each wait on the server (connecting, the periodic probe), so a store that
  // stops answering is left for a new connection, and Stop never waits on it.
  SeatChangeListener(std::string url, domain::SeatChangeSink& sink,
                     std::function<void()> on_reconnect, std::string own_origin = NodeId(),
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  ~SeatChangeListener();
  SeatChangeListener(const SeatChangeListener&) = delete;
  SeatChangeListener& operator=(const SeatChangeListener&) = delete;

  void Start();
  void Stop();
  bool connected() const { return connected_; }
  std::uint64_t reconnects() const { return reconnects_; }

 private:
  void Loop();

  std::string url_;
  domain::SeatChangeSink& sink_;
  std::function<void()> on_reconnect_;
  std::string own_origin_;
  std::chrono::milliseconds timeout_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> reconnects_{0};
  std::thread thread_;
};

}  // namespace evently::storage
