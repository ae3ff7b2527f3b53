#include "http/middleware/idempotency.hpp"

namespace evently::http {
namespace {

constexpr auto kKeepFor = std::chrono::hours(24);
constexpr auto kStaleAfter = std::chrono::seconds(60);

bool ValidKey(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  for (char c : key) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

Middleware Idempotency(domain::IdempotencyStore& store, Fingerprint fingerprint) {
  return [&store, fingerprint = std::move(fingerprint)](Request& req, const Route& route,
                                                        const Next& next) -> Response {
    auto key_header = req.Header("idempotency-key");
    if (!route.idempotent || !key_header || !req.principal) return next(req);
    if (!ValidKey(*key_header)) {
      return Failure(req, domain::ValidationError("Idempotency-Key",
                                                  "must be 1 to 255 printable ASCII characters"));
    }
    std::string key(*key_header);
    const std::string& user = req.principal->user_id;
    std::string print = fingerprint(req.method + " " + req.path + "\n" + req.body);
    using Kind = domain::IdempotencyClaim::Kind;
    domain::IdempotencyClaim claim =
        store.Claim(user, key, print, req.now, req.now + kKeepFor, kStaleAfter);
    if (claim.kind == Kind::kMismatch)
      return Failure(req, domain::ErrorCode::kIdempotencyKeyMismatch);
    if (claim.kind == Kind::kInFlight) return Failure(req, domain::ErrorCode::kIdempotencyKeyInUse);
    if (claim.kind == Kind::kReplay) {
      Response replay;
      replay.status = claim.stored.status;
      replay.body = std::move(claim.stored.body);
      for (auto& [name, value] : claim.stored.headers) {
        if (name == "Content-Type") {
          replay.content_type = value;
        } else {
          replay.SetHeader(name, value);
        }
      }
      replay.SetHeader("Idempotent-Replayed", "true");
      return replay;
    }
    Response res;
    try {
      res = next(req);
    } catch (...) {
      store.Release(user, key);
      throw;
    }
    if (res.status >= 500) {
      store.Release(user, key);
    } else {
      domain::StoredResponse stored{res.status, res.headers, res.body};
      stored.headers.emplace_back("Content-Type", std::string(res.ContentType()));
      store.Complete(user, key, stored);
    }
    return res;
  };
}

}  // namespace evently::http
