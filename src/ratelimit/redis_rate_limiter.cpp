#include "ratelimit/redis_rate_limiter.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>
#include <sys/time.h>

#include <array>
#include <utility>

namespace evently::ratelimit {
namespace {

using SteadyClock = std::chrono::steady_clock;

// KEYS[1]: the key; ARGV: now, window and one request's cost, in µs. The key holds the instant
// its bucket is full again (domain::GcraDecide): the script returns the backlog it found and,
// when the request fits, moves the instant on by one cost, expiring the key when the bucket
// would be full again (an expired key and a full bucket decide alike). %.0f keeps all 16
// digits of an epoch in µs, which Lua's tostring would round.
constexpr const char* kScript = R"lua(
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local backlog = tonumber(redis.call('GET', KEYS[1]) or now) - now
if backlog < 0 then backlog = 0 end
if backlog + interval <= window then
  local ahead = backlog + interval
  redis.call('SET', KEYS[1], string.format('%.0f', now + ahead), 'PX', math.ceil(ahead / 1000))
end
return backlog
)lua";

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms.count() % 1000) * 1000);
  return tv;
}

std::int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

}  // namespace

struct RedisRateLimiter::Connection {
  redisContext* context = nullptr;

  // One command from its arguments (binary-safe, no format string); null when the connection
  // failed (it is then unusable).
  ReplyPtr Command(const std::vector<std::string_view>& args) const {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(args.size());
    lengths.reserve(args.size());
    for (std::string_view arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    return ReplyPtr(static_cast<redisReply*>(
        redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data())));
  }
  std::string Error() const { return context->errstr[0] ? context->errstr : "no answer"; }
};

void RedisRateLimiter::ConnectionDeleter::operator()(Connection* connection) const {
  if (connection->context) redisFree(connection->context);
  delete connection;  // NOLINT(cppcoreguidelines-owning-memory): the unique_ptr's deleter
}

const char* RedisRateLimiter::Script() { return kScript; }

RedisRateLimiter::RedisRateLimiter(RedisLimiterOptions options, domain::RateLimiter& fallback)
    : options_(std::move(options)), fallback_(fallback) {}

RedisRateLimiter::~RedisRateLimiter() = default;

std::size_t RedisRateLimiter::idle_connections() {
  std::lock_guard lock(pool_mu_);
  return idle_.size();
}

