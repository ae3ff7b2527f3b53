#include "http/middleware/auth.hpp"

namespace evently::http {

Middleware Authenticate(const domain::AccessTokenVerifier& verifier, domain::KnownUsers& users) {
  return [&verifier, &users](Request& req, const Route& route, const Next& next) -> Response {
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
    if (!users.Exists(req.principal->user_id, req.now)) {
      return Failure(req, domain::ErrorCode::kAuthTokenInvalid, "The token's user does not exist");
    }
    if (route.access == Access::kAdmin && !req.principal->is_admin()) {
      return Failure(req, domain::ErrorCode::kAuthUnauthorized);
    }
    return next(req);
  };
}

}  // namespace evently::http
