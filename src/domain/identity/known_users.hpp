// Whether an access token's user still exists in this store: a correctly signed token outlives
// its user when the user is deleted or the store is restored from an older backup, and must then
// be refused like any invalid token (CONTRACT.md, Errors: AUTH_TOKEN_INVALID), before it reaches a
// write that would fail on the missing user. A user seen to exist is remembered for a while, so
// a token costs one store read per user per `remember` on a node.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/ports/users.hpp"
#include "domain/time.hpp"

namespace evently::domain {

class KnownUsers {
 public:
  KnownUsers(UsersPort& users, Millis remember = std::chrono::seconds(30),
             std::size_t capacity = 200000)
      : users_(users), remember_(remember), capacity_(capacity) {}

  // Reads the store when the user was not seen within `remember`; a store failure propagates.
  bool Exists(std::string_view user_id, TimePoint now);

 private:
  UsersPort& users_;
  Millis remember_;
  std::size_t capacity_;
  std::mutex mu_;
  std::unordered_map<std::string, TimePoint> seen_;  // user id -> when last found
};

}  // namespace evently::domain
