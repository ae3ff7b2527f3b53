// The web app's serving: the router's fallback for client-side routes and the handlers' headers.
#include <gtest/gtest.h>

#include <string>

#include "http/gzip.hpp"
#include "http/handlers/web/web_app_files.hpp"
#include "http/handlers/web/web_handlers.hpp"
#include "http/router.hpp"

namespace evently::http {
namespace {

Handler Named(std::string name) {
  return [name = std::move(name)](Request&) {
    Response res;
    res.body = name;
    return res;
  };
}

Router WithFallback() {
  Router router;
  router.Add({"GET", "/", Named("shell")});
  router.Add({"GET", "/api/v1/events/{event_id}", Named("event")});
  router.Add({"POST", "/api/v1/bookings", Named("hold")});
  router.SetFallback({"GET", "/{app_route}", Named("app")}, {"api", "ws", "docs"});
  return router;
}

TEST(RouterFallback, TakesGetAndHeadOfPathsNoRouteHas) {
  Router router = WithFallback();
  Fields params;
  for (std::string_view method : {"GET", "HEAD"}) {
    Match match = router.Find(method, "/events/abc", params);
    ASSERT_NE(match.route, nullptr) << method;
    EXPECT_EQ(match.route->pattern, "/{app_route}");
  }
  EXPECT_EQ(router.Find("GET", "/", params).route->pattern, "/");
  EXPECT_EQ(router.Find("GET", "/admin/events/new", params).route->pattern, "/{app_route}");
}

TEST(RouterFallback, NeverShadowsReservedSegmentsOtherMethodsOrKnownPaths) {
  Router router = WithFallback();
  Fields params;
  for (std::string_view path : {"/api/v1/nope", "/api", "/ws/events/x", "/docs/x"}) {
    Match match = router.Find("GET", path, params);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_TRUE(match.allowed.empty()) << path;
  }
  EXPECT_EQ(router.Find("POST", "/events/abc", params).route, nullptr);
  Match other_method = router.Find("GET", "/api/v1/bookings", params);
  EXPECT_EQ(other_method.route, nullptr);
  EXPECT_EQ(other_method.allowed, std::vector<std::string>{"POST"});
  // A segment that merely starts like a reserved one is a client-side route.
  EXPECT_NE(router.Find("GET", "/apiary", params).route, nullptr);
}

Request Get(std::string path, Fields headers = {}) {
  Request req;
  req.method = "GET";
  req.path = req.target = std::move(path);
  req.headers = std::move(headers);
  return req;
}

TEST(WebApp, ClientSideRoutesGetTheShellOnlyWhenTheyAcceptHtml) {
  Handler route = handlers::WebAppRouteGet();
  Request browser = Get("/events/abc", {{"accept", "text/html,application/xhtml+xml,*/*;q=0.8"}});
  Response page = route(browser);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.ContentType(), "text/html; charset=utf-8");
  EXPECT_EQ(page.Header("Cache-Control"), "no-cache");
  Request script = Get("/events/abc", {{"accept", "*/*"}});
  Response not_found = route(script);
  EXPECT_EQ(not_found.status, 404);
  EXPECT_NE(not_found.body.find("\"NOT_FOUND\""), std::string::npos);
}

TEST(WebApp, TheShellIsStrictRevalidatedAndGzippedWhenAccepted) {
  Handler shell = handlers::WebAppShellGet();
  Request plain = Get("/");
  Response res = shell(plain);
  ASSERT_EQ(res.status, 200);
  std::string csp(res.Header("Content-Security-Policy").value_or(""));
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(res.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res.Header("Vary"), "Accept-Encoding");
  EXPECT_FALSE(res.Header("Content-Encoding"));

  Request gzip = Get("/", {{"accept-encoding", "gzip, br"}});
  Response zipped = shell(gzip);
  EXPECT_EQ(zipped.Header("Content-Encoding"), "gzip");
  EXPECT_NE(zipped.Header("ETag"), res.Header("ETag")) << "another representation, another ETag";
  ASSERT_GE(zipped.body.size(), 2U);
  EXPECT_EQ(static_cast<unsigned char>(zipped.body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(zipped.body[1]), 0x8b);

  Request again = Get("/", {{"if-none-match", std::string(*res.Header("ETag"))}});
  Response unchanged = shell(again);
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_TRUE(unchanged.body.empty());
}

TEST(WebApp, HashedAssetsAreImmutableAndUnknownOnesAreNotFound) {
  Handler asset = handlers::WebAppAssetGet();
  Request missing = Get("/assets/nope-00000000.js");
  EXPECT_EQ(asset(missing).status, 404);
  if (WebAppFiles().empty()) GTEST_SKIP() << "built without web/node_modules";
  Request root = Get("/");
  std::string shell = handlers::WebAppShellGet()(root).body;
  // The shell's <script src="/assets/index-<hash>.js">.
  std::size_t src = shell.find("src=\"/assets/");
  ASSERT_NE(src, std::string::npos);
  std::size_t start = src + 5;
  std::string script = shell.substr(start, shell.find('"', start) - start);
  ASSERT_TRUE(script.ends_with(".js")) << script;
  Request req = Get(script);
  Response res = asset(req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.ContentType(), "text/javascript; charset=utf-8");
  EXPECT_EQ(res.Header("Cache-Control"), "public, max-age=31536000, immutable");
  // The shell loads its script from this origin only: no inline script anywhere.
  EXPECT_EQ(shell.find("<script>"), std::string::npos);
}

}  // namespace
}  // namespace evently::http
