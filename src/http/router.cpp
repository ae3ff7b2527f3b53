#include "http/router.hpp"

#include <algorithm>

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

void Router::Add(Route route) {
  route.segments = SplitPath(route.pattern);
  routes_.push_back(std::move(route));
}

Match Router::Find(std::string_view method, std::string_view path, Fields& params) const {
  Match match;
  std::vector<std::string> parts = SplitPath(path);
  for (const Route& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    Fields captured;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& seg = route.segments[i];
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        captured.emplace_back(seg.substr(1, seg.size() - 2), parts[i]);
      } else {
        ok = seg == parts[i];
      }
    }
    if (!ok) continue;
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      if (!match.route) {
        match.route = &route;
        params = std::move(captured);
      }
    } else if (std::find(match.allowed.begin(), match.allowed.end(), route.method) ==
               match.allowed.end()) {
      match.allowed.push_back(route.method);
    }
  }
  return match;
}

Response Router::Run(Request& req, const Route& route) const {
  std::function<Response(std::size_t, Request&)> step = [&](std::size_t i, Request& r) {
    if (i == middlewares_.size()) return route.handler(r);
    return middlewares_[i](r, route, [&step, i](Request& inner) { return step(i + 1, inner); });
  };
  return step(0, req);
}

}  // namespace evently::http
