#include "http/middleware/rate_limit.hpp"

#include <algorithm>

namespace evently::http {
namespace {

using domain::Millis;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
std::string_view Unmapped(std::string_view address) {
  constexpr std::string_view kMapped = "::ffff:";
  if (address.starts_with(kMapped) && address.find('.') != std::string_view::npos) {
    address.remove_prefix(kMapped.size());
  }
  return address;
}

bool IsTrusted(std::string_view address, const std::vector<std::string>& trusted) {
  address = Unmapped(address);
  return std::any_of(trusted.begin(), trusted.end(),
                     [&](const std::string& t) { return t == address; });
}

// Every X-Forwarded-For hop, in order, across repeated headers.
std::vector<std::string_view> ForwardedHops(const Request& req) {
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : req.headers) {
    if (name != "x-forwarded-for") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      std::string_view hop = Trim(rest.substr(0, comma));
      if (!hop.empty()) hops.push_back(hop);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return hops;
}

std::int64_t CeilSeconds(Millis ms) { return (ms.count() + 999) / 1000; }

struct Bucket {
  std::int64_t per_minute;
  std::string key;
};

// Which quota a request draws from, and whose it is: per user where the caller is known.
Bucket BucketFor(const Request& req, RateClass rate_class, const RateLimitPolicy& policy) {
  auto caller = [&] {
    return req.principal ? "user:" + req.principal->user_id
                         : "ip:" + ClientIp(req, policy.trusted_proxies);
  };
  switch (rate_class) {
    case RateClass::kAuthenticated:
      return {policy.authenticated_per_minute, "authenticated|" + caller()};
    case RateClass::kBooking:
      return {policy.booking_per_minute, "booking|" + caller()};
    case RateClass::kAdmin:
      return {policy.admin_per_minute, "admin|" + caller()};
    case RateClass::kPublic:
    case RateClass::kNone:
      break;
  }
  return {policy.public_per_minute, "public|ip:" + ClientIp(req, policy.trusted_proxies)};
}

void SetHeaders(Response& res, const domain::RateDecision& decision) {
  res.SetHeader("RateLimit-Limit", std::to_string(decision.limit));
  res.SetHeader("RateLimit-Remaining", std::to_string(decision.remaining));
  res.SetHeader("RateLimit-Reset", std::to_string(CeilSeconds(decision.reset)));
}

}  // namespace

std::string ClientIp(const Request& req, const std::vector<std::string>& trusted_proxies) {
  if (trusted_proxies.empty() || !IsTrusted(req.remote_ip, trusted_proxies)) {
    return std::string(Unmapped(req.remote_ip));
  }
  std::vector<std::string_view> hops = ForwardedHops(req);
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    if (!IsTrusted(*hop, trusted_proxies)) return std::string(Unmapped(*hop));
  }
  return std::string(Unmapped(hops.empty() ? std::string_view(req.remote_ip) : hops.front()));
}

Middleware RateLimit(domain::RateLimiter& limiter, RateLimitPolicy policy) {
  return [&limiter, policy = std::move(policy)](Request& req, const Route& route,
                                                const Next& next) -> Response {
    if (route.rate_class == RateClass::kNone) return next(req);
    Bucket bucket = BucketFor(req, route.rate_class, policy);
    domain::RateDecision decision =
        limiter.Acquire(bucket.key, domain::RateQuota{bucket.per_minute, Millis(60'000)}, req.now);
    if (!decision.allowed) {
      domain::Error error = domain::MakeError(domain::ErrorCode::kRateLimitExceeded);
      std::int64_t retry_after = std::max<std::int64_t>(1, CeilSeconds(decision.retry_after));
      error.details.numbers = {{"limit", decision.limit}, {"retry_after", retry_after}};
      Response res = Failure(req, error);
      SetHeaders(res, decision);
      res.SetHeader("Retry-After", std::to_string(retry_after));
      return res;
    }
    Response res = next(req);
    SetHeaders(res, decision);
    return res;
  };
}

}  // namespace evently::http
