#include "app/config.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "ratelimit/redis_url.hpp"

namespace evently::app {
namespace {

constexpr IntRange Between(int min, int max) { return {min, max}; }

}  // namespace

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> settings = {
      {"--host", "EVENTLY_HOST", "listen address", &Config::host},
      {"--port", "EVENTLY_PORT", "listen port (0: any free port)", &Config::port,
       Between(0, 65535)},
      {"--database-url", "EVENTLY_DATABASE_URL",
       "sqlite:PATH (embedded default) or postgresql://user@host:port/db", &Config::database_url},
      {"--mode", "EVENTLY_MODE", "dev or prod (prod refuses development secrets)", &Config::mode},
      {"--jwt-secret", "EVENTLY_JWT_SECRET", "HS256 signing secret (>= 32 bytes in prod)",
       &Config::jwt_secret},
      {"--io-threads", "EVENTLY_IO_THREADS", "threads running network I/O", &Config::io_threads,
       Between(1, 64)},
      {"--worker-threads", "EVENTLY_WORKER_THREADS",
       "threads running handlers (store access, password hashing)", &Config::worker_threads,
       Between(1, 256)},
      {"--db-pool-size", "EVENTLY_DB_POOL_SIZE", "store connections (readers on SQLite)",
       &Config::db_pool_size, Between(1, 256)},
      {"--store-timeout-ms", "EVENTLY_STORE_TIMEOUT_MS",
       "the longest one store call waits in all (a free connection, connecting, every answer; "
       "also PostgreSQL's statement timeout and TCP timeouts); past it: 503",
       &Config::store_timeout_ms, Between(100, 600000)},
      {"--tcp-keepalive-seconds", "EVENTLY_TCP_KEEPALIVE_SECONDS",
       "client connections silent this long are probed, and dropped after 3 unanswered probes "
       "a third of it apart (0: off)",
       &Config::tcp_keepalive_seconds, Between(0, 7200)},
      {"--log-level", "EVENTLY_LOG_LEVEL", "trace, debug, info, warn, error, critical, off",
       &Config::log_level},
      {"--log-format", "EVENTLY_LOG_FORMAT", "text or json", &Config::log_format},
      {"--access-log", "EVENTLY_ACCESS_LOG", "one JSON line per request (true/false)",
       &Config::access_log},
      {"--cors-origins", "EVENTLY_CORS_ORIGINS", "comma list of allowed origins, or *",
       &Config::cors_origins},
      {"--body-limit-bytes", "EVENTLY_BODY_LIMIT_BYTES", "largest request body accepted",
       &Config::body_limit_bytes, Between(1024, 64 << 20)},
      {"--header-timeout-seconds", "EVENTLY_HEADER_TIMEOUT_SECONDS",
       "time allowed to send a request", &Config::header_timeout_seconds, Between(1, 3600)},
      {"--idle-timeout-seconds", "EVENTLY_IDLE_TIMEOUT_SECONDS",
       "keep-alive connections idle longer are closed", &Config::idle_timeout_seconds,
       Between(1, 86400)},
      {"--shutdown-grace-seconds", "EVENTLY_SHUTDOWN_GRACE_SECONDS",
       "time in-flight requests get on SIGTERM", &Config::shutdown_grace_seconds, Between(0, 3600)},
      {"--hold-seconds", "EVENTLY_HOLD_SECONDS", "how long a pending booking holds its seats",
       &Config::hold_seconds, Between(1, 86400)},
      {"--max-seats-per-booking", "EVENTLY_MAX_SEATS_PER_BOOKING", "seats one booking may hold",
       &Config::max_seats_per_booking, Between(1, 100)},
      {"--expiry-interval-ms", "EVENTLY_EXPIRY_INTERVAL_MS",
       "how often expired holds and lapsed waitlist offers are passed on",
       &Config::expiry_interval_ms, Between(10, 60000)},
      {"--hold-batch-size", "EVENTLY_HOLD_BATCH_SIZE",
       "concurrent holds of one event folded into one transaction", &Config::hold_batch_size,
       Between(1, 1024)},
      {"--password-hash", "EVENTLY_PASSWORD_HASH",
       "Argon2id cost: interactive (default) or fast (tests and benchmarks; refused in prod)",
       &Config::password_hash},
      {"--rate-limits", "EVENTLY_RATE_LIMITS", "enforce request quotas (on/off)",
       &Config::rate_limits},
      {"--rate-limit-public", "EVENTLY_RATE_LIMIT_PUBLIC",
       "requests per minute per client IP on public routes", &Config::rate_limit_public,
       Between(1, 1000000000)},
      {"--rate-limit-authenticated", "EVENTLY_RATE_LIMIT_AUTHENTICATED",
       "requests per minute per user on signed-in routes", &Config::rate_limit_authenticated,
       Between(1, 1000000000)},
      {"--rate-limit-booking", "EVENTLY_RATE_LIMIT_BOOKING",
       "requests per minute per user on booking create/confirm/cancel", &Config::rate_limit_booking,
       Between(1, 1000000000)},
      {"--rate-limit-admin", "EVENTLY_RATE_LIMIT_ADMIN",
       "requests per minute per admin on admin routes", &Config::rate_limit_admin,
       Between(1, 1000000000)},
      {"--trusted-proxies", "EVENTLY_TRUSTED_PROXIES",
       "comma list of proxy addresses whose X-Forwarded-For names the client",
       &Config::trusted_proxies},
      {"--redis-url", "EVENTLY_REDIS_URL",
       "redis://host:port/db: rate-limit counters shared by every node (none: per node)",
       &Config::redis_url},
      {"--redis-timeout-ms", "EVENTLY_REDIS_TIMEOUT_MS",
       "wait for Redis per decision before this node's own counters decide",
       &Config::redis_timeout_ms, Between(1, 10000)},
      {"--redis-retry-ms", "EVENTLY_REDIS_RETRY_MS",
       "while Redis is unreachable, how often one request tries it again", &Config::redis_retry_ms,
       Between(10, 600000)},
      {"--seat-map-cache-mb", "EVENTLY_SEAT_MAP_CACHE_MB",
       "memory for serialized seat maps kept per node", &Config::seat_map_cache_mb,
       Between(1, 65536)},
      {"--browse-cache-ms", "EVENTLY_BROWSE_CACHE_MS",
       "how long a node may answer GET /events and /events/{id} from memory (0: never)",
       &Config::browse_cache_ms, Between(0, 60000)},
      {"--offer-seconds", "EVENTLY_OFFER_SECONDS",
       "how long released seats stay held for the waitlist entry they are offered to",
       &Config::offer_seconds, Between(1, 7 * 86400)},
      {"--queue-interval-ms", "EVENTLY_QUEUE_INTERVAL_MS",
       "how often waiting rooms admit, expire lapsed windows and notice a sell-out",
       &Config::queue_interval_ms, Between(10, 10000)},
      {"--queue-window-cap-seconds", "EVENTLY_QUEUE_WINDOW_CAP_SECONDS",
       "when above 0, no admission window lasts longer (tests and demos; refused in prod)",
       &Config::queue_window_cap_seconds, Between(0, 3600)},
      {"--payments", "EVENTLY_PAYMENTS",
       "payment gateway: sandbox (built in, the default) or stripe (Stripe's REST API)",
       &Config::payments},
      {"--stripe-api-base", "EVENTLY_STRIPE_API_BASE",
       "base URL of the Stripe API (a local fake in tests: tools/fake_stripe.py)",
       &Config::stripe_api_base},
      {"--stripe-secret-key", "EVENTLY_STRIPE_SECRET_KEY", "Stripe secret key (sk_...)",
       &Config::stripe_secret_key},
      {"--payment-timeout-ms", "EVENTLY_PAYMENT_TIMEOUT_MS",
       "deadline of one call to the payment gateway", &Config::payment_timeout_ms,
       Between(100, 120000)},
      {"--payment-lease-seconds", "EVENTLY_PAYMENT_LEASE_SECONDS",
       "how long a confirmation may take between its payment attempt and its commit before the "
       "reconciler settles the attempt",
       &Config::payment_lease_seconds, Between(1, 3600)},
      {"--reconcile-interval-ms", "EVENTLY_RECONCILE_INTERVAL_MS",
       "how often stale payment attempts are settled and authorizations captured",
       &Config::reconcile_interval_ms, Between(10, 600000)},
      {"--ws-threads", "EVENTLY_WS_THREADS",
       "threads running live seat map connections (apart from the HTTP I/O threads)",
       &Config::ws_threads, Between(1, 64)},
      {"--ws-max-connections", "EVENTLY_WS_MAX_CONNECTIONS",
       "live seat map connections; more are closed with 1013 (try again later)",
       &Config::ws_max_connections, Between(0, 1000000)},
      {"--ws-send-queue", "EVENTLY_WS_SEND_QUEUE",
       "batches (or queued answers) a live seat map client may fall behind before it is dropped",
       &Config::ws_send_queue, Between(2, 65536)},
      {"--ws-batch-ms", "EVENTLY_WS_BATCH_MS",
       "under bursts, seat updates of an event are sent at most this often", &Config::ws_batch_ms,
       Between(1, 100)},
      {"--ws-max-message-bytes", "EVENTLY_WS_MAX_MESSAGE_BYTES",
       "largest client message answered normally (larger: an error frame)",
       &Config::ws_max_message_bytes, Between(64, 1 << 20)},
      {"--ws-max-subscriptions", "EVENTLY_WS_MAX_SUBSCRIPTIONS", "events one connection may follow",
       &Config::ws_max_subscriptions, Between(1, 1000)},
      {"--ws-idle-timeout-seconds", "EVENTLY_WS_IDLE_TIMEOUT_SECONDS",
       "a silent client is pinged after half of this and closed when it does not answer",
       &Config::ws_idle_timeout_seconds, Between(2, 3600)},
      {"--ws-socket-send-buffer", "EVENTLY_WS_SOCKET_SEND_BUFFER",
       "kernel send buffer per live seat map connection in bytes (0: kernel autotuning)",
       &Config::ws_socket_send_buffer, Between(0, 64 << 20)},
      {"--smtp-url", "EVENTLY_SMTP_URL",
       "mail server for email notifications, e.g. smtp://127.0.0.1:2525 (empty: emails wait)",
       &Config::smtp_url},
      {"--smtp-from", "EVENTLY_SMTP_FROM", "sender of email notifications", &Config::smtp_from},
      {"--sms-webhook-url", "EVENTLY_SMS_WEBHOOK_URL",
       "URL that receives text messages as JSON POSTs (empty: text messages wait)",
       &Config::sms_webhook_url},
      {"--notify-timeout-ms", "EVENTLY_NOTIFY_TIMEOUT_MS",
       "time one email or text message may take before it is retried later",
       &Config::notify_timeout_ms, Between(100, 120000)},
      {"--notify-max-attempts", "EVENTLY_NOTIFY_MAX_ATTEMPTS",
       "attempts before a delivery is marked failed", &Config::notify_max_attempts,
       Between(1, 1000)},
      {"--notify-max-backoff-seconds", "EVENTLY_NOTIFY_MAX_BACKOFF_SECONDS",
       "longest wait between two attempts (exponential from 1 s)",
       &Config::notify_max_backoff_seconds, Between(1, 86400)},
      {"--notify-interval-ms", "EVENTLY_NOTIFY_INTERVAL_MS",
       "how often the outbox is checked for due deliveries", &Config::notify_interval_ms,
       Between(10, 60000)},
      {"--purge-interval-ms", "EVENTLY_PURGE_INTERVAL_MS",
       "how often expired idempotency keys and refresh tokens are deleted",
       &Config::purge_interval_ms, Between(10, 3600000)},
  };
  return settings;
}

