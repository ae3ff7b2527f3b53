#include "app/application.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <boost/asio/post.hpp>

#include "http/middleware/auth.hpp"
#include "http/middleware/idempotency.hpp"
#include "http/middleware/rate_limit.hpp"
#include "http/routes.hpp"
#include "security/digest.hpp"
#include "storage/migrator.hpp"

namespace evently::app {

namespace {

// Hands WebSocket upgrades of /ws/events/... from the HTTP server to the live seat gateway. A
// connect draws from its client's public quota first (`quota`: the router's rate-limit step,
// when limits are on), so a storm of connects from one client is refused with a 429 before
// any event is looked up.
class LiveSeatsRoute final : public http::UpgradeHandler {
 public:
  LiveSeatsRoute(realtime::Gateway& gateway, http::Middleware quota)
      : gateway_(gateway), quota_(std::move(quota)) {}
  bool Handles(std::string_view target) const override {
    return realtime::Gateway::Handles(target);
  }
  std::optional<http::Response> Admit(http::Request& req) override {
    if (!quota_) return std::nullopt;
    static const http::Route kLiveSeats{.method = "GET", .pattern = "/ws/events/{event_id}"};
    bool passed = false;
    http::Response answer = quota_(req, kLiveSeats, [&](http::Request&) {
      passed = true;
      return http::Response{};
    });
    if (passed) return std::nullopt;
    return answer;
  }
  void Accept(boost::asio::ip::tcp::socket socket,
              boost::beast::http::request<boost::beast::http::string_body> request) override {
    gateway_.Accept(std::move(socket), std::move(request));
  }

 private:
  realtime::Gateway& gateway_;
  http::Middleware quota_;
};

constexpr std::chrono::milliseconds kReadyTimeout{1000};

// Watched waiting-room tickets for the live gateway: looked up on the worker pool (a store read),
// with the caller's access token checked when the client sent one.
class QueueTicketLookup final : public realtime::QueueLookup {
 public:
  QueueTicketLookup(domain::QueueService& queue, const domain::AccessTokenVerifier& verifier,
                    const domain::Clock& clock, boost::asio::thread_pool& workers)
      : queue_(queue), verifier_(verifier), clock_(clock), workers_(workers) {}
  void Look(const std::string& event_id, const std::string& ticket_id,
            const std::string& access_token,
            std::function<void(domain::Result<domain::QueueTicket>)> done) override {
    boost::asio::post(workers_, [this, event_id, ticket_id, access_token, done = std::move(done)] {
      std::string user_id;
      if (!access_token.empty()) {
        auto principal = verifier_.Verify(access_token, clock_.Now());
        if (!principal.ok()) return done(principal.error());
        user_id = principal->user_id;
      }
      try {
        done(queue_.Watch(event_id, ticket_id, user_id));
      } catch (const std::exception&) {
        done(domain::MakeError(domain::ErrorCode::kServiceUnavailable));
      }
    });
  }

