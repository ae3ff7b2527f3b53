#include "app/application.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "http/middleware/auth.hpp"
#include "http/routes.hpp"
#include "storage/migrator.hpp"

namespace evently::app {

void SetUpLogging(const Config& config) {
  auto level = spdlog::level::from_str(config.log_level);
  auto logger = spdlog::stderr_logger_mt("evently");
  spdlog::set_default_logger(logger);
  spdlog::set_level(level);
  if (config.log_format == "json") {
    logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%v"})",
                        spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  }
  auto access = spdlog::stdout_logger_mt("access");
  access->set_pattern("%v");
  access->set_level(spdlog::level::info);
}

Application::Application(Config config)
    : config_(std::move(config)), jwt_(config_.jwt_secret, std::chrono::seconds(1800)) {}

Application::~Application() {
  if (workers_) workers_->join();
}

void Application::OpenStore() {
  storage::DatabaseOptions options;
  options.pool_size = static_cast<std::size_t>(config_.db_pool_size);
  db_ = storage::OpenDatabase(config_.database_url, options);
  int applied = storage::Migrate(*db_, clock_.Now());
  spdlog::info("store ready ({} migrations applied, schema v{})", applied,
               storage::LatestSchemaVersion(db_->dialect()));
  health_ = std::make_unique<storage::HealthStore>(*db_);
  catalog_store_ = std::make_unique<storage::CatalogStoreSql>(*db_);
  catalog_ = std::make_unique<domain::CatalogService>(*catalog_store_, clock_);
  browse_ = std::make_unique<http::BrowseCache>(std::chrono::milliseconds(config_.browse_cache_ms));
  catalog_->AddChangeListener(*browse_);
  metrics_.AddGauge("evently_store_pool_in_use", "store connections in use",
                    [this] { return static_cast<double>(db_->Stats().in_use); });
  metrics_.AddGauge("evently_store_pool_size", "store connections in the pool",
                    [this] { return static_cast<double>(db_->Stats().size); });
}

void Application::Listen() {
  workers_ = std::make_unique<boost::asio::thread_pool>(config_.worker_threads);
  router_.Use(http::Authenticate(jwt_));
  seat_maps_ = std::make_unique<http::SeatMapCache>(
      static_cast<std::size_t>(config_.seat_map_cache_mb) * 1024 * 1024);
  metrics_.AddGauge("evently_seat_map_cache_bytes", "serialized seat maps held by this node",
                    [this] { return static_cast<double>(seat_maps_->bytes()); });
  metrics_.AddGauge("evently_seat_map_cache_hits", "seat map requests answered from the cache",
                    [this] { return static_cast<double>(seat_maps_->hits()); });
  metrics_.AddGauge("evently_seat_map_cache_misses", "seat map requests that built the map",
                    [this] { return static_cast<double>(seat_maps_->misses()); });
  http::AddRoutes(router_, http::Services{*health_, metrics_, *catalog_, *seat_maps_, *browse_});
  http::ServerOptions options;
  options.host = config_.host;
  options.port = static_cast<unsigned short>(config_.port);
  options.io_threads = config_.io_threads;
  options.body_limit = static_cast<std::size_t>(config_.body_limit_bytes);
  options.header_timeout = std::chrono::seconds(config_.header_timeout_seconds);
  options.idle_timeout = std::chrono::seconds(config_.idle_timeout_seconds);
  options.shutdown_grace = std::chrono::seconds(config_.shutdown_grace_seconds);
  options.access_log = config_.access_log;
  for (std::size_t pos = 0; pos < config_.cors_origins.size();) {
    std::size_t end = config_.cors_origins.find(',', pos);
    if (end == std::string::npos) end = config_.cors_origins.size();
    std::string origin = config_.cors_origins.substr(pos, end - pos);
    if (!origin.empty()) options.cors_origins.push_back(origin);
    pos = end + 1;
  }
  server_ = std::make_unique<http::Server>(options, router_, *workers_, metrics_, clock_);
  server_->Listen();
}

void Application::Serve() {
  // The port line is machine-read by the test harness when --port 0 is used.
  spdlog::info("listening on http://{}:{}", config_.host, server_->port());
  server_->Run(true);
  spdlog::info("stopped accepting; waiting for workers");
  workers_->join();
  spdlog::info("shutdown complete");
}

}  // namespace evently::app
