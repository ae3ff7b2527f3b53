#include "storage/idempotency_store.hpp"

#include "domain/ids.hpp"
#include "storage/keyed_answers.hpp"

namespace evently::storage {
namespace {

constexpr Statement kPurge{"idem_purge", "DELETE FROM idempotency_keys WHERE expires_at <= $1"};

}  // namespace

void IdempotencyStore::Keep(domain::KeyedAnswer<domain::StoredResponse>& keyed,
                            const domain::StoredResponse& outcome) {
  std::string claim = domain::NewUuidV7(keyed.request.now);
  db_.Write([&](Connection& conn) {
    if (ClaimKey(conn, keyed.request, claim)) {
      Answer(conn, keyed, claim, outcome);
    } else {
      TakeFound(conn, keyed);
    }
  });
}

int IdempotencyStore::PurgeExpired(domain::TimePoint now) {
  int purged = 0;
  db_.Write([&](Connection& conn) {
    purged = static_cast<int>(conn.Exec(kPurge, {domain::ToEpochMillis(now)}).affected());
  });
  return purged;
}

}  // namespace evently::storage
