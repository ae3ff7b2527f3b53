// A minimal keep-alive HTTP/1.1 client on Beast coroutines, for the load generators.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evently::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct Reply {
  int status = 0;  // 0: transport failure
  std::string body;
  double millis = 0;
  std::string etag;     // the ETag header, when the answer has one
  int retry_after = 0;  // the Retry-After header in seconds, when the answer has one
};

// Extra request headers by name (If-None-Match, Idempotency-Key, Accept-Encoding, ...).
using Headers = std::vector<std::pair<std::string_view, std::string>>;

class HttpClient {
 public:
  HttpClient(asio::any_io_executor ex, asio::ip::tcp::endpoint endpoint)
      : stream_(ex), endpoint_(endpoint) {}

  asio::awaitable<Reply> Send(http::verb verb, std::string target, std::string body = {},
                              std::string token = {}, Headers headers = {}) {
    constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
    auto started = std::chrono::steady_clock::now();
    Reply reply;
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!connected_) {
        auto [ec] = co_await stream_.async_connect(endpoint_, kAwait);
        if (ec) continue;
        stream_.socket().set_option(asio::ip::tcp::no_delay(true));
        connected_ = true;
      }
      http::request<http::string_body> req{verb, target, 11};
      req.set(http::field::host, "127.0.0.1");
      if (!body.empty()) {
        req.set(http::field::content_type, "application/json");
        req.body() = body;
      }
      if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
      for (const auto& [name, value] : headers) req.set(name, value);
      req.prepare_payload();
      req.keep_alive(true);
      auto [wec, wn] = co_await http::async_write(stream_, req, kAwait);
      http::response<http::string_body> res;
      beast::error_code rec = wec;
      if (!wec) std::tie(rec, wn) = co_await http::async_read(stream_, buffer_, res, kAwait);
      if (rec) {
        beast::error_code ignored;
        stream_.socket().close(ignored);
        connected_ = false;
        buffer_.clear();
        continue;
      }
      reply.status = res.result_int();
      if (auto etag = res.find(http::field::etag); etag != res.end()) reply.etag = etag->value();
      if (auto retry = res.find(http::field::retry_after); retry != res.end()) {
        reply.retry_after = std::atoi(std::string(retry->value()).c_str());
      }
      reply.body = std::move(res.body());
      break;
    }
    reply.millis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    co_return reply;
  }

 private:
  beast::tcp_stream stream_;
  asio::ip::tcp::endpoint endpoint_;
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

// A fixed set of keep-alive connections that many users' requests share, one request at a time
// each, as a load balancer in front of many browsers would: a request waits for a free
// connection, first come first served (Reply::millis counts from when it has one; the waits are
// in waits_ms()). For one io_context thread.
class ClientPool {
 public:
  ClientPool(asio::any_io_executor ex, asio::ip::tcp::endpoint endpoint, int size) : ex_(ex) {
    for (int i = 0; i < size; ++i) {
      clients_.push_back(std::make_unique<HttpClient>(ex, endpoint));
      free_.push_back(clients_.back().get());
    }
  }

  asio::awaitable<Reply> Send(http::verb verb, std::string target, std::string body = {},
                              std::string token = {}, Headers headers = {}) {
    HttpClient* client = nullptr;
    if (!free_.empty()) {  // free connections mean nobody is waiting: they are handed over
      client = free_.back();
      free_.pop_back();
    } else {
      auto queued = std::chrono::steady_clock::now();
      Waiter waiter{asio::steady_timer(ex_, asio::steady_timer::time_point::max())};
      waiters_.push_back(&waiter);
      co_await waiter.wake.async_wait(asio::as_tuple(asio::use_awaitable));
      client = waiter.client;
      waits_ms_.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - queued)
              .count());
    }
    Reply reply = co_await client->Send(verb, std::move(target), std::move(body), std::move(token),
                                        std::move(headers));
    // The longest waiter gets the connection itself, before any later request can take it.
    if (waiters_.empty()) {
      free_.push_back(client);
    } else {
      Waiter* next = waiters_.front();
      waiters_.pop_front();
      next->client = client;
      next->wake.cancel();
    }
    co_return reply;
  }

  // How long each request that found every connection busy waited for one.
  const std::vector<double>& waits_ms() const { return waits_ms_; }
  int size() const { return static_cast<int>(clients_.size()); }

 private:
  struct Waiter {
    asio::steady_timer wake;
    HttpClient* client = nullptr;
  };
  asio::any_io_executor ex_;
  std::vector<std::unique_ptr<HttpClient>> clients_;
  std::vector<HttpClient*> free_;
  std::deque<Waiter*> waiters_;
  std::vector<double> waits_ms_;
};

// GET /health on `connections` keep-alive connections for `duration`: the in-run HTTP ceiling
// every scenario reports beside its own figures (BENCH.md). Requests per second.
inline asio::awaitable<double> HealthRps(asio::ip::tcp::endpoint endpoint,
                                         std::chrono::seconds duration, int connections) {
  auto ex = co_await asio::this_coro::executor;
  long count = 0;
  int done = 0;
  auto until = std::chrono::steady_clock::now() + duration;
  for (int w = 0; w < connections; ++w) {
    asio::co_spawn(
        ex,
        [&]() -> asio::awaitable<void> {
          HttpClient c(ex, endpoint);
          while (std::chrono::steady_clock::now() < until) {
            if ((co_await c.Send(http::verb::get, "/health")).status == 200) ++count;
          }
          ++done;
        },
        asio::detached);
  }
  asio::steady_timer timer(ex);
  while (done < connections) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_return static_cast<double>(count) / static_cast<double>(duration.count());
}

}  // namespace evently::bench
