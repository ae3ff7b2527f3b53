// Refresh tokens by digest: rotation in one transaction, family revocation.
#pragma once

#include "domain/ports/users.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class RefreshTokenStore final : public domain::RefreshTokensPort {
 public:
  explicit RefreshTokenStore(Database& db) : db_(db) {}

  void Insert(const domain::RefreshTokenRecord& token) override;
  domain::RotationOutcome Rotate(std::string_view presented_digest,
                                 domain::RefreshTokenRecord successor,
                                 domain::TimePoint now) override;
  void RevokeFamily(std::string_view family_id, domain::TimePoint now) override;
  bool RevokeFamilyOf(std::string_view token_digest, domain::TimePoint now) override;
  // Deletes the tokens that expired before `now` (spent, revoked or never used alike), at most
  // `limit` of them; returns how many.
  int PurgeExpired(domain::TimePoint now, int limit);

 private:
  Database& db_;
};

}  // namespace evently::storage
