// Stored first answers for Idempotency-Key (kept in the store: survives restarts, shared by nodes).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/time.hpp"

namespace evently::domain {

struct StoredResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct IdempotencyClaim {
  enum class Kind { kNew, kReplay, kMismatch, kInFlight };
  Kind kind = Kind::kNew;
  StoredResponse stored;  // for kReplay
};

class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;
  // Claims (user, key) for a request with this fingerprint. A claim left running for longer
  // than `stale_after` (its node died) may be taken over.
  virtual IdempotencyClaim Claim(const std::string& user_id, const std::string& key,
                                 const std::string& fingerprint, TimePoint now,
                                 TimePoint expires_at, Millis stale_after) = 0;
  virtual void Complete(const std::string& user_id, const std::string& key,
                        const StoredResponse& response) = 0;
  // Forgets a claim whose answer is not to be kept (5xx), so a retry runs again.
  virtual void Release(const std::string& user_id, const std::string& key) = 0;
  virtual int PurgeExpired(TimePoint now) = 0;
};

}  // namespace evently::domain
