// The route table: every endpoint of the API, its access rule and its handler.
#pragma once

#include "domain/analytics/analytics_service.hpp"
#include "domain/booking/booking_service.hpp"
#include "domain/identity/account_service.hpp"
#include "domain/identity/auth_service.hpp"
#include "domain/ports/health.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace evently::http {

// What the handlers need, built by app/ and passed in explicitly.
struct Services {
  domain::HealthPort& health;
  Metrics& metrics;
  domain::BookingService& bookings;
  domain::AnalyticsService& analytics;
  domain::AuthService& auth;
  domain::AccountService& accounts;
};

void AddRoutes(Router& router, const Services& services);

}  // namespace evently::http