namespace {

std::string Assign(Config& config, const Setting& setting, std::string_view value) {
  return std::visit(
      [&](auto member) -> std::string {
        using T = std::remove_reference_t<decltype(config.*member)>;
        if constexpr (std::is_same_v<T, std::string>) {
          config.*member = std::string(value);
        } else if constexpr (std::is_same_v<T, int>) {
          int n = 0;
          auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
          if (ec != std::errc() || ptr != value.data() + value.size()) {
            return std::string(setting.flag) + " expects an integer, got '" + std::string(value) +
                   "'";
          }
          config.*member = n;
        } else {
          if (value == "true" || value == "1" || value == "on" || value == "yes") {
            config.*member = true;
          } else if (value == "false" || value == "0" || value == "off" || value == "no") {
            config.*member = false;
          } else {
            return std::string(setting.flag) + " expects true or false";
          }
        }
        return {};
      },
      setting.field);
}

}  // namespace

std::string LoadConfig(Config& config, const std::vector<std::string>& args) {
  for (const Setting& setting : Settings()) {
    if (const char* value = std::getenv(std::string(setting.env).c_str())) {
      if (auto err = Assign(config, setting, value); !err.empty()) {
        return std::string(setting.env) + ": " + err;
      }
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    const Setting* match = nullptr;
    for (const Setting& setting : Settings()) {
      if (setting.flag == arg) match = &setting;
    }
    if (!match) return "unknown option '" + arg + "' (see --help)";
    if (!has_value) {
      if (i + 1 >= args.size()) return arg + " needs a value";
      value = args[++i];
    }
    if (auto err = Assign(config, *match, value); !err.empty()) return err;
  }
  return {};
}

std::string ValidateConfig(const Config& config) {
  for (const Setting& setting : Settings()) {
    const auto* member = std::get_if<int Config::*>(&setting.field);
    if (!member) continue;
    int value = config.**member;
    if (value < setting.range.min || value > setting.range.max) {
      return std::string(setting.env) + " (" + std::string(setting.flag) + ") must be " +
             std::to_string(setting.range.min) + ".." + std::to_string(setting.range.max) +
             ", got " + std::to_string(value);
    }
  }
  if (config.mode != "dev" && config.mode != "prod") return "mode must be dev or prod";
  if (!config.redis_url.empty() && !ratelimit::ParseRedisUrl(config.redis_url)) {
    return "EVENTLY_REDIS_URL must be redis://[[user]:password@]host[:port][/db]";
  }
  // An empty key signs tokens anyone can forge, in any mode.
  if (config.jwt_secret.empty()) {
    return "the JWT secret is empty: set EVENTLY_JWT_SECRET (--jwt-secret), at least 32 bytes "
           "in prod mode";
  }
  if (config.mode == "prod" && config.jwt_secret == kDevJwtSecret) {
    return "refusing to start in prod mode with the built-in development JWT secret";
  }
  if (config.mode == "prod" && config.jwt_secret.size() < 32) {
    return "the JWT secret must be at least 32 bytes in prod mode";
  }
  if (config.payments != "sandbox" && config.payments != "stripe") {
    return "payments must be sandbox or stripe";
  }
  if (config.payments == "stripe" && config.stripe_secret_key.empty()) {
    return "payments=stripe needs a Stripe secret key (EVENTLY_STRIPE_SECRET_KEY)";
  }
  // The lease must outlast a gateway call, or the reconciler would void charges still running.
  if (config.payment_lease_seconds * 1000 <= config.payment_timeout_ms) {
    return "the payment lease must be longer than the payment timeout";
  }
  static constexpr std::string_view kLogLevels[] = {"trace", "debug",    "info", "warn",
                                                    "error", "critical", "off"};
  if (std::find(std::begin(kLogLevels), std::end(kLogLevels), config.log_level) ==
      std::end(kLogLevels)) {
    return "log level must be trace, debug, info, warn, error, critical or off";
  }
  if (config.log_format != "text" && config.log_format != "json") {
    return "log format must be text or json";
  }
  if (config.password_hash != "interactive" && config.password_hash != "fast") {
    return "password hash must be interactive or fast";
  }
  if (config.mode == "prod" && config.password_hash == "fast") {
    return "refusing the fast password hash in prod mode (it is for tests and benchmarks)";
  }
  if (config.mode == "prod" && config.queue_window_cap_seconds > 0) {
    return "refusing EVENTLY_QUEUE_WINDOW_CAP_SECONDS in prod mode (it is for tests and demos: "
           "admitted buyers would get less time than their event promises)";
  }
  return {};
}

std::string SettingsHelp() {
  std::string out;
  for (const Setting& s : Settings()) {
    out +=
        "  " + std::string(s.flag) + " / " + std::string(s.env) + "\n      " + std::string(s.help);
    if (std::holds_alternative<int Config::*>(s.field)) {
      out += " [" + std::to_string(s.range.min) + ".." + std::to_string(s.range.max) + "]";
    }
    out += "\n";
  }
  return out;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t end = std::min(text.find(',', pos), text.size());
    std::string_view item = text.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    pos = end + 1;
  }
  return items;
}

}  // namespace evently::app
