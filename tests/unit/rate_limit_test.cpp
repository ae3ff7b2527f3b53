// The in-memory limiter against a clock the test controls, and the middleware's answers.
#include "http/middleware/rate_limit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "http/memory_rate_limiter.hpp"
#include "http/query.hpp"

namespace evently::http {
namespace {

using domain::FromEpochMillis;
using domain::Millis;
using domain::RateQuota;
using namespace std::chrono_literals;

const domain::TimePoint kT0 = FromEpochMillis(1'700'000'000'000);
const RateQuota kTenPerMinute{10, Millis(60'000)};

TEST(MemoryRateLimiter, AllowsTheQuotaAtOnceThenOneRequestPerInterval) {
  MemoryRateLimiter limiter;
  for (int i = 0; i < 10; ++i) {
    auto d = limiter.Acquire("k", kTenPerMinute, kT0);
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.limit, 10);
    EXPECT_EQ(d.remaining, 9 - i);
    EXPECT_EQ(d.reset, Millis(6'000 * (i + 1)));
  }
  auto refused = limiter.Acquire("k", kTenPerMinute, kT0 + 1s);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after, Millis(5'000));  // one interval (6 s) after the burst began
  EXPECT_EQ(refused.reset, Millis(59'000));
  EXPECT_FALSE(limiter.Acquire("k", kTenPerMinute, kT0 + 5999ms).allowed);
  auto after = limiter.Acquire("k", kTenPerMinute, kT0 + 6s);
  EXPECT_TRUE(after.allowed);
  EXPECT_EQ(after.remaining, 0);
  // A quiet minute gives the whole quota back.
  EXPECT_EQ(limiter.Acquire("k", kTenPerMinute, kT0 + 120s).remaining, 9);
}

TEST(MemoryRateLimiter, RefusedRequestsDoNotSpendQuotaAndKeysAreIndependent) {
  MemoryRateLimiter limiter;
  const RateQuota one{1, Millis(60'000)};
  EXPECT_TRUE(limiter.Acquire("a", one, kT0).allowed);
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(limiter.Acquire("a", one, kT0 + 1s).allowed);
  EXPECT_TRUE(limiter.Acquire("a", one, kT0 + 60s).allowed);
  EXPECT_TRUE(limiter.Acquire("b", one, kT0).allowed);
}

TEST(MemoryRateLimiter, ForgetsKeysWhoseQuotaIsWhole) {
  MemoryRateLimiter limiter;
  const RateQuota quota{100, Millis(60'000)};  // one request is whole again after 0.6 s
  constexpr int kClients = 40'000;
  for (int i = 0; i < kClients; ++i) limiter.Acquire("ip:" + std::to_string(i), quota, kT0);
  EXPECT_EQ(limiter.TrackedKeys(), std::size_t{kClients});
  // A new crowd later: the first one's entries carry no state any more and are dropped.
  for (int i = 0; i < kClients; ++i) limiter.Acquire("late:" + std::to_string(i), quota, kT0 + 10s);
  EXPECT_GE(limiter.TrackedKeys(), std::size_t{kClients});
  EXPECT_LT(limiter.TrackedKeys(), std::size_t{kClients} * 3 / 2);
}

TEST(MemoryRateLimiter, ConcurrentCallersNeverExceedTheQuota) {
  MemoryRateLimiter limiter;
  const RateQuota quota{200, Millis(60'000)};
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) allowed += limiter.Acquire("shared", quota, kT0).allowed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed, 200);
}

Route TestRoute(RateClass rate_class, Access access = Access::kPublic) {
  Route route{"GET", "/x", [](Request& req) { return Success(req, 200, "{}"); }, access,
              rate_class};
  return route;
}

Request TestRequest(std::string ip, domain::TimePoint now = kT0) {
  Request req;
  req.remote_ip = std::move(ip);
  req.now = now;
  return req;
}

TEST(RateLimitMiddleware, LimitedAnswersCarryHeadersAnd429AddsRetryAfter) {
  MemoryRateLimiter limiter;
  Router router;
  router.Use(RateLimit(limiter, RateLimitPolicy{2, 200, 10, 1000, {}}));
  Route route = TestRoute(RateClass::kPublic);
  Request req = TestRequest("10.0.0.1");
  Response first = router.Run(req, route);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.Header("RateLimit-Limit"), "2");
  EXPECT_EQ(first.Header("RateLimit-Remaining"), "1");
  EXPECT_EQ(first.Header("RateLimit-Reset"), "30");
  EXPECT_FALSE(first.Header("Retry-After"));
  router.Run(req, route);
  Response refused = router.Run(req, route);
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find("RATE_LIMIT_EXCEEDED"), std::string::npos);
  EXPECT_EQ(refused.Header("Retry-After"), "30");
  EXPECT_EQ(refused.Header("RateLimit-Remaining"), "0");
  // Another client is not affected.
  Request other = TestRequest("10.0.0.2");
  EXPECT_EQ(router.Run(other, route).status, 200);
}

TEST(RateLimitMiddleware, OperationsRoutesAreNeverLimited) {
  MemoryRateLimiter limiter;
  Router router;
  router.Use(RateLimit(limiter, RateLimitPolicy{1, 1, 1, 1, {}}));
  Route health = TestRoute(RateClass::kNone);
  for (int i = 0; i < 5; ++i) {
    Request req = TestRequest("10.0.0.1");
    Response res = router.Run(req, health);
    EXPECT_EQ(res.status, 200);
    EXPECT_FALSE(res.Header("RateLimit-Limit"));
  }
}

TEST(RateLimitMiddleware, SignedInQuotasArePerUserAndPerClass) {
  MemoryRateLimiter limiter;
  Router router;
  router.Use(RateLimit(limiter, RateLimitPolicy{100, 3, 1, 1000, {}}));
  Route profile = TestRoute(RateClass::kAuthenticated, Access::kUser);
  Route booking = TestRoute(RateClass::kBooking, Access::kUser);
  auto as = [](std::string user) {
    Request req = TestRequest("10.0.0.1");
    req.principal = domain::Principal{std::move(user), domain::Role::kUser};
    return req;
  };
  Request ana = as("ana");
  EXPECT_EQ(router.Run(ana, booking).status, 200);
  EXPECT_EQ(router.Run(ana, booking).status, 429);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(router.Run(ana, profile).status, 200);
  EXPECT_EQ(router.Run(ana, profile).status, 429);
  // Same IP, other user: a quota of its own.
  Request bo = as("bo");
  EXPECT_EQ(router.Run(bo, profile).Header("RateLimit-Remaining"), "2");
}

TEST(ClientIp, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  const std::vector<std::string> trusted = {"10.0.0.9", "10.0.0.8"};
  Request direct = TestRequest("203.0.113.5");
  direct.headers = {{"x-forwarded-for", "1.1.1.1"}};
  EXPECT_EQ(ClientIp(direct, trusted), "203.0.113.5");
  EXPECT_EQ(ClientIp(direct, {}), "203.0.113.5");

  Request proxied = TestRequest("10.0.0.9");
  proxied.headers = {{"x-forwarded-for", "6.6.6.6, 198.51.100.7"}, {"x-forwarded-for", "10.0.0.8"}};
  // The spoofable left part is ignored: the nearest untrusted hop is the client.
  EXPECT_EQ(ClientIp(proxied, trusted), "198.51.100.7");
  Request bare = TestRequest("::ffff:10.0.0.9");
  EXPECT_EQ(ClientIp(bare, trusted), "10.0.0.9");
}

TEST(Pagination, DefaultsBoundsAndErrors) {
  Request req;
  auto defaults = ParsePagination(req);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->page, 1);
  EXPECT_EQ(defaults->per_page, 20);
  req.query = {{"page", "3"}, {"per_page", "100"}};
  auto page = ParsePagination(req);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->offset(), 200);
  for (auto [p, pp] : {std::pair{"0", "20"},
                       {"1", "0"},
                       {"1", "101"},
                       {"-1", "5"},
                       {"x", "5"},
                       {"1", ""},
                       {"2.5", "5"},
                       {"99999999999999999999", "5"}}) {
    req.query = {{"page", p}, {"per_page", pp}};
    auto bad = ParsePagination(req);
    ASSERT_FALSE(bad.ok()) << p << " " << pp;
    EXPECT_EQ(bad.error().code, domain::ErrorCode::kValidationError);
  }
}

}  // namespace
}  // namespace evently::http
