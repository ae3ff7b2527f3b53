// The route table: every endpoint of the API, its access rule and its handler.
#pragma once

#include "domain/analytics/analytics_service.hpp"
#include "domain/booking/booking_service.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/identity/account_service.hpp"
#include "domain/identity/auth_service.hpp"
#include "domain/notifications/notification_service.hpp"
#include "domain/ports/health.hpp"
#include "domain/queue/queue_service.hpp"
#include "domain/waitlist/waitlist_service.hpp"
#include "http/browse_cache.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/seat_map_cache.hpp"
#include "http/seat_versions.hpp"

namespace evently::http {

// What the handlers need, built by app/ and passed in explicitly.
struct Services {
  domain::HealthPort& health;
  Metrics& metrics;
  domain::BookingService& bookings;
  domain::AnalyticsService& analytics;
  domain::AuthService& auth;
  domain::AccountService& accounts;
  domain::CatalogService& catalog;
  SeatMapCache& seat_maps;
  SeatVersionReader& seat_versions;
  BrowseCache& browse;
  domain::WaitlistService& waitlist;
  domain::QueueService& queue;
  domain::NotificationService& notifications;
};

void AddRoutes(Router& router, const Services& services);

}  // namespace evently::http
