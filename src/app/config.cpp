#include "app/config.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace evently::app {

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> settings = {
      {"--host", "EVENTLY_HOST", "listen address", &Config::host},
      {"--port", "EVENTLY_PORT", "listen port (0: any free port)", &Config::port},
      {"--database-url", "EVENTLY_DATABASE_URL",
       "sqlite:PATH (embedded default) or postgresql://user@host:port/db", &Config::database_url},
      {"--mode", "EVENTLY_MODE", "dev or prod (prod refuses development secrets)", &Config::mode},
      {"--jwt-secret", "EVENTLY_JWT_SECRET", "HS256 signing secret (>= 32 bytes in prod)",
       &Config::jwt_secret},
      {"--io-threads", "EVENTLY_IO_THREADS", "threads running network I/O", &Config::io_threads},
      {"--worker-threads", "EVENTLY_WORKER_THREADS",
       "threads running handlers (store access, password hashing)", &Config::worker_threads},
      {"--db-pool-size", "EVENTLY_DB_POOL_SIZE", "store connections (readers on SQLite)",
       &Config::db_pool_size},
      {"--log-level", "EVENTLY_LOG_LEVEL", "trace, debug, info, warn, error", &Config::log_level},
      {"--log-format", "EVENTLY_LOG_FORMAT", "text or json", &Config::log_format},
      {"--access-log", "EVENTLY_ACCESS_LOG", "one JSON line per request (true/false)",
       &Config::access_log},
      {"--cors-origins", "EVENTLY_CORS_ORIGINS", "comma list of allowed origins, or *",
       &Config::cors_origins},
      {"--body-limit-bytes", "EVENTLY_BODY_LIMIT_BYTES", "largest request body accepted",
       &Config::body_limit_bytes},
      {"--header-timeout-seconds", "EVENTLY_HEADER_TIMEOUT_SECONDS",
       "time allowed to send a request", &Config::header_timeout_seconds},
      {"--idle-timeout-seconds", "EVENTLY_IDLE_TIMEOUT_SECONDS",
       "keep-alive connections idle longer are closed", &Config::idle_timeout_seconds},
      {"--shutdown-grace-seconds", "EVENTLY_SHUTDOWN_GRACE_SECONDS",
       "time in-flight requests get on SIGTERM", &Config::shutdown_grace_seconds},
      {"--hold-seconds", "EVENTLY_HOLD_SECONDS", "how long a pending booking holds its seats",
       &Config::hold_seconds},
      {"--max-seats-per-booking", "EVENTLY_MAX_SEATS_PER_BOOKING", "seats one booking may hold",
       &Config::max_seats_per_booking},
      {"--expiry-interval-ms", "EVENTLY_EXPIRY_INTERVAL_MS",
       "how often expired holds are returned to sale", &Config::expiry_interval_ms},
      {"--hold-batch-size", "EVENTLY_HOLD_BATCH_SIZE",
       "concurrent holds of one event folded into one transaction", &Config::hold_batch_size},
      {"--password-hash", "EVENTLY_PASSWORD_HASH",
       "Argon2id cost: interactive (default) or fast (tests and benchmarks; refused in prod)",
       &Config::password_hash},
      {"--rate-limits", "EVENTLY_RATE_LIMITS", "enforce request quotas (on/off)",
       &Config::rate_limits},
      {"--rate-limit-public", "EVENTLY_RATE_LIMIT_PUBLIC",
       "requests per minute per client IP on public routes", &Config::rate_limit_public},
      {"--rate-limit-authenticated", "EVENTLY_RATE_LIMIT_AUTHENTICATED",
       "requests per minute per user on signed-in routes", &Config::rate_limit_authenticated},
      {"--rate-limit-booking", "EVENTLY_RATE_LIMIT_BOOKING",
       "requests per minute per user on booking create/confirm/cancel",
       &Config::rate_limit_booking},
      {"--rate-limit-admin", "EVENTLY_RATE_LIMIT_ADMIN",
       "requests per minute per admin on admin routes", &Config::rate_limit_admin},
      {"--trusted-proxies", "EVENTLY_TRUSTED_PROXIES",
       "comma list of proxy addresses whose X-Forwarded-For names the client",
       &Config::trusted_proxies},
      {"--seat-map-cache-mb", "EVENTLY_SEAT_MAP_CACHE_MB",
       "memory for serialized seat maps kept per node", &Config::seat_map_cache_mb},
      {"--browse-cache-ms", "EVENTLY_BROWSE_CACHE_MS",
       "how long a node may answer GET /events and /events/{id} from memory (0: never)",
       &Config::browse_cache_ms},
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
  if (config.mode != "dev" && config.mode != "prod") return "mode must be dev or prod";
  if (config.mode == "prod" && config.jwt_secret == kDevJwtSecret) {
    return "refusing to start in prod mode with the built-in development JWT secret";
  }
  if (config.mode == "prod" && config.jwt_secret.size() < 32) {
    return "the JWT secret must be at least 32 bytes in prod mode";
  }
  if (config.port < 0 || config.port > 65535) return "port must be 0..65535";
  if (config.io_threads < 1 || config.io_threads > 64) return "io threads must be 1..64";
  if (config.worker_threads < 1 || config.worker_threads > 256) {
    return "worker threads must be 1..256";
  }
  if (config.db_pool_size < 1 || config.db_pool_size > 256) return "pool size must be 1..256";
  if (config.hold_seconds < 1 || config.hold_seconds > 86400)
    return "hold seconds must be 1..86400";
  if (config.max_seats_per_booking < 1 || config.max_seats_per_booking > 100) {
    return "max seats per booking must be 1..100";
  }
  if (config.expiry_interval_ms < 10 || config.expiry_interval_ms > 60000) {
    return "expiry interval must be 10..60000 ms";
  }
  if (config.hold_batch_size < 1 || config.hold_batch_size > 1024) {
    return "hold batch size must be 1..1024";
  }
  if (config.browse_cache_ms < 0 || config.browse_cache_ms > 60000) {
    return "browse cache must be 0..60000 ms";
  }
  if (config.seat_map_cache_mb < 1 || config.seat_map_cache_mb > 65536) {
    return "seat map cache must be 1..65536 MB";
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
  for (int limit : {config.rate_limit_public, config.rate_limit_authenticated,
                    config.rate_limit_booking, config.rate_limit_admin}) {
    if (limit < 1 || limit > 1'000'000'000) return "rate limits must be 1..1000000000 per minute";
  }
  return {};
}

std::string SettingsHelp() {
  std::string out;
  for (const Setting& s : Settings()) {
    out += "  " + std::string(s.flag) + " / " + std::string(s.env) + "\n      " +
           std::string(s.help) + "\n";
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
