#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cerrno>
#include <charconv>
#include <memory>
#include <thread>

#include "domain/ids.hpp"
#include "http/query.hpp"
#include "http/tcp_keepalive.hpp"
#include "wire/json_writer.hpp"

namespace evently::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using BeastRequest = bhttp::request<bhttp::string_body>;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// Runs `fn` on the worker pool and resumes the coroutine on its own executor.
template <typename F>
asio::awaitable<std::invoke_result_t<F>> Offload(asio::thread_pool& pool, F fn) {
  using R = std::invoke_result_t<F>;
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(R)>(
      [&pool, fn = std::move(fn)](auto handler) mutable {
        asio::post(pool, [fn = std::move(fn), handler = std::move(handler)]() mutable {
          R result = fn();
          auto ex = asio::get_associated_executor(handler);
          asio::post(ex, [handler = std::move(handler), result = std::move(result)]() mutable {
            std::move(handler)(std::move(result));
          });
        });
      },
      asio::use_awaitable);
}

constexpr std::chrono::milliseconds kMaxAcceptPause{1000};

// An accept error about one connection (gone before it was taken, refused by a filter, or one of
// the network errors Linux hands on from it, accept(2)): the next one may be taken at once. Any
// other (EMFILE, ENFILE, ENOBUFS, ENOMEM ...) would repeat at once.
bool OnlyThisConnection(const beast::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  switch (ec.value()) {
    case ECONNABORTED:
    case ECONNRESET:
    case EINTR:
    case EAGAIN:
    case EPROTO:
    case EPERM:
    case ENETDOWN:
    case ENETUNREACH:
    case EHOSTUNREACH:
    case EHOSTDOWN:
    case ENONET:
    case ENOPROTOOPT:
    case EOPNOTSUPP:
      return true;
    default:
      return false;
  }
}

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

bool IsJsonContentType(std::string_view value) {
  std::string lower(value.substr(0, value.find(';')));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!lower.empty() && lower.back() == ' ') lower.pop_back();
  return lower == "application/json" ||
         (lower.starts_with("application/") && lower.ends_with("+json"));
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The transport-neutral request; takes the body over from `in`.
Request Convert(BeastRequest& in, const std::string& remote_ip, domain::TimePoint now) {
  Request req;
  req.method = std::string(in.method_string());
  ParseTarget(in.target(), req);
  req.now = now;
  req.remote_ip = remote_ip;
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = Lower(c);
    req.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  req.body = std::move(in.body());
  return req;
}

void AppendNumber(std::string& out, std::size_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

// The response head, written straight into a reused buffer (Beast's serializer was a fifth of
// the /health profile). No Content-Length where a response has no content (1xx, 204, 304:
// RFC 9110 8.6).
void WriteHead(std::string& out, const Response& res, unsigned version, bool keep_alive) {
  out.clear();
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  AppendNumber(out, static_cast<std::size_t>(res.status));
  out += ' ';
  out += bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
  out += "\r\nServer: evently\r\nContent-Type: ";
  out += res.ContentType();
  out += "\r\n";
  for (const auto& [name, value] : res.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  if (res.status >= 200 && res.status != 204 && res.status != 304) {
    out += "Content-Length: ";
    AppendNumber(out, res.body.size());
    out += "\r\n";
  }
  out += "\r\n";
}

// A bare pipeline-independent error answer (malformed HTTP, oversized body). It still carries
// an X-Request-ID, as every answer does.
Response EarlyError(domain::ErrorCode code, domain::TimePoint now, std::string message = {}) {
  Request req;
  req.now = now;
  Response res = Failure(req, domain::MakeError(code, std::move(message)));
  res.SetHeader("X-Request-ID", domain::NewUuidV7(now));
  return res;
}

}  // namespace

class Server::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {}

  asio::awaitable<void> Loop();
  // Called on the I/O thread during shutdown.
  void CloseIfIdle() {
    if (idle_) stream_.socket().cancel();
  }

 private:
  asio::awaitable<void> Reply(const Response& res, unsigned version, bool keep_alive, bool head);
  asio::awaitable<Response> Answer(Request& req, const Match& match, Fields& params);
  asio::awaitable<void> DrainBeforeClose();

  Server& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string head_;  // the last response head; reused so that writing one allocates nothing
  bool idle_ = true;
};

asio::awaitable<void> Server::Session::Reply(const Response& res, unsigned version, bool keep_alive,
                                             bool head) {
  WriteHead(head_, res, version, keep_alive);
  std::array<asio::const_buffer, 2> buffers{
      asio::buffer(head_), asio::buffer(res.body.data(), head ? 0 : res.body.size())};
  stream_.expires_after(std::chrono::seconds(30));
  co_await asio::async_write(stream_, buffers, kAwait);
}

