// The HTTP/1.1 server: listener, one coroutine per connection, handlers on the worker pool.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/time.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace spdlog {
class logger;
}

namespace evently::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;
  int io_threads = 1;
  std::size_t body_limit = 1 << 20;
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds tcp_keepalive{30};  // 0: off (http/tcp_keepalive.hpp)
  std::chrono::seconds shutdown_grace{20};
  std::vector<std::string> cors_origins;  // "*" allows any
  bool access_log = true;
  // The rate limiter waits on the network (Redis): rate-limited routes then run on the worker
  // pool even when marked inline_io or io_first, and a WebSocket upgrade's quota check too, so
  // that no I/O thread ever waits for a limit decision.
  bool rate_limits_block = false;
};

// Takes over a connection whose request asked for a WebSocket upgrade (realtime/ implements it).
class UpgradeHandler {
 public:
  virtual ~UpgradeHandler() = default;
  // Whether the request target is a WebSocket route; other upgrade requests go through the
  // router like any request (an unknown path is a 404 envelope).
  virtual bool Handles(std::string_view target) const = 0;
  // An answer that refuses the upgrade before anything else is looked at (a spent quota, say),
  // or none to go on. Called on an I/O thread, or on the worker pool when rate limits block.
  virtual std::optional<Response> Admit(Request& req) = 0;
  // Owns the connection from here on (answers refusals itself). Called on an I/O thread.
  virtual void Accept(boost::asio::ip::tcp::socket socket,
                      boost::beast::http::request<boost::beast::http::string_body> request) = 0;
};

class Server {
 public:
  Server(ServerOptions options, const Router& router, boost::asio::thread_pool& workers,
         Metrics& metrics, const domain::Clock& clock);
  ~Server();

  // Binds the listening socket; throws std::runtime_error with a clear message on failure.
  void Listen();
  unsigned short port() const { return bound_port_; }
  // Times the accept loop waited for descriptors (or memory) to free up.
  std::uint64_t accept_pauses() const { return accept_pauses_; }
  boost::asio::io_context& io_context() { return io_; }
  void SetUpgradeHandler(UpgradeHandler* handler) { upgrade_ = handler; }

  // Serves until Shutdown() (or SIGINT/SIGTERM when `handle_signals`); blocks.
  void Run(bool handle_signals);
  // Graceful stop: no new connections, in-flight requests finish, idle ones close.
  void Shutdown();

 private:
  class Session;
  // The pipeline up to the handler's answer, then Finish; a Route::io_first handler's deferred
  // answer comes back unfinished, for Resume.
  Response Dispatch(Request& req, const Match& match, Fields& params) const;
  // The upgrade handler's refusal of a WebSocket upgrade, finished like any answer; none when
  // the upgrade may go on.
  std::optional<Response> RefuseUpgrade(Request& req) const;
  // Gives the request its id (the client's, when valid) and start time.
  static void Begin(Request& req);
  // The handler again (on the worker pool, or on the I/O thread after an async step), then
  // Finish unless it deferred once more.
  Response Resume(Request& req, const Route& route, const Response& deferred) const;
  // A store outage or an unexpected exception becomes its envelope.
  template <typename F>
  Response Guarded(const Request& req, F run) const;
  // CORS, X-Request-ID, metrics and the access log line.
  void Finish(const Request& req, Response& res) const;
  bool CorsAllowed(std::optional<std::string_view> origin) const;
  void StartAccept();
  void Track(const std::shared_ptr<Session>& session);
  void Untrack(Session* session);

  ServerOptions options_;
  const Router& router_;
  boost::asio::thread_pool& workers_;
  Metrics& metrics_;
  const domain::Clock& clock_;
  std::shared_ptr<spdlog::logger> access_log_;  // null when access logging is off
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short bound_port_ = 0;
  UpgradeHandler* upgrade_ = nullptr;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> accept_pauses_{0};
  std::mutex sessions_mu_;
  std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions_;
};

}  // namespace evently::http
