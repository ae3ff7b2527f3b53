#include "http/middleware/auth.hpp"

#include <algorithm>

namespace evently::http {
namespace {

// Authorization is a singleton field (RFC 9110 5.3): with two, a proxy may check one and the
// server use the other, so a request that sends it twice is malformed, on every route.
bool SentMoreThanOnce(const Request& req, std::string_view lower_name) {
  return std::count_if(req.headers.begin(), req.headers.end(),
                       [lower_name](const auto& field) { return field.first == lower_name; }) > 1;
}

// The route's answer once the caller is known, or the refusal.
Response Authenticated(const domain::AccessTokenVerifier& verifier, domain::KnownUsers& users,
                       Request& req, const Route& route, const Next& next) {
  if (SentMoreThanOnce(req, "authorization")) {
    return Failure(req, domain::ValidationError("Authorization", "must be sent at most once"));
  }
  auto header = req.Header("authorization");
  if (route.access == Access::kPublic) {
    // Public routes still learn who is calling when a valid token is sent.
    if (header && header->starts_with("Bearer ")) {
      auto principal = verifier.Verify(header->substr(7), req.now);
      if (principal.ok()) req.principal = std::move(principal).value();
    }
    return next(req);
  }
  if (!header) return Failure(req, domain::ErrorCode::kAuthRequired);
  if (!header->starts_with("Bearer ") || header->size() <= 7) {
    return Failure(req, domain::ErrorCode::kAuthTokenInvalid,
                   "Authorization must be 'Bearer <access_token>'");
  }
  auto principal = verifier.Verify(header->substr(7), req.now);
  if (!principal.ok()) return Failure(req, principal.error());
  req.principal = std::move(principal).value();
  if (!route.user_checked_in_store && !users.Exists(req.principal->user_id, req.now)) {
    return Failure(req, domain::ErrorCode::kAuthTokenInvalid, "The token's user does not exist");
  }
  if (route.access == Access::kAdmin && !req.principal->is_admin()) {
    return Failure(req, domain::ErrorCode::kAuthUnauthorized);
  }
  return next(req);
}

}  // namespace

Middleware Authenticate(const domain::AccessTokenVerifier& verifier, domain::KnownUsers& users) {
  return [&verifier, &users](Request& req, const Route& route, const Next& next) -> Response {
    Response res = Authenticated(verifier, users, req, route, next);
    // One account's answer, or the refusal of a caller, is kept by no cache, shared or private.
    if (route.access != Access::kPublic) res.SetHeader("Cache-Control", "no-store");
    return res;
  };
}

}  // namespace evently::http