// GCC 12 reports its own coroutine frame allocation as mismatched new/delete (GCC PR 109224,
// fixed in 13) for the coroutines below at -O1 with sanitizers.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

// Waits, without holding the I/O thread, for a handler's asynchronous step (Response::After).
asio::awaitable<void> AwaitStep(const Response::AsyncStep& step) {
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
      [&step](auto handler) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        step([shared] {
          auto ex = asio::get_associated_executor(*shared);
          asio::post(ex, [shared] { std::move (*shared)(); });
        });
      },
      asio::use_awaitable);
}

// Runs the pipeline where its route allows: inline, I/O thread first, or on the worker pool.
asio::awaitable<Response> Server::Session::Answer(Request& req, const Match& match,
                                                  Fields& params) {
  const Route* route = match.route;
  // A blocking limiter decides on the pool only (ServerOptions::rate_limits_block).
  bool io_allowed =
      !route || route->rate_class == RateClass::kNone || !server_.options_.rate_limits_block;
  if (!route || (route->inline_io && io_allowed)) {
    co_return server_.Dispatch(req, match, params);
  }
  if (route->io_first && io_allowed) {
    req.on_io_thread = true;
    Response res = server_.Dispatch(req, match, params);
    while (res.deferred && res.after) {
      Response::AsyncStep step = std::move(res.after);
      res.after = nullptr;
      co_await AwaitStep(step);
      res = server_.Resume(req, *route, res);
    }
    if (!res.deferred) co_return res;
    req.on_io_thread = false;
    // Captured by reference (it lives in this frame): GCC 12 mishandles a lambda that owns
    // non-trivial members when passed by value to a coroutine (it is destroyed twice).
    const Response& deferred = res;
    co_return co_await Offload(server_.workers_, [this, &req, route, &deferred] {
      return server_.Resume(req, *route, deferred);
    });
  }
  co_return co_await Offload(server_.workers_, [this, &req, &match, &params] {
    return server_.Dispatch(req, match, params);
  });
}

asio::awaitable<void> Server::Session::Loop() {
  std::string remote_ip;
  {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ip = endpoint.address().to_string();
  }
  bool first = true;
  bool answered_last = false;  // the loop ended after an answer, not on the client's close
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(server_.options_.body_limit);
    idle_ = true;
    if (server_.stopping_) break;
    stream_.expires_after(first ? server_.options_.header_timeout : server_.options_.idle_timeout);
    first = false;
    auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, parser, kAwait);
    idle_ = false;
    if (!ec && !parser.is_done()) {
      stream_.expires_after(server_.options_.header_timeout);
      std::tie(ec, n) = co_await bhttp::async_read(stream_, buffer_, parser, kAwait);
    }
    domain::TimePoint now = server_.clock_.Now();
    if (ec == bhttp::error::body_limit) {
      co_await Reply(EarlyError(domain::ErrorCode::kPayloadTooLarge, now), 11, false, false);
      answered_last = true;
      break;
    }
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      break;
    }
    if (ec) {
      co_await Reply(EarlyError(domain::ErrorCode::kValidationError, now,
                                "Malformed HTTP request: " + ec.message()),
                     11, false, false);
      answered_last = true;
      break;
    }
    BeastRequest in = parser.release();
    if (server_.upgrade_ && beast::websocket::is_upgrade(in) &&
        server_.upgrade_->Handles(in.target())) {
      Request req = Convert(in, remote_ip, now);
      std::optional<Response> refused;
      if (server_.options_.rate_limits_block) {
        refused =
            co_await Offload(server_.workers_, [this, &req] { return server_.RefuseUpgrade(req); });
      } else {
        refused = server_.RefuseUpgrade(req);
      }
      if (refused) {
        co_await Reply(*refused, in.version(), false, false);
        answered_last = true;
        break;
      }
      stream_.expires_never();
      // The gateway answers its own refusals, with the request id this answer would have had.
      in.set("X-Request-ID", req.request_id);
      server_.upgrade_->Accept(stream_.release_socket(), std::move(in));
      co_return;
    }
    Request req = Convert(in, remote_ip, now);
    bool head = in.method() == bhttp::verb::head;
    Fields params;
    Match match = server_.router_.Find(req.method, req.path, params);
    Response res = co_await Answer(req, match, params);
    bool keep_alive = in.keep_alive() && !server_.stopping_;
    co_await Reply(res, in.version(), keep_alive, head);
    if (!keep_alive) {
      answered_last = true;
      break;
    }
  }
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (answered_last) co_await DrainBeforeClose();
}

