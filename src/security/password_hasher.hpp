// Argon2id password hashes (libsodium), at a cost chosen by configuration.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/ports/credentials.hpp"

namespace evently::security {

// `interactive`: libsodium's interactive limits (about 64 MiB, tens of ms): production.
// `fast`: the minimum limits, for tests and benchmarks only (refused in prod mode).
enum class PasswordHashCost { kInteractive, kFast };

std::optional<PasswordHashCost> ParsePasswordHashCost(std::string_view name);

class Argon2idHasher final : public domain::PasswordHasher {
 public:
  explicit Argon2idHasher(PasswordHashCost cost);

  std::string Hash(std::string_view password) const override;
  bool Verify(std::string_view hash, std::string_view password) const override;

 private:
  unsigned long long opslimit_;
  std::size_t memlimit_;
};

}  // namespace evently::security
