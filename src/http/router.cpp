#include "http/router.hpp"

#include <algorithm>
#include <array>
#include <boost/url/grammar/string_token.hpp>
#include <boost/url/pct_string_view.hpp>
#include <stdexcept>

namespace evently::http {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

namespace {

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(Route route) {
  // A deferred answer passes through the middlewares unseen; idempotency must see the real one.
  if (route.io_first && route.idempotent) {
    throw std::logic_error("route " + route.pattern + ": io_first cannot be idempotent");
  }
  route.segments = SplitPath(route.pattern);
  routes_.push_back(std::move(route));
}

void Router::SetFallback(Route route, std::vector<std::string> reserved) {
  fallback_ = std::move(route);
  reserved_ = std::move(reserved);
}

Match Router::Find(std::string_view method, std::string_view path, Fields& params) const {
  Match match;
  // Split in place: no route has more segments than kMaxSegments, so a longer path is a 404.
  constexpr std::size_t kMaxSegments = 16;
  std::array<std::string_view, kMaxSegments> parts;
  std::size_t count = 0;
  // Segments are split on the path as sent and decoded one by one, so an escaped "/" stays
  // inside its segment ("/api%2fv1%2fevents" is one segment, a 404). A segment decodes to at
  // most its own length: reserved once, `decoded` never moves under the views into it.
  std::string decoded;
  if (path.find('%') != std::string_view::npos) decoded.reserve(path.size());
  for (std::size_t pos = 0; pos < path.size();) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    std::size_t end = std::min(path.find('/', pos), path.size());
    if (count == kMaxSegments) return match;
    std::string_view part = path.substr(pos, end - pos);
    if (part.find('%') != std::string_view::npos) {
      auto escaped = boost::urls::make_pct_string_view(part);
      if (!escaped) return match;  // a malformed escape names no route
      std::size_t from = decoded.size();
      escaped->decode({}, boost::urls::string_token::append_to(decoded));
      part = std::string_view(decoded).substr(from);
    }
    parts[count++] = part;
    pos = end;
  }
  for (const Route& route : routes_) {
    if (route.segments.size() != count) continue;
    bool ok = true;
    for (std::size_t i = 0; i < count && ok; ++i) {
      const std::string& seg = route.segments[i];
      ok = IsParam(seg) || seg == parts[i];
    }
    if (!ok) continue;
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      if (!match.route) {
        match.route = &route;
        params.clear();
        for (std::size_t i = 0; i < count; ++i) {
          const std::string& seg = route.segments[i];
          if (IsParam(seg)) params.emplace_back(seg.substr(1, seg.size() - 2), parts[i]);
        }
      }
    } else if (std::find(match.allowed.begin(), match.allowed.end(), route.method) ==
               match.allowed.end()) {
      match.allowed.push_back(route.method);
    }
  }
  if (!match.route && match.allowed.empty() && fallback_ && (method == "GET" || method == "HEAD") &&
      (count == 0 || std::find(reserved_.begin(), reserved_.end(), parts[0]) == reserved_.end())) {
    match.route = &*fallback_;
    params.clear();
  }
  return match;
}

namespace {

// One step of the middleware chain; `Next` holds a pointer to it, small enough for
// std::function's inline storage (no allocation per request).
struct Step {
  const std::vector<Middleware>& middlewares;
  const Route& route;
  std::size_t index;

  Response operator()(Request& req) const {
    if (index == middlewares.size()) return route.handler(req);
    Step next{middlewares, route, index + 1};
    return middlewares[index](req, route, Next([&next](Request& r) { return next(r); }));
  }
};

}  // namespace

Response Router::Run(Request& req, const Route& route) const {
  return Step{middlewares_, route, 0}(req);
}

Response Router::Resume(Request& req, const Route& route, const Response& deferred) const {
  Response res = route.handler(req);
  for (const auto& [name, value] : deferred.headers) res.SetHeader(name, value);
  return res;
}

}  // namespace evently::http