// Closing a socket with unread bytes makes the kernel send a reset and drop what it has not
// sent yet: the last answer (a 413, a 400, or a pipelined answer before it) would be cut off.
// So, as nginx's lingering close does, read and drop what the client still sends until it
// closes too, for a bounded time and size.
asio::awaitable<void> Server::Session::DrainBeforeClose() {
  constexpr std::size_t kMaxDrained = std::size_t{1024} * 1024;
  idle_ = true;  // shutdown may cut this short
  stream_.expires_after(std::chrono::seconds(2));
  std::array<char, std::size_t{16} * 1024> sink{};
  for (std::size_t drained = 0; drained < kMaxDrained && !server_.stopping_;) {
    auto [ec, n] = co_await stream_.async_read_some(asio::buffer(sink), kAwait);
    if (ec) break;
    drained += n;
  }
}

#pragma GCC diagnostic pop

Server::Server(ServerOptions options, const Router& router, asio::thread_pool& workers,
               Metrics& metrics, const domain::Clock& clock)
    : options_(std::move(options)),
      router_(router),
      workers_(workers),
      metrics_(metrics),
      clock_(clock),
      access_log_(options_.access_log ? spdlog::get("access") : nullptr),
      io_(options_.io_threads),
      acceptor_(io_) {}

Server::~Server() = default;

void Server::Listen() {
  beast::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) throw std::runtime_error("invalid listen address '" + options_.host + "'");
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + options_.host + ":" +
                             std::to_string(options_.port) + ": " + ec.message());
  }
  bound_port_ = acceptor_.local_endpoint().port();
}

void Server::StartAccept() {
  asio::co_spawn(
      io_,
      [this]() -> asio::awaitable<void> {
        std::chrono::milliseconds pause{0};
        for (;;) {
          auto [ec, socket] = co_await acceptor_.async_accept(kAwait);
          if (ec) {
            if (!acceptor_.is_open() || stopping_) co_return;
            if (OnlyThisConnection(ec)) continue;
            // Out of descriptors (or memory): the connection stays in the backlog, so accepting
            // again at once fails again at once, a full core until something closes. Wait, 10 ms
            // doubling to 1 s, while the open connections finish.
            if (pause.count() == 0) {
              spdlog::warn("accept paused: {}; retrying until descriptors free up", ec.message());
            }
            pause = std::clamp(pause * 2, std::chrono::milliseconds(10), kMaxAcceptPause);
            ++accept_pauses_;
            asio::steady_timer timer(io_, pause);
            co_await timer.async_wait(kAwait);
            continue;
          }
          if (pause.count() != 0) {
            spdlog::info("accept resumed");
            pause = std::chrono::milliseconds(0);
          }
          socket.set_option(tcp::no_delay(true));
          if (options_.tcp_keepalive.count() > 0) {
            EnableTcpKeepAlive(socket.native_handle(), options_.tcp_keepalive);
          }
          auto session = std::make_shared<Session>(*this, std::move(socket));
          Track(session);
          asio::co_spawn(
              acceptor_.get_executor(),
              [this, session]() -> asio::awaitable<void> {
                co_await session->Loop();
                Untrack(session.get());
              },
              asio::detached);
        }
      },
      asio::detached);
}

void Server::Track(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mu_);
  sessions_.insert(session);
}

void Server::Untrack(Session* session) {
  std::lock_guard lock(sessions_mu_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto locked = it->lock();
    it = (!locked || locked.get() == session) ? sessions_.erase(it) : std::next(it);
  }
  if (stopping_ && sessions_.empty()) io_.stop();
}

void Server::Shutdown() {
  asio::post(io_, [this] {
    if (stopping_.exchange(true)) return;
    beast::error_code ignored;
    acceptor_.close(ignored);
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(sessions_mu_);
      for (const auto& weak : sessions_) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
      if (sessions_.empty()) io_.stop();
    }
    for (auto& s : live) s->CloseIfIdle();
    auto timer = std::make_shared<asio::steady_timer>(io_, options_.shutdown_grace);
    timer->async_wait([this, timer](beast::error_code) { io_.stop(); });
  });
}

void Server::Run(bool handle_signals) {
  StartAccept();
  asio::signal_set signals(io_);
  if (handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) Shutdown();
    });
  }
  std::vector<std::thread> extra;
  for (int i = 1; i < options_.io_threads; ++i) extra.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& t : extra) t.join();
}

