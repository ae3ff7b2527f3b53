// The request hot path: sharded metrics, allocation-free routing, the I/O-thread-first routes,
// the per-second timestamp cache.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "domain/time.hpp"
#include "http/browse_cache.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/seat_versions.hpp"
#include "wire/envelope.hpp"

namespace evently::http {
namespace {

using namespace std::chrono_literals;

const domain::TimePoint kNow = domain::FromEpochMillis(1'700'000'000'000);

TEST(Metrics, CountsFromManyThreadsAddUpOnScrape) {
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < 1000; ++i) {
        metrics.RecordRequest("/health", "GET", 200, 0.0001);
        if (i % 10 == 0) metrics.RecordRequest("/api/v1/events", "GET", t % 2 ? 200 : 304, 0.02);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::string text = metrics.Render();
  EXPECT_NE(
      text.find("evently_http_requests_total{route=\"/health\",method=\"GET\",status=\"200\"} "
                "12000\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("{route=\"/api/v1/events\",method=\"GET\",status=\"200\"} 600\n"),
            std::string::npos);
  EXPECT_NE(text.find("{route=\"/api/v1/events\",method=\"GET\",status=\"304\"} 600\n"),
            std::string::npos);
  // The latency histogram is by route, over every status.
  EXPECT_NE(text.find("duration_seconds_count{route=\"/api/v1/events\"} 1200\n"),
            std::string::npos);
  EXPECT_NE(text.find("duration_seconds_bucket{route=\"/api/v1/events\",le=\"0.01\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("duration_seconds_bucket{route=\"/api/v1/events\",le=\"0.025\"} 1200\n"),
            std::string::npos);
  EXPECT_NE(text.find("duration_seconds_bucket{route=\"/health\",le=\"0.0005\"} 12000\n"),
            std::string::npos);
}

TEST(Metrics, SeparatesMethodsAndStatusesOfOneRoute) {
  Metrics metrics;
  metrics.RecordRequest("unmatched", "GET", 404, 0.001);
  metrics.RecordRequest("unmatched", "PATCH", 405, 0.001);
  metrics.RecordRequest("unmatched", "GET", 404, 0.001);
  std::string text = metrics.Render();
  EXPECT_NE(text.find("{route=\"unmatched\",method=\"GET\",status=\"404\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("{route=\"unmatched\",method=\"PATCH\",status=\"405\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("duration_seconds_count{route=\"unmatched\"} 3\n"), std::string::npos);
}

Handler Named(std::string name) {
  return [name](Request& req) {
    Response res;
    res.body = name;
    for (const auto& [key, value] : req.path_params) res.body += " " + key + "=" + value;
    return res;
  };
}

TEST(Router, CapturesParametersOfTheMatchingRouteOnly) {
  Router router;
  router.Add({"GET", "/api/v1/events/{event_id}", Named("get")});
  router.Add({"GET", "/api/v1/events/{event_id}/seats", Named("seats")});
  router.Add({"DELETE", "/api/v1/bookings/{booking_id}", Named("delete")});
  Fields params{{"stale", "value"}};
  Match match = router.Find("GET", "/api/v1/events/abc/seats", params);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/api/v1/events/{event_id}/seats");
  EXPECT_EQ(params, (Fields{{"event_id", "abc"}}));

  match = router.Find("GET", "//api/v1/bookings/b1/", params);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allowed, std::vector<std::string>{"DELETE"});

  match = router.Find("HEAD", "/api/v1/events/e1", params);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(params, (Fields{{"event_id", "e1"}}));
}

TEST(Router, APathLongerThanAnyRouteIsNotFound) {
  Router router;
  router.Add({"GET", "/a/{x}", Named("a")});
  Fields params;
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "/a";
  Match match = router.Find("GET", deep, params);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.allowed.empty());
}

// Segments are split before they are decoded: an escaped slash cannot join two of them, so a
// proxy rule on /api/v1/admin is not walked around with /api%2fv1%2fadmin.
TEST(Router, DecodesEachSegmentAfterSplittingThePath) {
  Router router;
  router.Add({"GET", "/api/v1/events", Named("list")});
  router.Add({"GET", "/api/v1/events/{event_id}", Named("get")});
  router.Add({"POST", "/api/v1/admin/venues", Named("venue")});
  Fields params;
  for (std::string_view path :
       {"/api%2fv1%2fevents", "/api%2Fv1%2Fevents", "/api/v1%2fevents", "/api/v1/admin%2fvenues",
        "/api/v1/events/%zz", "/api/v1/events/%4"}) {
    Match match = router.Find("GET", path, params);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_TRUE(match.allowed.empty()) << path;
  }
  Match match = router.Find("GET", "/api/v1/ev%65nts", params);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/api/v1/events");
  match = router.Find("GET", "/api/v1/events/a%2Fb%20c", params);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(params, (Fields{{"event_id", "a/b c"}}));
  match = router.Find("POST", "/api/%76%31/admin/venues", params);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/api/v1/admin/venues");
}

TEST(Router, RunsTheMiddlewaresInOrderAroundTheHandler) {
  Router router;
  std::string trace;
  router.Use([&trace](Request& req, const Route&, const Next& next) {
    trace += "outer>";
    Response res = next(req);
    trace += "<outer";
    return res;
  });
  router.Use([&trace](Request& req, const Route&, const Next& next) {
    trace += "inner>";
    Response res = next(req);
    res.SetHeader("X-Inner", "1");
    return res;
  });
  router.Add({"GET", "/x", [&trace](Request&) {
                trace += "handler";
                return Response{};
              }});
  Request req;
  Response res = router.Run(req, router.routes().front());
  EXPECT_EQ(trace, "outer>inner>handler<outer");
  EXPECT_EQ(res.Header("x-inner"), "1");
}

// An io_first handler answers on the I/O thread when it can; when it defers, Resume runs the
// handler alone on the worker and keeps what the middlewares added (rate limit headers).
TEST(Router, ADeferredAnswerIsResumedWithTheMiddlewaresHeaders) {
  Router router;
  int middleware_runs = 0;
  router.Use([&middleware_runs](Request& req, const Route&, const Next& next) {
    ++middleware_runs;
    Response res = next(req);
    res.SetHeader("RateLimit-Remaining", "41");
    return res;
  });
  router.Add({.method = "GET",
              .pattern = "/cached",
              .handler =
                  [](Request& req) {
                    if (req.on_io_thread) return Response::Deferred();
                    Response res;
                    res.body = "built";
                    return res;
                  },
              .io_first = true});
  Request req;
  req.on_io_thread = true;
  const Route& route = router.routes().front();
  Response deferred = router.Run(req, route);
  ASSERT_TRUE(deferred.deferred);
  req.on_io_thread = false;
  Response res = router.Resume(req, route, deferred);
  EXPECT_FALSE(res.deferred);
  EXPECT_EQ(res.body, "built");
  EXPECT_EQ(res.Header("RateLimit-Remaining"), "41");
  EXPECT_EQ(middleware_runs, 1);  // a quota is drawn once per request
}

TEST(Router, IdempotentRoutesCannotBeIoFirst) {
  Router router;
  EXPECT_THROW(router.Add({.method = "POST",
                           .pattern = "/x",
                           .handler = Named("x"),
                           .idempotent = true,
                           .io_first = true}),
               std::logic_error);
}

TEST(BrowseAnswerFor, OnTheIoThreadAnswersHitsAndDefersMisses) {
  BrowseCache cache(1000ms);
  int builds = 0;
  auto build = [&builds]() -> domain::Result<BrowseAnswer> {
    ++builds;
    return BrowseAnswer{R"({"n":1})", std::nullopt, std::nullopt};
  };
  Request req;
  req.now = kNow;
  req.on_io_thread = true;
  EXPECT_TRUE(BrowseAnswerFor(req, cache, "k", build).deferred);
  EXPECT_EQ(builds, 0);  // never builds (blocks) on the I/O thread
  req.on_io_thread = false;
  Response built = BrowseAnswerFor(req, cache, "k", build);
  EXPECT_EQ(builds, 1);
  req.on_io_thread = true;
  Response hit = BrowseAnswerFor(req, cache, "k", build);
  EXPECT_FALSE(hit.deferred);
  EXPECT_EQ(hit.body, built.body);
  EXPECT_EQ(builds, 1);
  cache.CatalogChanged();
  EXPECT_TRUE(BrowseAnswerFor(req, cache, "k", build).deferred);
  req.now = kNow + 1000ms;
  EXPECT_TRUE(BrowseAnswerFor(req, cache, "k", build).deferred);
}

TEST(Timestamps, FollowTheSecondAcrossTheCache) {
  EXPECT_EQ(domain::FormatRfc3339(kNow), "2023-11-14T22:13:20Z");
  EXPECT_EQ(domain::FormatRfc3339(kNow + 999ms), "2023-11-14T22:13:20Z");
  EXPECT_EQ(domain::FormatRfc3339(kNow + 1000ms), "2023-11-14T22:13:21Z");
  EXPECT_EQ(domain::FormatRfc3339(kNow), "2023-11-14T22:13:20Z");
  EXPECT_EQ(domain::FormatRfc3339(domain::FromEpochMillis(0)), "1970-01-01T00:00:00Z");
  std::string out = "at ";
  domain::AppendRfc3339(out, kNow + 24h);
  EXPECT_EQ(out, "at 2023-11-15T22:13:20Z");
}

TEST(Envelope, SuccessCarriesDataMessageAndTimestamp) {
  EXPECT_EQ(wire::SuccessEnvelope(R"({"status":"ok"})", "alive", kNow),
            R"({"success":true,"data":{"status":"ok"},"message":"alive",)"
            R"("timestamp":"2023-11-14T22:13:20Z"})");
  wire::Pagination page{2, 10, 25};
  EXPECT_EQ(wire::SuccessEnvelope("[]", {}, kNow, &page),
            R"({"success":true,"data":[],"pagination":{"page":2,"per_page":10,"total":25,)"
            R"("total_pages":3,"has_next":true,"has_prev":true},)"
            R"("message":"Operation successful","timestamp":"2023-11-14T22:13:20Z"})");
  wire::EnvelopeFrame frame = wire::SuccessEnvelopeFrame("q\"uote", kNow);
  EXPECT_EQ(
      frame.open + "null" + frame.close,
      R"({"success":true,"data":null,"message":"q\"uote","timestamp":"2023-11-14T22:13:20Z"})");
}

// Seat version reads: spawned tasks are run by hand, so the test decides what overlaps.
struct ManualPool {
  std::vector<std::function<void()>> tasks;
  void RunOne() {
    auto task = std::move(tasks.front());
    tasks.erase(tasks.begin());
    task();
  }
};

TEST(SeatVersionReader, RequestsWaitingTogetherShareOneRead) {
  ManualPool pool;
  std::int64_t store_version = 1;
  SeatVersionReader reader(
      [&](const std::string&) -> domain::Result<std::int64_t> { return store_version; },
      [&pool](std::function<void()> task) { pool.tasks.push_back(std::move(task)); });
  std::vector<std::int64_t> got;
  auto record = [&got](const domain::Result<std::int64_t>& v) { got.push_back(*v); };

  reader.Get("e1", record);  // starts read #1
  ASSERT_EQ(pool.tasks.size(), 1u);
  store_version = 2;  // a seat changes before read #1 runs: it will see 2
  pool.RunOne();
  EXPECT_EQ(got, (std::vector<std::int64_t>{2}));

  // Three requests arrive while read #2 is queued: they all share it.
  reader.Get("e1", record);
  reader.Get("e1", record);
  reader.Get("e1", record);
  EXPECT_EQ(pool.tasks.size(), 1u);
  pool.RunOne();
  EXPECT_EQ(got.size(), 4u);
  EXPECT_EQ(reader.reads(), 2u);
  EXPECT_EQ(reader.requests(), 4u);
}

TEST(SeatVersionReader, ARequestDuringAReadWaitsForTheNextRead) {
  ManualPool pool;
  std::int64_t store_version = 1;
  std::vector<std::int64_t> got;
  SeatVersionReader* self = nullptr;
  auto record = [&got](const domain::Result<std::int64_t>& v) { got.push_back(*v); };
  SeatVersionReader reader(
      [&](const std::string&) -> domain::Result<std::int64_t> {
        std::int64_t seen = store_version;
        // While this read is in flight, another node sells a seat and a request arrives.
        if (seen == 1) {
          store_version = 5;
          self->Get("e1", record);
        }
        return seen;
      },
      [&pool](std::function<void()> task) { pool.tasks.push_back(std::move(task)); });
  self = &reader;
  reader.Get("e1", record);
  pool.RunOne();
  EXPECT_EQ(got, (std::vector<std::int64_t>{1}));  // the late request is not given 1
  ASSERT_EQ(pool.tasks.size(), 1u);
  pool.RunOne();
  EXPECT_EQ(got, (std::vector<std::int64_t>{1, 5}));
  EXPECT_TRUE(pool.tasks.empty());
}

TEST(SeatVersionReader, AStoreOutageIsServiceUnavailable) {
  ManualPool pool;
  SeatVersionReader reader(
      [](const std::string&) -> domain::Result<std::int64_t> {
        throw domain::StoreUnavailable("down");
      },
      [&pool](std::function<void()> task) { pool.tasks.push_back(std::move(task)); });
  std::optional<domain::ErrorCode> code;
  reader.Get("e1", [&code](const domain::Result<std::int64_t>& v) { code = v.error().code; });
  pool.RunOne();
  EXPECT_EQ(code, domain::ErrorCode::kServiceUnavailable);
}

}  // namespace
}  // namespace evently::http
