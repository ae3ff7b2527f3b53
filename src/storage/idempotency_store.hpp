// Keyed requests answered with no change of their own, and the purge of old answers.
#pragma once

#include "domain/ports/idempotency.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class IdempotencyStore final : public domain::IdempotencyStore {
 public:
  explicit IdempotencyStore(Database& db) : db_(db) {}
  void Keep(domain::KeyedAnswer<domain::StoredResponse>& keyed,
            const domain::StoredResponse& outcome) override;
  int PurgeExpired(domain::TimePoint now) override;

 private:
  Database& db_;
};

}  // namespace evently::storage