bool Server::CorsAllowed(std::optional<std::string_view> origin) const {
  if (!origin) return false;
  for (const auto& allowed : options_.cors_origins) {
    if (allowed == "*" || allowed == *origin) return true;
  }
  return false;
}

void Server::Begin(Request& req) {
  req.started = std::chrono::steady_clock::now();
  if (auto id = req.Header("x-request-id"); id && ValidRequestId(*id)) {
    req.request_id = std::string(*id);
  } else {
    req.request_id = domain::NewUuidV7(req.now);
  }
}

std::optional<Response> Server::RefuseUpgrade(Request& req) const {
  Begin(req);
  std::optional<Response> refused = upgrade_->Admit(req);
  if (refused) {
    req.route_pattern = "websocket";
    Finish(req, *refused);
  }
  return refused;
}

Response Server::Dispatch(Request& req, const Match& match, Fields& params) const {
  Begin(req);
  Response res;
  if (req.method == "OPTIONS" && CorsAllowed(req.Header("origin")) &&
      (match.route || !match.allowed.empty())) {
    res.status = 204;
    res.content_type = "text/plain";
    std::string methods;
    for (const auto& m : match.allowed) methods += (methods.empty() ? "" : ", ") + m;
    if (match.route) methods += (methods.empty() ? "" : ", ") + match.route->method;
    res.SetHeader("Access-Control-Allow-Methods", methods);
    res.SetHeader("Access-Control-Allow-Headers",
                  "Authorization, Content-Type, Idempotency-Key, If-None-Match, X-Request-ID");
    res.SetHeader("Access-Control-Max-Age", "600");
    req.route_pattern = match.route ? std::string_view(match.route->pattern) : "preflight";
  } else if (!match.route) {
    if (match.allowed.empty()) {
      res = Failure(req, domain::ErrorCode::kNotFound);
      req.route_pattern = "unmatched";
    } else {
      res = Failure(req, domain::ErrorCode::kMethodNotAllowed);
      std::string allow;
      for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
      res.SetHeader("Allow", allow);
      req.route_pattern = "unmatched";
    }
  } else {
    req.path_params = std::move(params);
    req.route_pattern = match.route->pattern;
    auto content_type = req.Header("content-type");
    if (!req.body.empty() && (!content_type || !IsJsonContentType(*content_type))) {
      res = Failure(req, domain::ErrorCode::kUnsupportedMediaType);
    } else {
      res = Guarded(req, [&] { return router_.Run(req, *match.route); });
      if (res.deferred) return res;
    }
  }
  Finish(req, res);
  return res;
}

Response Server::Resume(Request& req, const Route& route, const Response& deferred) const {
  Response res = Guarded(req, [&] { return router_.Resume(req, route, deferred); });
  if (!res.deferred) Finish(req, res);
  return res;
}

template <typename F>
Response Server::Guarded(const Request& req, F run) const {
  try {
    return run();
  } catch (const domain::StoreUnavailable& e) {
    spdlog::warn("store unavailable on {} {}: {}", req.method, req.path, e.what());
    return Failure(req, domain::ErrorCode::kServiceUnavailable);
  } catch (const std::exception& e) {
    spdlog::error("unhandled error on {} {} [{}]: {}", req.method, req.path, req.request_id,
                  e.what());
    return Failure(req, domain::ErrorCode::kServerError);
  }
}

void Server::Finish(const Request& req, Response& res) const {
  if (auto origin = req.Header("origin"); CorsAllowed(origin)) {
    res.SetHeader("Access-Control-Allow-Origin", std::string(*origin));
    // Keep what the handler varies on (Accept-Encoding for seat maps) and add Origin.
    auto vary = res.Header("Vary");
    res.SetHeader("Vary", vary ? std::string(*vary) + ", Origin" : std::string("Origin"));
  }
  res.SetHeader("X-Request-ID", req.request_id);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - req.started).count();
  metrics_.RecordRequest(req.route_pattern, req.method, res.status, seconds);
  // The access logger keeps its own level: formatting is skipped only when it would drop the line.
  if (access_log_ && access_log_->should_log(spdlog::level::info)) {
    wire::JsonWriter line;
    line.BeginObject()
        .Field("ts", domain::FormatRfc3339(req.now))
        .Field("request_id", req.request_id)
        .Field("remote", req.remote_ip)
        .Field("method", req.method)
        .Field("path", req.path)
        .Field("route", req.route_pattern)
        .Field("status", res.status)
        .Key("ms")
        .Double(seconds * 1000.0, 3)
        .EndObject();
    access_log_->info(line.str());
  }
}

}  // namespace evently::http
