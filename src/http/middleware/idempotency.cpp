#include "http/middleware/idempotency.hpp"

#include <memory>
#include <mutex>
#include <unordered_set>

namespace evently::http {
namespace {

constexpr auto kKeepFor = std::chrono::hours(24);

bool ValidKey(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  for (char c : key) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// The keys whose first request is still running on this node: a second one is told 409 at once
// instead of waiting for the first's transaction (on another node it waits for that commit in
// the store and then gets its answer).
class KeysInFlight {
 public:
  // False when the key is in flight already; else it is until Leave.
  bool Enter(const std::string& id) {
    std::lock_guard lock(mu_);
    return keys_.insert(id).second;
  }
  void Leave(const std::string& id) {
    std::lock_guard lock(mu_);
    keys_.erase(id);
  }

 private:
  std::mutex mu_;
  std::unordered_set<std::string> keys_;
};

class InFlight {
 public:
  InFlight(KeysInFlight& keys, std::string id) : keys_(keys), id_(std::move(id)) {
    entered_ = keys_.Enter(id_);
  }
  ~InFlight() {
    if (entered_) keys_.Leave(id_);
  }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  bool entered() const { return entered_; }

 private:
  KeysInFlight& keys_;
  std::string id_;
  bool entered_ = false;
};

}  // namespace

Middleware Idempotency(domain::IdempotencyStore& store, Fingerprint fingerprint) {
  auto in_flight = std::make_shared<KeysInFlight>();
  return [&store, fingerprint = std::move(fingerprint), in_flight](Request& req, const Route& route,
                                                                   const Next& next) -> Response {
    auto key_header = req.Header("idempotency-key");
    if (!route.idempotent || !key_header || !req.principal) return next(req);
    if (!ValidKey(*key_header)) {
      return Failure(req, domain::ValidationError("Idempotency-Key",
                                                  "must be 1 to 255 printable ASCII characters"));
    }
    req.keyed = domain::KeyedRequest{req.principal->user_id, std::string(*key_header),
                                     fingerprint(req.method + " " + req.path + "\n" + req.body),
                                     req.now, req.now + kKeepFor};
    InFlight running(*in_flight, req.keyed->user_id + '\n' + req.keyed->key);
    if (!running.entered()) return Failure(req, domain::ErrorCode::kIdempotencyKeyInUse);
    if (route.keyed_in_store) return next(req);
    Response res = next(req);
    if (res.status >= 500) return res;
    domain::KeyedAnswer<domain::StoredResponse> keyed;
    keyed.request = *req.keyed;
    keyed.render = [](const domain::StoredResponse& answer) { return answer; };
    store.Keep(keyed, ToStored(res));
    if (keyed.found == domain::KeyedAnswer<domain::StoredResponse>::Found::kMismatch) {
      return Failure(req, domain::ErrorCode::kIdempotencyKeyMismatch);
    }
    return FromStored(std::move(*keyed.answer),
                      keyed.found == domain::KeyedAnswer<domain::StoredResponse>::Found::kReplay);
  };
}

}  // namespace evently::http
