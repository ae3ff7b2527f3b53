#pragma once

#include "domain/ports/idempotency.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class IdempotencyStore final : public domain::IdempotencyStore {
 public:
  explicit IdempotencyStore(Database& db) : db_(db) {}
  domain::IdempotencyClaim Claim(const std::string& user_id, const std::string& key,
                                 const std::string& fingerprint, domain::TimePoint now,
                                 domain::TimePoint expires_at, domain::Millis stale_after) override;
  void Complete(const std::string& user_id, const std::string& key,
                const domain::StoredResponse& response) override;
  void Release(const std::string& user_id, const std::string& key) override;
  int PurgeExpired(domain::TimePoint now) override;

 private:
  Database& db_;
};

}  // namespace evently::storage
