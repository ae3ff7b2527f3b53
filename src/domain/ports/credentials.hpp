// Crypto the identity rules rely on, implemented in security/: password hashing, token
// digests and access-token issuing.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "domain/principal.hpp"
#include "domain/time.hpp"

namespace evently::domain {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  // A self-describing hash string (algorithm, cost and salt included).
  virtual std::string Hash(std::string_view password) const = 0;
  virtual bool Verify(std::string_view hash, std::string_view password) const = 0;
};

// A one-way digest for high-entropy secrets (refresh tokens): fast, unsalted, hex.
class TokenDigest {
 public:
  virtual ~TokenDigest() = default;
  virtual std::string Digest(std::string_view secret) const = 0;
};

struct IssuedAccessToken {
  std::string token;
  std::chrono::seconds expires_in;
};

class AccessTokenIssuer {
 public:
  virtual ~AccessTokenIssuer() = default;
  virtual IssuedAccessToken Issue(const Principal& principal, TimePoint now) const = 0;
};

}  // namespace evently::domain
