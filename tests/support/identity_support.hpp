// Test doubles for identity: a clock the test moves, and a hasher that counts its work.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "domain/ports/credentials.hpp"
#include "domain/time.hpp"
#include "security/password_hasher.hpp"

namespace evently::testing {

class ManualClock final : public domain::Clock {
 public:
  explicit ManualClock(domain::TimePoint start = domain::FromEpochMillis(1'700'000'000'000))
      : now_(start) {}
  domain::TimePoint Now() const override { return now_; }
  void Advance(domain::Millis by) { now_ += by; }

 private:
  domain::TimePoint now_;
};

// Real Argon2id at the minimum cost, counting how often it hashes and verifies.
class CountingHasher final : public domain::PasswordHasher {
 public:
  std::string Hash(std::string_view password) const override {
    ++hashes;
    return real_.Hash(password);
  }
  bool Verify(std::string_view hash, std::string_view password) const override {
    ++verifies;
    return real_.Verify(hash, password);
  }
  mutable std::atomic<int> hashes{0};
  mutable std::atomic<int> verifies{0};

 private:
  security::Argon2idHasher real_{security::PasswordHashCost::kFast};
};

}  // namespace evently::testing