 private:
  domain::QueueService& queue_;
  const domain::AccessTokenVerifier& verifier_;
  const domain::Clock& clock_;
  boost::asio::thread_pool& workers_;
};

// Every live seat map is a socket: take the hard limit on open files, not the login default.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

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
  options.timeout_ms = config_.store_timeout_ms;
  db_ = storage::OpenDatabase(config_.database_url, options);
  int applied = storage::Migrate(*db_, clock_.Now());
  spdlog::info("store ready ({} migrations applied, schema v{})", applied,
               storage::LatestSchemaVersion(db_->dialect()));
  // /ready answers fast even when the store does not: at most a second (load balancers' probes
  // time out in a few).
  health_ = std::make_unique<storage::HealthStore>(
      *db_, std::min(std::chrono::milliseconds(config_.store_timeout_ms), kReadyTimeout));
  catalog_store_ = std::make_unique<storage::CatalogStoreSql>(*db_);
  catalog_ = std::make_unique<domain::CatalogService>(*catalog_store_, clock_);
  browse_ = std::make_unique<http::BrowseCache>(std::chrono::milliseconds(config_.browse_cache_ms));
  catalog_->AddChangeListener(*browse_);
  domain::OfferPolicy offers{std::chrono::seconds(config_.offer_seconds)};
  storage::BookingStoreOptions booking_options{static_cast<std::size_t>(config_.hold_batch_size),
                                               offers};
  // Half the store timeout for the queue, the whole of it for the batch's own store call: a hold
  // is answered within one and a half timeouts however many events' batches are stuck ahead.
  booking_options.max_queue_wait = std::chrono::milliseconds(config_.store_timeout_ms / 2);
  booking_store_ = std::make_unique<storage::BookingStore>(*db_, booking_options);
  idempotency_store_ = std::make_unique<storage::IdempotencyStore>(*db_);
  domain::BookingPolicy policy;
  policy.hold_time = std::chrono::seconds(config_.hold_seconds);
  policy.max_seats = static_cast<std::size_t>(config_.max_seats_per_booking);
  policy.payment_lease = std::chrono::seconds(config_.payment_lease_seconds);
  if (config_.payments == "stripe") {
    gateway_ = std::make_unique<payments::StripeGateway>(
        payments::StripeOptions{config_.stripe_api_base, config_.stripe_secret_key,
                                std::chrono::milliseconds(config_.payment_timeout_ms)});
  } else {
    gateway_ = std::make_unique<payments::SandboxGateway>();
  }
  bookings_ = std::make_unique<domain::BookingService>(*booking_store_, *gateway_, seat_changes_,
                                                       clock_, policy);
  payment_ledger_ = std::make_unique<storage::PaymentLedgerStore>(*db_);
  reconciler_ = std::make_unique<domain::PaymentReconciler>(*payment_ledger_, *gateway_, clock_);
  analytics_store_ = std::make_unique<storage::AnalyticsStore>(*db_);
  analytics_ = std::make_unique<domain::AnalyticsService>(*analytics_store_, clock_);
  BuildIdentity();
  catalog_->AddCancellationListener(*bookings_);
  waitlist_store_ = std::make_unique<storage::WaitlistStore>(*db_, offers);
  notification_store_ = std::make_unique<storage::NotificationStore>(*db_);
  availability_store_ = std::make_unique<storage::AvailabilityStore>(*db_);
  waitlist_ = std::make_unique<domain::WaitlistService>(*waitlist_store_, seat_changes_, clock_);
  BuildQueue();
  domain::DeliveryPolicy delivery;
  delivery.max_attempts = config_.notify_max_attempts;
  delivery.max_backoff = std::chrono::seconds(config_.notify_max_backoff_seconds);
  delivery.lease = std::chrono::milliseconds(2 * config_.notify_timeout_ms + 5000);
  notifications_ =
      std::make_unique<domain::NotificationService>(*notification_store_, clock_, delivery);
  metrics_.AddGauge("evently_store_pool_in_use", "store connections in use",
                    [this] { return static_cast<double>(db_->Stats().in_use); });
  metrics_.AddGauge("evently_store_pool_size", "store connections in the pool",
                    [this] { return static_cast<double>(db_->Stats().size); });
  if (db_->MemoryBytes() >= 0) {
    metrics_.AddGauge("evently_store_memory_bytes",
                      "memory the store's library holds in this process (SQLite's page caches)",
                      [this] { return static_cast<double>(db_->MemoryBytes()); });
  }
}

void Application::BuildQueue() {
  admission_tokens_ = std::make_unique<security::AdmissionTokenCodec>(config_.jwt_secret);
  storage::QueueStoreOptions options;
  options.window_cap_seconds = config_.queue_window_cap_seconds;
  queue_store_ = std::make_unique<storage::QueueStoreSql>(*db_, options);
  queue_ = std::make_unique<domain::QueueService>(*queue_store_, *admission_tokens_, clock_);
  // Tickets by status: the last counts the admission job read (once a second, this node's view
  // of the store); admissions: what this node's rounds admitted.
  using Counts = domain::QueueCounts;
  for (const auto& by_status :
       {std::pair{"waiting", &Counts::waiting}, std::pair{"admitted", &Counts::admitted},
        std::pair{"expired", &Counts::expired}, std::pair{"left", &Counts::left},
        std::pair{"sold_out", &Counts::sold_out}}) {
    std::int64_t Counts::*field = by_status.second;
    metrics_.AddGauge(std::string("evently_queue_tickets{status=\"") + by_status.first + "\"}",
                      "waiting-room tickets of the events whose sale is on, by status",
                      [this, field] { return static_cast<double>(queue_->LastCounts().*field); });
  }
  metrics_.AddGauge("evently_queue_admissions_total",
                    "waiting-room tickets admitted by this node's admission rounds (a counter)",
                    [this] { return static_cast<double>(queue_->admitted_total()); });
  metrics_.AddGauge("evently_queue_positions_in_memory",
                    "waiting tickets' order keys this node holds for positions (8 bytes each)",
                    [this] { return static_cast<double>(queue_->waiting_in_memory()); });
}

void Application::BuildIdentity() {
  // ValidateConfig has vetted the name.
  auto cost = security::ParsePasswordHashCost(config_.password_hash)
                  .value_or(security::PasswordHashCost::kInteractive);
  password_hasher_ = std::make_unique<security::Argon2idHasher>(cost);
  users_ = std::make_unique<storage::UserStore>(*db_);
  refresh_tokens_ = std::make_unique<storage::RefreshTokenStore>(*db_);
  accounts_ = std::make_unique<domain::AccountService>(*users_, *password_hasher_, clock_);
  auth_ = std::make_unique<domain::AuthService>(domain::AuthService::Ports{
      *accounts_, *users_, *refresh_tokens_, *password_hasher_, token_digest_, jwt_, clock_});
}

void Application::Listen() {
  workers_ = std::make_unique<boost::asio::thread_pool>(config_.worker_threads);
  known_users_ = std::make_unique<domain::KnownUsers>(*users_);
  router_.Use(http::Authenticate(jwt_, *known_users_));
  seat_maps_ = std::make_unique<http::SeatMapCache>(
      static_cast<std::size_t>(config_.seat_map_cache_mb) * 1024 * 1024);
  metrics_.AddGauge("evently_seat_map_cache_bytes", "serialized seat maps held by this node",
                    [this] { return static_cast<double>(seat_maps_->bytes()); });
  metrics_.AddGauge("evently_seat_map_cache_hits", "seat map requests answered from the cache",
                    [this] { return static_cast<double>(seat_maps_->hits()); });
  metrics_.AddGauge("evently_seat_map_cache_misses", "seat map requests that built the map",
                    [this] { return static_cast<double>(seat_maps_->misses()); });
  // Seat map revalidations share fresh seat version reads, made on the worker pool.
  seat_versions_ = std::make_unique<http::SeatVersionReader>(
      [this](const std::string& event_id) { return catalog_->SeatVersion(event_id); },
      [this](std::function<void()> task) { boost::asio::post(*workers_, std::move(task)); });
  metrics_.AddGauge("evently_seat_version_reads", "seat version reads for seat map revalidations",
                    [this] { return static_cast<double>(seat_versions_->reads()); });
  metrics_.AddGauge("evently_seat_version_requests",
                    "seat map revalidations that waited for a fresh seat version",
                    [this] { return static_cast<double>(seat_versions_->requests()); });
  // After authentication (per-user quotas need the caller), before any handler work.
  if (config_.rate_limits) {
    metrics_.AddGauge("evently_rate_limit_keys", "clients and users with a partly spent quota",
                      [this] { return static_cast<double>(rate_limiter_.TrackedKeys()); });
    quota_ = http::RateLimit(
        UseSharedLimits(),
        http::RateLimitPolicy{config_.rate_limit_public, config_.rate_limit_authenticated,
                              config_.rate_limit_booking, config_.rate_limit_admin,
                              SplitList(config_.trusted_proxies)});
    router_.Use(quota_);
  }
  // After the quota, so a 429 is never stored as a request's first answer.
  router_.Use(http::Idempotency(*idempotency_store_, security::Sha256Hex));
  http::AddRoutes(router_, http::Services{.health = *health_,
                                          .metrics = metrics_,
                                          .bookings = *bookings_,
                                          .analytics = *analytics_,
                                          .auth = *auth_,
                                          .accounts = *accounts_,
                                          .catalog = *catalog_,
                                          .seat_maps = *seat_maps_,
                                          .seat_versions = *seat_versions_,
                                          .browse = *browse_,
                                          .waitlist = *waitlist_,
                                          .queue = *queue_,
                                          .notifications = *notifications_});
  http::ServerOptions options;
  options.host = config_.host;
  options.port = static_cast<unsigned short>(config_.port);
  options.io_threads = config_.io_threads;
  options.body_limit = static_cast<std::size_t>(config_.body_limit_bytes);
  options.header_timeout = std::chrono::seconds(config_.header_timeout_seconds);
  options.idle_timeout = std::chrono::seconds(config_.idle_timeout_seconds);
  options.tcp_keepalive = std::chrono::seconds(config_.tcp_keepalive_seconds);
  options.shutdown_grace = std::chrono::seconds(config_.shutdown_grace_seconds);
  options.access_log = config_.access_log;
  options.cors_origins = SplitList(config_.cors_origins);
  options.rate_limits_block = shared_limiter_ != nullptr;
  server_ = std::make_unique<http::Server>(options, router_, *workers_, metrics_, clock_);
  server_->Listen();
  metrics_.AddGauge("evently_accept_pauses_total",
                    "times accepting waited for file descriptors (or memory) to free up",
                    [this] { return static_cast<double>(server_->accept_pauses()); });
  StartLiveSeats();
}

// With EVENTLY_REDIS_URL the limits live in Redis, this node's counters standing in while it
// does not answer; without, this node's counters are the limits.
domain::RateLimiter& Application::UseSharedLimits() {
  if (config_.redis_url.empty()) return rate_limiter_;
  ratelimit::RedisLimiterOptions redis;
  redis.address = *ratelimit::ParseRedisUrl(config_.redis_url);  // checked by ValidateConfig
  redis.timeout = std::chrono::milliseconds(config_.redis_timeout_ms);
  redis.retry = std::chrono::milliseconds(config_.redis_retry_ms);
  shared_limiter_ = std::make_unique<ratelimit::RedisRateLimiter>(redis, rate_limiter_);
  const ratelimit::RedisRateLimiter& shared = *shared_limiter_;
  metrics_.AddGauge("evently_rate_limit_redis_up", "1 while Redis answers limit decisions",
                    [&shared] { return shared.up() ? 1.0 : 0.0; });
  metrics_.AddGauge("evently_rate_limit_fallbacks_total",
                    "limit decisions made by this node's counters because Redis did not answer",
                    [&shared] { return static_cast<double>(shared.fallbacks()); });
  metrics_.AddGauge("evently_rate_limit_redis_outages_total",
                    "times Redis stopped answering limit decisions",
                    [&shared] { return static_cast<double>(shared.outages()); });
  metrics_.AddGauge("evently_rate_limit_redis_decisions_total", "limit decisions made in Redis",
                    [&shared] { return static_cast<double>(shared.decisions()); });
  metrics_.AddGauge("evently_rate_limit_redis_seconds_total",
                    "time requests waited for Redis' limit decisions",
                    [&shared] { return shared.redis_seconds(); });
  spdlog::info("rate limits shared through Redis at {}:{}", redis.address.host, redis.address.port);
  return *shared_limiter_;
}

void Application::StartLiveSeats() {
  RaiseOpenFileLimit();
  realtime::HubOptions hub;
  hub.batch_window = std::chrono::milliseconds(config_.ws_batch_ms);
  hub.max_behind = static_cast<std::size_t>(config_.ws_send_queue);
  ws_threads_ = std::make_unique<realtime::IoThreads>(config_.ws_threads);
  hub_ = std::make_unique<realtime::SeatHub>(*workers_, *availability_store_, hub);
  realtime::GatewayOptions ws;
  ws.max_connections = static_cast<std::size_t>(config_.ws_max_connections);
  ws.send_queue_frames = static_cast<std::size_t>(config_.ws_send_queue);
  ws.max_message_bytes = static_cast<std::size_t>(config_.ws_max_message_bytes);
  ws.max_subscriptions = static_cast<std::size_t>(config_.ws_max_subscriptions);
  ws.idle_timeout = std::chrono::seconds(config_.ws_idle_timeout_seconds);
  ws.socket_send_buffer = static_cast<std::size_t>(config_.ws_socket_send_buffer);
  ws_gateway_ = std::make_unique<realtime::Gateway>(*ws_threads_, *hub_, clock_, ws);
  queue_lookup_ = std::make_unique<QueueTicketLookup>(*queue_, jwt_, clock_, *workers_);
  ws_gateway_->SetQueueLookup(queue_lookup_.get());
  ws_route_ = std::make_unique<LiveSeatsRoute>(*ws_gateway_, quota_);
  server_->SetUpgradeHandler(ws_route_.get());
  seat_changes_.Add(*hub_);
  // Other nodes' changes arrive through PostgreSQL; SQLite is a single node.
  if (db_->dialect() == storage::Dialect::kPostgres) {
    seat_feed_ = std::make_unique<storage::SeatChangeListener>(
        config_.database_url, seat_changes_, [this] { hub_->ResyncAll(); }, storage::NodeId(),
        std::chrono::milliseconds(config_.store_timeout_ms));
  }
  metrics_.AddGauge("evently_ws_connections", "live seat map connections",
                    [this] { return static_cast<double>(ws_gateway_->connections()); });
  metrics_.AddGauge("evently_ws_subscriptions", "live seat map subscriptions",
                    [this] { return static_cast<double>(hub_->subscriptions()); });
  metrics_.AddGauge("evently_ws_dropped_slow_total", "clients dropped for falling behind",
                    [this] { return static_cast<double>(ws_gateway_->dropped_slow()); });
  metrics_.AddGauge("evently_ws_refused_total", "connections refused at the limit",
                    [this] { return static_cast<double>(ws_gateway_->refused_full()); });
  metrics_.AddGauge("evently_ws_frames_sent_total", "seat update frames sent",
                    [this] { return static_cast<double>(hub_->frames_sent()); });
  metrics_.AddGauge("evently_seat_feed_connected", "listening to other nodes' seat changes",
                    [this] { return seat_feed_ && seat_feed_->connected() ? 1.0 : 0.0; });
}

void Application::StartJobs() {
  using std::chrono::milliseconds;
  jobs_.push_back(std::make_unique<jobs::PeriodicJob>("expire-holds",
                                                      milliseconds(config_.expiry_interval_ms),
                                                      [this] { return bookings_->ExpireDue(); }));
  jobs_.push_back(std::make_unique<jobs::PeriodicJob>(
      "refunds", milliseconds(1000), [this] { return bookings_->ProcessRefunds(); }));
  jobs_.push_back(std::make_unique<jobs::PeriodicJob>(
      "reconcile-payments", milliseconds(config_.reconcile_interval_ms),
      [this] { return reconciler_->SettleStale() + reconciler_->CaptureConfirmed(); }));
  jobs_.push_back(std::make_unique<jobs::PeriodicJob>(
      "purge-idempotency-keys", milliseconds(config_.purge_interval_ms), [this] {
        idempotency_store_->PurgeExpired(clock_.Now());
        return 0;
      }));
  jobs_.push_back(std::make_unique<jobs::PeriodicJob>(
      "purge-refresh-tokens", milliseconds(config_.purge_interval_ms),
      [this] { return refresh_tokens_->PurgeExpired(clock_.Now(), 10000); }));
  jobs_.push_back(std::make_unique<jobs::PeriodicJob>("admit-queues",
                                                      milliseconds(config_.queue_interval_ms),
                                                      [this] { return queue_->AdmitDue(); }));
  jobs_.push_back(std::make_unique<jobs::PeriodicJob>(
      "lapse-waitlist-offers", milliseconds(config_.expiry_interval_ms),
      [this] { return waitlist_->LapseDueOffers(); }));
  for (auto& job : jobs_) job->Start();

  delivery_ = std::make_unique<jobs::NotificationDelivery>(
      *notifications_, milliseconds(config_.notify_interval_ms), 32);
  milliseconds timeout(config_.notify_timeout_ms);
  if (!config_.smtp_url.empty()) {
    email_ = std::make_unique<notify::SmtpTransport>(
        notify::SmtpOptions{config_.smtp_url, config_.smtp_from, timeout});
    delivery_->AddChannel(domain::Channel::kEmail, *email_);
  } else {
    spdlog::warn("no SMTP server configured (EVENTLY_SMTP_URL): emails wait in the outbox");
  }
  if (!config_.sms_webhook_url.empty()) {
    sms_ = std::make_unique<notify::SmsWebhookTransport>(
        notify::WebhookOptions{config_.sms_webhook_url, timeout});
    delivery_->AddChannel(domain::Channel::kSms, *sms_);
  }
  delivery_->Start();
  if (seat_feed_) seat_feed_->Start();
  ws_threads_->Start();
}

void Application::Serve() {
  // The port line is machine-read by the test harness when --port 0 is used.
  spdlog::info("listening on http://{}:{}", config_.host, server_->port());
  StartJobs();
  server_->Run(true);
  ws_threads_->Stop();
  if (seat_feed_) seat_feed_->Stop();
  delivery_->Stop();
  for (auto& job : jobs_) job->Stop();
  spdlog::info("stopped accepting; waiting for workers");
  workers_->join();
  spdlog::info("shutdown complete");
}

}  // namespace evently::app
