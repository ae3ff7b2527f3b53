#include "storage/idempotency_store.hpp"

namespace evently::storage {
namespace {

constexpr Statement kInsertClaim{
    "idem_claim",
    "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, state, created_at, "
    "expires_at) VALUES ($1, $2, $3, 'running', $4, $5) ON CONFLICT (user_id, idempotency_key) "
    "DO NOTHING"};
constexpr Statement kReadClaim{
    "idem_read",
    "SELECT request_hash, state, response_status, response_headers, response_body, created_at, "
    "expires_at FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2"};
constexpr Statement kTakeOver{
    "idem_take_over",
    "UPDATE idempotency_keys SET request_hash = $3, state = 'running', created_at = $4, "
    "expires_at = $5, response_status = NULL, response_headers = NULL, response_body = NULL "
    "WHERE user_id = $1 AND idempotency_key = $2"};
constexpr Statement kComplete{
    "idem_complete",
    "UPDATE idempotency_keys SET state = 'done', response_status = $3, response_headers = $4, "
    "response_body = $5 WHERE user_id = $1 AND idempotency_key = $2"};
constexpr Statement kRelease{
    "idem_release", "DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2"};
constexpr Statement kPurge{"idem_purge", "DELETE FROM idempotency_keys WHERE expires_at <= $1"};

// Headers are kept as "name\tvalue\n" lines: names and values never hold tabs or newlines.
std::string PackHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    out.append(name).append(1, '\t').append(value).append(1, '\n');
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> UnpackHeaders(const std::string& packed) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = 0;
  while (pos < packed.size()) {
    std::size_t end = packed.find('\n', pos);
    std::string line = packed.substr(pos, end - pos);
    std::size_t tab = line.find('\t');
    if (tab != std::string::npos) out.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    pos = end == std::string::npos ? packed.size() : end + 1;
  }
  return out;
}

}  // namespace

domain::IdempotencyClaim IdempotencyStore::Claim(const std::string& user_id, const std::string& key,
                                                 const std::string& fingerprint,
                                                 domain::TimePoint now,
                                                 domain::TimePoint expires_at,
                                                 domain::Millis stale_after) {
  using Kind = domain::IdempotencyClaim::Kind;
  domain::IdempotencyClaim claim;
  std::int64_t now_ms = domain::ToEpochMillis(now);
  db_.Write([&](Connection& conn) {
    claim = {};
    if (conn.Exec(kInsertClaim,
                  {user_id, key, fingerprint, now_ms, domain::ToEpochMillis(expires_at)})
            .affected() == 1) {
      return;
    }
    Rows row = conn.Exec(kReadClaim, {user_id, key});
    if (row.empty()) return;  // purged in between: ours now
    bool expired = row.Int(0, 6) <= now_ms;
    bool stale = row.Text(0, 1) == "running" && row.Int(0, 5) + stale_after.count() <= now_ms;
    if (expired || stale) {
      conn.Exec(kTakeOver, {user_id, key, fingerprint, now_ms, domain::ToEpochMillis(expires_at)});
      return;
    }
    if (row.Text(0, 0) != fingerprint) {
      claim.kind = Kind::kMismatch;
    } else if (row.Text(0, 1) == "running") {
      claim.kind = Kind::kInFlight;
    } else {
      claim.kind = Kind::kReplay;
      claim.stored.status = static_cast<int>(row.Int(0, 2));
      claim.stored.headers = UnpackHeaders(row.OptText(0, 3).value_or(""));
      claim.stored.body = row.OptText(0, 4).value_or("");
    }
  });
  return claim;
}

void IdempotencyStore::Complete(const std::string& user_id, const std::string& key,
                                const domain::StoredResponse& response) {
  db_.Write([&](Connection& conn) {
    conn.Exec(kComplete, {user_id, key, std::int64_t{response.status},
                          PackHeaders(response.headers), response.body});
  });
}

void IdempotencyStore::Release(const std::string& user_id, const std::string& key) {
  db_.Write([&](Connection& conn) { conn.Exec(kRelease, {user_id, key}); });
}

int IdempotencyStore::PurgeExpired(domain::TimePoint now) {
  int purged = 0;
  db_.Write([&](Connection& conn) {
    purged = static_cast<int>(conn.Exec(kPurge, {domain::ToEpochMillis(now)}).affected());
  });
  return purged;
}

}  // namespace evently::storage
