// Per-route quotas (CONTRACT.md, Rate limits): public routes per client IP, the others per
// user. Runs after authentication (it keys on the caller) and before any handler work.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/ports/rate_limiter.hpp"
#include "http/router.hpp"

namespace evently::http {

struct RateLimitPolicy {
  std::int64_t public_per_minute = 100;
  std::int64_t authenticated_per_minute = 200;
  std::int64_t booking_per_minute = 10;
  std::int64_t admin_per_minute = 1000;
  // Peers whose X-Forwarded-For is believed (exact addresses).
  std::vector<std::string> trusted_proxies;
};

Middleware RateLimit(domain::RateLimiter& limiter, RateLimitPolicy policy);

// The caller's address: the peer, or, behind a trusted proxy, the nearest untrusted
// address in X-Forwarded-For (the left part of that header is whatever the client wrote).
std::string ClientIp(const Request& req, const std::vector<std::string>& trusted_proxies);

}  // namespace evently::http
