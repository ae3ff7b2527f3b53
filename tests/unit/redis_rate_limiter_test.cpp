// The Redis limiter against a real redis-server (scripts/redis.sh, on a free port in a temp
// dir): the same decisions as the in-memory limiter, shared by two "nodes", and the fallback to
// the node's counters while Redis is down, slow or has lost its script.
#include "ratelimit/redis_rate_limiter.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "http/memory_rate_limiter.hpp"

namespace evently::ratelimit {
namespace {

using domain::FromEpochMillis;
using domain::Millis;
using domain::RateQuota;
using namespace std::chrono_literals;

const domain::TimePoint kT0 = FromEpochMillis(1'765'000'000'000);
const RateQuota kTenPerMinute{10, Millis(60'000)};

std::string Output(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 256> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

class RedisRateLimiterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::system("command -v redis-server >/dev/null 2>&1") != 0) return;
    dir_ = new std::string((std::filesystem::temp_directory_path() /
                            ("evently-redis-test-" + std::to_string(getpid())))
                               .string());
    url_ = new std::string(Output(Script("start")));
  }
  static void TearDownTestSuite() {
    if (dir_ && std::system(Script("stop").c_str()) != 0)
      std::fprintf(stderr, "redis.sh stop failed\n");
    delete dir_;
    delete url_;
    dir_ = url_ = nullptr;
  }
  void SetUp() override {
    if (!url_ || url_->empty()) GTEST_SKIP() << "redis-server is not installed";
  }
  static std::string Script(const std::string& verb) {
    return std::string(EVENTLY_SOURCE_DIR) + "/scripts/redis.sh " + verb + " " + *dir_;
  }
  RedisLimiterOptions Options(std::chrono::milliseconds retry = 50ms) const {
    RedisLimiterOptions options;
    options.address = *ParseRedisUrl(*url_);
    options.timeout = 200ms;  // generous: sanitizer builds on a busy machine
    options.retry = retry;
    // Each test its own keys, so that tests never see each other's counters.
    options.key_prefix =
        "test:" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
        ":" + std::to_string(std::random_device{}()) + ":";
    return options;
  }

  static std::string* dir_;
  static std::string* url_;
  http::MemoryRateLimiter local_;
};
std::string* RedisRateLimiterTest::dir_ = nullptr;
std::string* RedisRateLimiterTest::url_ = nullptr;

void ExpectSame(const domain::RateDecision& a, const domain::RateDecision& b, int step) {
  EXPECT_EQ(a.allowed, b.allowed) << step;
  EXPECT_EQ(a.limit, b.limit) << step;
  EXPECT_EQ(a.remaining, b.remaining) << step;
  EXPECT_EQ(a.reset, b.reset) << step;
  EXPECT_EQ(a.retry_after, b.retry_after) << step;
}

TEST_F(RedisRateLimiterTest, DecidesExactlyAsTheMemoryLimiter) {
  RedisRateLimiter redis(Options(), local_);
  http::MemoryRateLimiter reference;
  for (int i = 0; i < 10; ++i) {
    auto d = redis.Acquire("k", kTenPerMinute, kT0);
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 9 - i);
    EXPECT_EQ(d.reset, Millis(6'000 * (i + 1)));
  }
  auto refused = redis.Acquire("k", kTenPerMinute, kT0 + 1s);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, Millis(5'000));
  EXPECT_EQ(refused.reset, Millis(59'000));
  // A seeded random walk over three keys and two quotas, decision by decision.
  std::mt19937 rng(20);
  domain::TimePoint now = kT0 + 10min;
  const std::array<RateQuota, 2> quotas{kTenPerMinute, RateQuota{100, Millis(60'000)}};
  for (int step = 0; step < 600; ++step) {
    now += Millis(std::uniform_int_distribution<int>(0, 3'000)(rng));
    std::string key = "walk" + std::to_string(rng() % 3);
    const RateQuota& quota = quotas[rng() % 2];
    ExpectSame(redis.Acquire(key + std::to_string(quota.limit), quota, now),
               reference.Acquire(key + std::to_string(quota.limit), quota, now), step);
  }
  EXPECT_EQ(redis.fallbacks(), 0U);
  EXPECT_EQ(redis.decisions(), 611U);
  EXPECT_GE(redis.idle_connections(), 1U);
}

TEST_F(RedisRateLimiterTest, TwoNodesShareOneQuota) {
  RedisLimiterOptions options = Options();
  http::MemoryRateLimiter other_local;
  RedisRateLimiter node1(options, local_);
  RedisRateLimiter node2(options, other_local);
  int allowed = 0;
  for (int i = 0; i < 20; ++i) {
    RedisRateLimiter& node = i % 2 == 0 ? node1 : node2;
    allowed += node.Acquire("booking|user:u1", kTenPerMinute, kT0 + Millis(i)).allowed ? 1 : 0;
  }
  EXPECT_EQ(allowed, 10);
  auto refused = node2.Acquire("booking|user:u1", kTenPerMinute, kT0 + 1s);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
}

TEST_F(RedisRateLimiterTest, FallsBackWhileRedisIsDownAndComesBackByItself) {
  RedisRateLimiter redis(Options(100ms), local_);
  ASSERT_TRUE(redis.Acquire("a", kTenPerMinute, kT0).allowed);
  ASSERT_EQ(std::system(Script("pause").c_str()), 0);
  // Down: every request is still answered, by this node's own counters (fresh: 10 more).
  int allowed = 0;
  for (int i = 0; i < 12; ++i) allowed += redis.Acquire("a", kTenPerMinute, kT0).allowed ? 1 : 0;
  EXPECT_EQ(allowed, 10);
  EXPECT_FALSE(redis.up());
  EXPECT_EQ(redis.outages(), 1U);
  EXPECT_EQ(redis.fallbacks(), 12U);
  EXPECT_EQ(redis.decisions(), 1U);
  ASSERT_EQ(std::system(Script("resume").c_str()), 0);
  std::this_thread::sleep_for(150ms);  // past the retry period
  auto back = redis.Acquire("b", kTenPerMinute, kT0);
  EXPECT_TRUE(back.allowed);
  EXPECT_TRUE(redis.up());
  EXPECT_EQ(redis.decisions(), 2U);
  EXPECT_EQ(redis.outages(), 1U);
}

TEST_F(RedisRateLimiterTest, ARestartedRedisIsBackAfterOneRetryWhateverThePoolHeld) {
  RedisRateLimiter redis(Options(100ms), local_);
  // Concurrent callers leave several connections in the pool.
  std::vector<std::thread> callers;
  for (int t = 0; t < 6; ++t) {
    callers.emplace_back([&redis, t] {
      for (int i = 0; i < 20; ++i) {
        redis.Acquire("caller" + std::to_string(t), kTenPerMinute, kT0 + Millis(i));
      }
    });
  }
  for (auto& caller : callers) caller.join();
  ASSERT_GE(redis.idle_connections(), 1U);
  ASSERT_EQ(std::system(Script("pause").c_str()), 0);
  ASSERT_EQ(std::system(Script("resume").c_str()), 0);
  redis.Acquire("a", kTenPerMinute, kT0);  // a broken pooled connection: the outage begins
  EXPECT_FALSE(redis.up());
  EXPECT_EQ(redis.idle_connections(), 0U);  // none of its broken siblings is kept
  std::this_thread::sleep_for(150ms);
  EXPECT_TRUE(redis.Acquire("a", kTenPerMinute, kT0).allowed);
  EXPECT_TRUE(redis.up());
  EXPECT_EQ(redis.outages(), 1U);
}

TEST_F(RedisRateLimiterTest, TriesRedisAtMostOncePerRetryPeriodWhileDown) {
  RedisLimiterOptions options = Options(60s);
  options.address.port = 1;  // nothing listens there: refused at once
  RedisRateLimiter redis(options, local_);
  for (int i = 0; i < 50; ++i) redis.Acquire("a", kTenPerMinute, kT0);
  EXPECT_EQ(redis.outages(), 1U);
  EXPECT_EQ(redis.fallbacks(), 50U);
  EXPECT_EQ(redis.idle_connections(), 0U);
  EXPECT_LT(redis.redis_seconds(), 1.0);  // one refused connect, not fifty
}

TEST_F(RedisRateLimiterTest, ASilentRedisCostsOneTimeoutThenTheNodeDecides) {
  // A socket that accepts (the kernel's backlog) and never answers: a hung Redis.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 16), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  RedisLimiterOptions options = Options(60s);
  options.address.port = ntohs(addr.sin_port);
  options.timeout = 50ms;
  RedisRateLimiter redis(options, local_);
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(redis.Acquire("a", kTenPerMinute, kT0).allowed);
  auto took = std::chrono::steady_clock::now() - started;
  close(fd);
  EXPECT_LT(took, 1s);
  EXPECT_GE(redis.redis_seconds(), 0.045);
  EXPECT_EQ(redis.fallbacks(), 5U);
  EXPECT_FALSE(redis.up());
}

TEST_F(RedisRateLimiterTest, LoadsTheScriptAgainAfterRedisForgotIt) {
  RedisRateLimiter redis(Options(), local_);
  EXPECT_TRUE(redis.Acquire("a", kTenPerMinute, kT0).allowed);
  std::string port = url_->substr(url_->rfind(':') + 1, url_->rfind('/') - url_->rfind(':') - 1);
  ASSERT_EQ(Output("redis-cli -p " + port + " SCRIPT FLUSH"), "OK");
  auto second = redis.Acquire("a", kTenPerMinute, kT0);
  EXPECT_TRUE(second.allowed);
  EXPECT_EQ(second.remaining, 8);
  EXPECT_EQ(redis.fallbacks(), 0U);
  EXPECT_EQ(redis.decisions(), 2U);
}

TEST(RedisUrl, ParsesHostPortDatabaseAndCredentials) {
  auto plain = ParseRedisUrl("redis://10.0.0.5:6380/2");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->host, "10.0.0.5");
  EXPECT_EQ(plain->port, 6380);
  EXPECT_EQ(plain->db, 2);
  EXPECT_TRUE(plain->password.empty());
  auto defaults = ParseRedisUrl("redis://cache");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->host, "cache");
  EXPECT_EQ(defaults->port, 6379);
  EXPECT_EQ(defaults->db, 0);
  auto secret = ParseRedisUrl("redis://limiter:s3cret@cache:6379/0");
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->user, "limiter");
  EXPECT_EQ(secret->password, "s3cret");
  EXPECT_EQ(ParseRedisUrl("redis://:pw@cache/1")->password, "pw");
  EXPECT_FALSE(ParseRedisUrl("http://cache:6379"));
  EXPECT_FALSE(ParseRedisUrl("redis://cache:port/0"));
  EXPECT_FALSE(ParseRedisUrl("redis://cache:6379/x"));
}

}  // namespace
}  // namespace evently::ratelimit
