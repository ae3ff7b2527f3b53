// Builds every component explicitly from the configuration and owns them.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include <memory>

#include "app/config.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/time.hpp"
#include "http/browse_cache.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/seat_map_cache.hpp"
#include "http/server.hpp"
#include "security/jwt.hpp"
#include "storage/catalog_store.hpp"
#include "storage/health_store.hpp"
#include "storage/sql.hpp"

namespace evently::app {

void SetUpLogging(const Config& config);

class Application {
 public:
  explicit Application(Config config);
  ~Application();

  // Opens the store and applies migrations.
  void OpenStore();
  // Builds handlers and binds the port (throws with a clear message when it is taken).
  void Listen();
  // Serves until SIGINT/SIGTERM.
  void Serve();

  storage::Database& database() { return *db_; }
  domain::CatalogService& catalog() { return *catalog_; }
  const domain::Clock& clock() const { return clock_; }
  const Config& config() const { return config_; }

 private:
  Config config_;
  domain::SystemClock clock_;
  security::JwtCodec jwt_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::HealthStore> health_;
  std::unique_ptr<storage::CatalogStoreSql> catalog_store_;
  std::unique_ptr<domain::CatalogService> catalog_;
  std::unique_ptr<http::SeatMapCache> seat_maps_;
  std::unique_ptr<http::BrowseCache> browse_;
  http::Metrics metrics_;
  http::Router router_;
  std::unique_ptr<boost::asio::thread_pool> workers_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace evently::app
