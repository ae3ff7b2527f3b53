// What identity asks of the store: users, and refresh tokens kept as digests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/identity/user.hpp"
#include "domain/paging.hpp"
#include "domain/time.hpp"

namespace evently::domain {

class UsersPort {
 public:
  virtual ~UsersPort() = default;
  // kEmailAlreadyRegistered when the (normalized) email is taken.
  virtual Status Insert(const User& user) = 0;
  virtual std::optional<User> FindByEmail(std::string_view email) = 0;
  virtual std::optional<User> FindById(std::string_view id) = 0;
  // Both return the user as stored afterwards; kUserNotFound when there is none.
  virtual Result<User> UpdateProfile(std::string_view id, const ProfileChange& change,
                                     TimePoint now) = 0;
  virtual Result<User> SetRole(std::string_view id, Role role, TimePoint now) = 0;
  // Newest first; `email_contains` is a lower-case substring (empty: everyone).
  virtual Page<User> List(std::string_view email_contains, const PageRequest& page) = 0;
  virtual UserStats Stats(std::string_view id, TimePoint now) = 0;
  // The user and their stats in one consistent read; nullopt when there is no such user.
  virtual std::optional<UserProfile> FindProfile(std::string_view id, TimePoint now) = 0;
};

// One refresh token as stored: never the token itself, only its digest.
struct RefreshTokenRecord {
  std::string id;
  std::string user_id;
  std::string family_id;  // every token descended from one login
  std::string token_digest;
  TimePoint created_at{};
  TimePoint expires_at{};
};

enum class RefreshState { kRotated, kUnknown, kAlreadyUsed, kRevoked, kExpired };

struct RotationOutcome {
  RefreshState state = RefreshState::kUnknown;
  std::string user_id;    // set unless kUnknown
  std::string family_id;  // set unless kUnknown
};

class RefreshTokensPort {
 public:
  virtual ~RefreshTokensPort() = default;
  virtual void Insert(const RefreshTokenRecord& token) = 0;
  // Atomically: when `presented_digest` names a live token (unused, unrevoked, unexpired), marks
  // it used and stores `successor` in its user and family (both filled in here). Otherwise
  // changes nothing and says why.
  virtual RotationOutcome Rotate(std::string_view presented_digest, RefreshTokenRecord successor,
                                 TimePoint now) = 0;
  virtual void RevokeFamily(std::string_view family_id, TimePoint now) = 0;
  // Revokes the family of the token with this digest; false when no such token was issued.
  virtual bool RevokeFamilyOf(std::string_view token_digest, TimePoint now) = 0;
};

}  // namespace evently::domain