RedisRateLimiter::ConnectionPtr RedisRateLimiter::Borrow(std::string& why) {
  {
    std::lock_guard lock(pool_mu_);
    if (!idle_.empty()) {
      ConnectionPtr connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  const RedisAddress& at = options_.address;
  ConnectionPtr connection(new Connection);
  connection->context =
      redisConnectWithTimeout(at.host.c_str(), at.port, ToTimeval(options_.timeout));
  if (!connection->context || connection->context->err) {
    why = connection->context ? connection->Error() : "cannot allocate a Redis context";
    return nullptr;
  }
  redisSetTimeout(connection->context, ToTimeval(options_.timeout));
  auto expect_ok = [&](const std::vector<std::string_view>& args) {
    ReplyPtr reply = connection->Command(args);
    if (!reply) {
      why = connection->Error();
      return false;
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      why = std::string(args[0]) + ": " + std::string(reply->str, reply->len);
      return false;
    }
    return true;
  };
  if (!at.password.empty()) {
    bool authed = at.user.empty() ? expect_ok({"AUTH", at.password})
                                  : expect_ok({"AUTH", at.user, at.password});
    if (!authed) return nullptr;
  }
  std::string db = std::to_string(at.db);
  if (at.db != 0 && !expect_ok({"SELECT", db})) return nullptr;
  return connection;
}

void RedisRateLimiter::Return(ConnectionPtr connection) {
  std::lock_guard lock(pool_mu_);
  idle_.push_back(std::move(connection));
}

bool RedisRateLimiter::LoadScript(Connection& connection, std::string& why) {
  ReplyPtr reply = connection.Command({"SCRIPT", "LOAD", kScript});
  if (!reply) {
    why = connection.Error();
    return false;
  }
  if (reply->type != REDIS_REPLY_STRING) {
    why = "SCRIPT LOAD: " + std::string(reply->str ? reply->str : "unexpected reply");
    return false;
  }
  std::lock_guard lock(sha_mu_);
  sha_.assign(reply->str, reply->len);
  return true;
}

std::optional<std::int64_t> RedisRateLimiter::Backlog(const std::string& key,
                                                      const domain::GcraCost& cost,
                                                      std::int64_t now_us, std::string& why) {
  ConnectionPtr connection = Borrow(why);
  if (!connection) return std::nullopt;
  std::string sha;
  {
    std::lock_guard lock(sha_mu_);
    sha = sha_;
  }
  if (sha.empty()) {
    if (!LoadScript(*connection, why)) return std::nullopt;
    std::lock_guard lock(sha_mu_);
    sha = sha_;
  }
  std::array<std::string, 3> numbers{std::to_string(now_us), std::to_string(cost.window_us),
                                     std::to_string(cost.interval_us)};
  for (int attempt = 0; attempt < 2; ++attempt) {
    ReplyPtr reply =
        connection->Command({"EVALSHA", sha, "1", key, numbers[0], numbers[1], numbers[2]});
    if (!reply) {
      why = connection->Error();
      return std::nullopt;  // the connection is dropped with `connection`
    }
    if (reply->type == REDIS_REPLY_INTEGER) {
      Return(std::move(connection));
      return reply->integer;
    }
    std::string error = reply->str ? std::string(reply->str, reply->len) : "unexpected reply";
    // Redis restarted or flushed its scripts: load it again, once, and retry.
    if (attempt == 0 && error.starts_with("NOSCRIPT")) {
      if (!LoadScript(*connection, why)) return std::nullopt;
      std::lock_guard lock(sha_mu_);
      sha = sha_;
      continue;
    }
    why = "EVALSHA: " + error;
    return std::nullopt;
  }
  return std::nullopt;
}

bool RedisRateLimiter::MayTry() {
  if (up_.load()) return true;
  std::int64_t now = SteadyNanos();
  std::int64_t at = retry_at_ns_.load();
  if (now < at) return false;
  // One caller per retry period probes Redis; the others keep deciding locally meanwhile.
  std::int64_t next = now + std::chrono::nanoseconds(options_.retry).count();
  return retry_at_ns_.compare_exchange_strong(at, next);
}

void RedisRateLimiter::MarkDown(const std::string& why) {
  retry_at_ns_.store(SteadyNanos() + std::chrono::nanoseconds(options_.retry).count());
  {
    // The idle connections went to the same server: after a restart every one of them is
    // broken, and trying them one retry period at a time would stretch the outage.
    std::lock_guard lock(pool_mu_);
    idle_.clear();
  }
  if (up_.exchange(false)) {
    ++outages_;
    spdlog::warn(
        "rate limits: Redis {}:{} unreachable ({}); this node's own counters decide "
        "until it answers (tried again every {} ms)",
        options_.address.host, options_.address.port, why, options_.retry.count());
  }
}

void RedisRateLimiter::MarkUp() {
  if (!up_.exchange(true)) {
    spdlog::info("rate limits: Redis {}:{} answers again; limits are shared across nodes",
                 options_.address.host, options_.address.port);
  }
}

domain::RateDecision RedisRateLimiter::Acquire(std::string_view key, const domain::RateQuota& quota,
                                               domain::TimePoint now) {
  if (MayTry()) {
    const domain::GcraCost cost = domain::GcraCostOf(quota);
    const std::int64_t now_us =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    std::string why;
    std::string redis_key = options_.key_prefix;
    redis_key += key;
    std::int64_t started = SteadyNanos();
    std::optional<std::int64_t> backlog = Backlog(redis_key, cost, now_us, why);
    redis_ns_ += static_cast<std::uint64_t>(SteadyNanos() - started);
    if (backlog) {
      MarkUp();
      ++decisions_;
      return domain::GcraDecide(*backlog, cost);
    }
    MarkDown(why);
  }
  ++fallbacks_;
  return fallback_.Acquire(key, quota, now);
}

}  // namespace evently::ratelimit
