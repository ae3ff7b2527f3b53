// Builds every component explicitly from the configuration and owns them.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <memory>

#include "app/config.hpp"
#include "domain/analytics/analytics_service.hpp"
#include "domain/booking/booking_service.hpp"
#include "domain/booking/payment_reconciler.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/identity/account_service.hpp"
#include "domain/identity/auth_service.hpp"
#include "domain/identity/known_users.hpp"
#include "domain/notifications/notification_service.hpp"
#include "domain/ports/seat_changes.hpp"
#include "domain/queue/queue_service.hpp"
#include "domain/time.hpp"
#include "domain/waitlist/waitlist_service.hpp"
#include "http/browse_cache.hpp"
#include "http/memory_rate_limiter.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/seat_map_cache.hpp"
#include "http/seat_versions.hpp"
#include "http/server.hpp"
#include "jobs/notification_delivery.hpp"
#include "jobs/periodic_job.hpp"
#include "notify/curl_transport.hpp"
#include "payments/sandbox_gateway.hpp"
#include "payments/stripe_gateway.hpp"
#include "ratelimit/redis_rate_limiter.hpp"
#include "realtime/gateway.hpp"
#include "realtime/io_threads.hpp"
#include "realtime/seat_hub.hpp"
#include "security/admission_token.hpp"
#include "security/jwt.hpp"
#include "security/password_hasher.hpp"
#include "security/token_digest.hpp"
#include "storage/analytics_store.hpp"
#include "storage/availability_store.hpp"
#include "storage/booking_store.hpp"
#include "storage/catalog_store.hpp"
#include "storage/health_store.hpp"
#include "storage/idempotency_store.hpp"
#include "storage/notification_store.hpp"
#include "storage/payment_ledger_store.hpp"
#include "storage/queue_store.hpp"
#include "storage/refresh_token_store.hpp"
#include "storage/seat_feed.hpp"
#include "storage/sql.hpp"
#include "storage/user_store.hpp"
#include "storage/waitlist_store.hpp"

namespace evently::app {

void SetUpLogging(const Config& config);

class Application {
 public:
  explicit Application(Config config);
  ~Application();

  // Opens the store, applies migrations and builds the services over it.
  void OpenStore();
  // Builds handlers and binds the port (throws with a clear message when it is taken).
  void Listen();
  // Serves until SIGINT/SIGTERM, with the background jobs running.
  void Serve();
  domain::BookingService& bookings() { return *bookings_; }
  domain::WaitlistService& waitlist() { return *waitlist_; }

  storage::Database& database() { return *db_; }
  domain::CatalogService& catalog() { return *catalog_; }
  const domain::Clock& clock() const { return clock_; }
  const Config& config() const { return config_; }
  domain::AccountService& accounts() { return *accounts_; }
  domain::AuthService& auth() { return *auth_; }
  // The bound port, after Listen (with port 0: the one the system chose).
  unsigned short port() const { return server_->port(); }

 private:
  void StartJobs();
  void BuildIdentity();
  domain::RateLimiter& UseSharedLimits();
  void BuildQueue();
  void StartLiveSeats();

  Config config_;
  domain::SystemClock clock_;
  security::JwtCodec jwt_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::HealthStore> health_;
  std::unique_ptr<storage::BookingStore> booking_store_;
  std::unique_ptr<storage::IdempotencyStore> idempotency_store_;
  std::unique_ptr<domain::PaymentGateway> gateway_;  // sandbox or stripe (config.payments)
  domain::SeatChangeFanout seat_changes_;
  std::unique_ptr<domain::BookingService> bookings_;
  std::unique_ptr<storage::AnalyticsStore> analytics_store_;
  std::unique_ptr<domain::AnalyticsService> analytics_;
  std::unique_ptr<storage::WaitlistStore> waitlist_store_;
  std::unique_ptr<storage::NotificationStore> notification_store_;
  std::unique_ptr<storage::AvailabilityStore> availability_store_;
  std::unique_ptr<domain::WaitlistService> waitlist_;
  std::unique_ptr<security::AdmissionTokenCodec> admission_tokens_;
  std::unique_ptr<storage::QueueStoreSql> queue_store_;
  std::unique_ptr<domain::QueueService> queue_;
  std::unique_ptr<realtime::QueueLookup> queue_lookup_;
  std::unique_ptr<domain::NotificationService> notifications_;
  std::unique_ptr<notify::SmtpTransport> email_;
  std::unique_ptr<notify::SmsWebhookTransport> sms_;
  std::unique_ptr<jobs::NotificationDelivery> delivery_;
  std::vector<std::unique_ptr<jobs::PeriodicJob>> jobs_;
  std::unique_ptr<security::Argon2idHasher> password_hasher_;
  security::Sha256TokenDigest token_digest_;
  std::unique_ptr<storage::UserStore> users_;
  std::unique_ptr<domain::KnownUsers> known_users_;
  std::unique_ptr<storage::PaymentLedgerStore> payment_ledger_;
  std::unique_ptr<domain::PaymentReconciler> reconciler_;
  std::unique_ptr<storage::RefreshTokenStore> refresh_tokens_;
  std::unique_ptr<domain::AccountService> accounts_;
  std::unique_ptr<domain::AuthService> auth_;
  http::MemoryRateLimiter rate_limiter_;  // this node's counters; Redis' fallback
  std::unique_ptr<ratelimit::RedisRateLimiter> shared_limiter_;  // with EVENTLY_REDIS_URL
  std::unique_ptr<storage::CatalogStoreSql> catalog_store_;
  std::unique_ptr<domain::CatalogService> catalog_;
  std::unique_ptr<http::SeatMapCache> seat_maps_;
  std::unique_ptr<http::SeatVersionReader> seat_versions_;
  std::unique_ptr<http::BrowseCache> browse_;
  http::Metrics metrics_;
  http::Router router_;
  std::unique_ptr<boost::asio::thread_pool> workers_;
  // The hub and the gateway outlive the live seat map threads: sessions still open when their
  // io_context is destroyed unsubscribe from them.
  std::unique_ptr<realtime::SeatHub> hub_;
  std::unique_ptr<realtime::Gateway> ws_gateway_;
  std::unique_ptr<realtime::IoThreads> ws_threads_;
  std::unique_ptr<http::UpgradeHandler> ws_route_;
  http::Middleware quota_;  // the rate-limit step, when limits are on
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<storage::SeatChangeListener> seat_feed_;
};

}  // namespace evently::app
