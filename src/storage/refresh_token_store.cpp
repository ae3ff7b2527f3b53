#include "storage/refresh_token_store.hpp"

namespace evently::storage {
namespace {

using domain::RefreshState;

constexpr Statement kInsertRefreshToken{
    "insert_refresh_token",
    "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)"};
// The conditional update is the whole race: of two concurrent uses, exactly one spends it.
constexpr Statement kSpendRefreshToken{
    "spend_refresh_token",
    "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL "
    "AND revoked_at IS NULL AND expires_at > $2 RETURNING user_id, family_id"};
constexpr Statement kSelectRefreshToken{
    "select_refresh_token",
    "SELECT user_id, family_id, used_at, revoked_at, expires_at FROM refresh_tokens "
    "WHERE token_hash = $1"};
// In slices, so a long backlog never holds the writer for long.
constexpr Statement kPurgeExpiredRefreshTokens{
    "purge_refresh_tokens",
    "DELETE FROM refresh_tokens WHERE id IN (SELECT id FROM refresh_tokens WHERE expires_at < $1 "
    "ORDER BY expires_at LIMIT $2)"};
constexpr Statement kRevokeRefreshFamily{
    "revoke_refresh_family",
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL"};

void InsertToken(Connection& conn, const domain::RefreshTokenRecord& token) {
  conn.Exec(kInsertRefreshToken,
            {token.id, token.user_id, token.family_id, token.token_digest,
             domain::ToEpochMillis(token.created_at), domain::ToEpochMillis(token.expires_at)});
}

RefreshState WhyNotLive(const Rows& rows, domain::TimePoint now) {
  if (!rows.IsNull(0, 3)) return RefreshState::kRevoked;
  if (!rows.IsNull(0, 2)) return RefreshState::kAlreadyUsed;
  if (rows.Int(0, 4) <= domain::ToEpochMillis(now)) return RefreshState::kExpired;
  return RefreshState::kUnknown;  // live a moment ago, spent since: unreachable in one txn
}

}  // namespace

void RefreshTokenStore::Insert(const domain::RefreshTokenRecord& token) {
  db_.Write([&](Connection& conn) { InsertToken(conn, token); });
}

domain::RotationOutcome RefreshTokenStore::Rotate(std::string_view presented_digest,
                                                  domain::RefreshTokenRecord successor,
                                                  domain::TimePoint now) {
  domain::RotationOutcome outcome;
  db_.Write([&](Connection& conn) {
    outcome = {};
    std::int64_t at = domain::ToEpochMillis(now);
    Rows spent = conn.Exec(kSpendRefreshToken, {std::string(presented_digest), at});
    if (!spent.empty()) {
      outcome = {RefreshState::kRotated, spent.Text(0, 0), spent.Text(0, 1)};
      successor.user_id = outcome.user_id;
      successor.family_id = outcome.family_id;
      InsertToken(conn, successor);
      return;
    }
    Rows found = conn.Exec(kSelectRefreshToken, {std::string(presented_digest)});
    if (found.empty()) return;
    outcome = {WhyNotLive(found, now), found.Text(0, 0), found.Text(0, 1)};
  });
  return outcome;
}

void RefreshTokenStore::RevokeFamily(std::string_view family_id, domain::TimePoint now) {
  db_.Write([&](Connection& conn) {
    conn.Exec(kRevokeRefreshFamily, {std::string(family_id), domain::ToEpochMillis(now)});
  });
}

bool RefreshTokenStore::RevokeFamilyOf(std::string_view token_digest, domain::TimePoint now) {
  bool found = false;
  db_.Write([&](Connection& conn) {
    Rows rows = conn.Exec(kSelectRefreshToken, {std::string(token_digest)});
    found = !rows.empty();
    if (found) conn.Exec(kRevokeRefreshFamily, {rows.Text(0, 1), domain::ToEpochMillis(now)});
  });
  return found;
}

int RefreshTokenStore::PurgeExpired(domain::TimePoint now, int limit) {
  int purged = 0;
  db_.Write([&](Connection& conn) {
    purged = static_cast<int>(
        conn.Exec(kPurgeExpiredRefreshTokens, {domain::ToEpochMillis(now), std::int64_t{limit}})
            .affected());
  });
  return purged;
}

}  // namespace evently::storage
