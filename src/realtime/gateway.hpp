// WebSocket endpoint /ws/events/{event_id}: takes over upgraded connections from the HTTP
// server, refuses unknown events (404) and bad handshakes (400) in the API envelope before
// upgrading, caps connections.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/error.hpp"
#include "domain/queue/queue.hpp"
#include "domain/time.hpp"
#include "realtime/io_threads.hpp"
#include "realtime/seat_hub.hpp"

namespace evently::realtime {

struct GatewayOptions {
  std::size_t max_connections = 10000;    // more are upgraded, then closed with 1013
  std::size_t send_queue_frames = 256;    // a client this far behind is dropped
  std::size_t max_message_bytes = 4096;   // larger client messages get an error frame
  std::size_t max_subscriptions = 64;     // events per connection
  std::chrono::seconds idle_timeout{60};  // ping after half of it; close when unanswered
  std::chrono::seconds handshake_timeout{10};
  // Kernel send buffer per connection; 0 keeps the kernel's autotuning. A small one bounds what
  // the kernel holds for a stalled client, so the queue limit above catches it sooner.
  std::size_t socket_send_buffer = 0;
};

class Session;

// Looks up a watched waiting-room ticket (a store read, so never on a session's loop) and calls
// back from any thread: QUEUE_TICKET_NOT_FOUND for a ticket not of the event or, with an access
// token, not the caller's.
class QueueLookup {
 public:
  virtual ~QueueLookup() = default;
  virtual void Look(const std::string& event_id, const std::string& ticket_id,
                    const std::string& access_token,
                    std::function<void(domain::Result<domain::QueueTicket>)> done) = 0;
};

class Gateway {
 public:
  // Sessions run on `threads` (the live seat map threads), whatever thread accepted them.
  Gateway(IoThreads& threads, SeatHub& hub, const domain::Clock& clock, GatewayOptions options);

  // Whether a request target belongs to this endpoint (the rest stays with the HTTP router).
  static bool Handles(std::string_view target);
  // On an HTTP I/O thread; never blocks.
  void Accept(boost::asio::ip::tcp::socket socket,
              boost::beast::http::request<boost::beast::http::string_body> request);

  std::size_t connections() const { return connections_; }
  std::uint64_t dropped_slow() const { return dropped_slow_; }
  std::uint64_t refused_full() const { return refused_full_; }
  // watch_queue is answered with an error until one is set (before serving).
  void SetQueueLookup(QueueLookup* lookup) { queue_ = lookup; }

 private:
  friend class Session;
  // The sessions a cut woke, per loop: the loop takes them in one handler, so a cut that wakes
  // 10,000 clients costs each loop one hand-over instead of one queued handler per client. Weak:
  // a live session is kept by its own pending I/O, and none is kept past its loop.
  struct Wakes {
    std::mutex mu;
    std::vector<std::pair<std::weak_ptr<Session>, std::string>> sessions;  // not empty: queued
  };
  void QueueWake(std::size_t loop, std::weak_ptr<Session> session, const std::string& event_id);
  void RunWakes(std::size_t loop);

  IoThreads& threads_;
  SeatHub& hub_;
  const domain::Clock& clock_;
  GatewayOptions options_;
  QueueLookup* queue_ = nullptr;
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::uint64_t> dropped_slow_{0};
  std::atomic<std::uint64_t> refused_full_{0};
  std::vector<std::unique_ptr<Wakes>> wakes_;  // per loop
};

}  // namespace evently::realtime
