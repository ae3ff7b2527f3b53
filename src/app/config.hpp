// Every setting: a flag and an EVENTLY_* variable, from one table (also printed by --help).
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace evently::app {

inline constexpr std::string_view kDevJwtSecret = "evently-development-secret-change-me";

struct Config {
  std::string host = "127.0.0.1";
  int port = 8000;
  std::string database_url = "sqlite:./data/evently.db";
  std::string mode = "dev";
  std::string jwt_secret = std::string(kDevJwtSecret);
  int io_threads = 1;
  int worker_threads = 64;
  int db_pool_size = 8;
  int store_timeout_ms = 5000;
  int tcp_keepalive_seconds = 30;
  std::string log_level = "info";
  std::string log_format = "text";
  bool access_log = true;
  std::string cors_origins;
  int body_limit_bytes = 1 << 20;
  int header_timeout_seconds = 10;
  int idle_timeout_seconds = 60;
  int shutdown_grace_seconds = 20;
  int hold_seconds = 300;
  int max_seats_per_booking = 10;
  int expiry_interval_ms = 250;
  int hold_batch_size = 64;
  std::string password_hash = "interactive";
  bool rate_limits = true;
  int rate_limit_public = 100;
  int rate_limit_authenticated = 200;
  int rate_limit_booking = 10;
  int rate_limit_admin = 1000;
  std::string trusted_proxies;
  std::string redis_url;
  int redis_timeout_ms = 50;
  int redis_retry_ms = 1000;
  int seat_map_cache_mb = 256;
  int browse_cache_ms = 1000;
  int offer_seconds = 900;
  int queue_interval_ms = 100;
  int queue_window_cap_seconds = 0;
  std::string payments = "sandbox";
  std::string stripe_api_base = "https://api.stripe.com";
  std::string stripe_secret_key;
  int payment_timeout_ms = 10000;
  int payment_lease_seconds = 60;
  int reconcile_interval_ms = 1000;
  int ws_threads = 2;
  int ws_max_connections = 10000;
  int ws_send_queue = 256;
  int ws_batch_ms = 50;
  int ws_max_message_bytes = 4096;
  int ws_max_subscriptions = 64;
  int ws_idle_timeout_seconds = 60;
  int ws_socket_send_buffer = 0;
  std::string smtp_url;
  std::string smtp_from = "Evently <no-reply@evently.local>";
  std::string sms_webhook_url;
  int notify_timeout_ms = 10000;
  int notify_max_attempts = 20;
  int notify_max_backoff_seconds = 600;
  int notify_interval_ms = 250;
  int purge_interval_ms = 60000;
};

// The values a number setting may take, both ends included; anything else refuses to start.
struct IntRange {
  int min = 0;
  int max = 0;
};

struct Setting {
  std::string_view flag;  // "--port"
  std::string_view env;   // "EVENTLY_PORT"
  std::string_view help;
  std::variant<std::string Config::*, int Config::*, bool Config::*> field;
  IntRange range{};  // every number setting has one
};

const std::vector<Setting>& Settings();

// Defaults, then the environment, then flags (`--name value` or `--name=value`).
// Returns an error message, or empty on success. Unknown flags are errors.
std::string LoadConfig(Config& config, const std::vector<std::string>& args);
// Checks that make no sense to start with (an empty JWT secret, prod with the development one, a
// number outside its setting's range); the message names the setting.
std::string ValidateConfig(const Config& config);
std::string SettingsHelp();
// "a, b,,c" -> {"a", "b", "c"}: the shape of every list setting.
std::vector<std::string> SplitList(std::string_view text);

}  // namespace evently::app
