// The one explicit route table, path parameters, and the per-route middleware chain.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace evently::http {

using Handler = std::function<Response(Request&)>;

enum class Access { kPublic, kUser, kAdmin };
// Which rate-limit bucket a route draws from (CONTRACT.md, Rate limits).
enum class RateClass { kNone, kPublic, kAuthenticated, kBooking, kAdmin };

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/events/{event_id}"
  Handler handler;
  Access access = Access::kPublic;
  RateClass rate_class = RateClass::kPublic;
  bool idempotent = false;  // accepts Idempotency-Key
  bool inline_io = false;   // cheap and non-blocking: may run on the I/O thread
  // Tried on the I/O thread first (Request::on_io_thread); a Response::Deferred() answer is
  // run again on the worker pool. For reads answered from a cache; never with `idempotent`.
  bool io_first = false;
  // With `idempotent`: the handler passes the key to the store, which keeps the answer in the
  // transaction of the change (middleware/idempotency.hpp).
  bool keyed_in_store = false;
  // The handler's store write itself refuses a caller whose user is gone (AUTH_TOKEN_INVALID),
  // so authentication skips its KnownUsers check, which may read the store: an io_first route
  // must not block the I/O thread on it.
  bool user_checked_in_store = false;
  std::vector<std::string> segments;  // split pattern, filled by the router
};

// A step around the handler: returns a response itself or calls `next`.
using Next = std::function<Response(Request&)>;
using Middleware = std::function<Response(Request&, const Route&, const Next&)>;

struct Match {
  const Route* route = nullptr;      // set when path and method match
  std::vector<std::string> allowed;  // methods of a path that matched without the method
};

class Router {
 public:
  void Add(Route route);
  void Use(Middleware middleware) { middlewares_.push_back(std::move(middleware)); }
  // GET and HEAD requests whose path no route has go to `route` (the web app's client-side
  // routes), unless their first segment is one of `reserved`.
  void SetFallback(Route route, std::vector<std::string> reserved);

  // `path` as sent (percent-encoded); each segment is decoded on its own, params included.
  Match Find(std::string_view method, std::string_view path, Fields& params) const;
  // Runs the middleware chain and the route's handler.
  Response Run(Request& req, const Route& route) const;
  // Continues a request whose handler deferred: runs the handler alone (the middlewares already
  // ran; Request::on_io_thread says where) and keeps the headers they added to `deferred`.
  Response Resume(Request& req, const Route& route, const Response& deferred) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<Middleware> middlewares_;
  std::optional<Route> fallback_;
  std::vector<std::string> reserved_;
};

std::vector<std::string> SplitPath(std::string_view path);

}  // namespace evently::http
