// Argon2id password hashes (libsodium), at a cost chosen by configuration.
#pragma once

#include <atomic>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>

#include "domain/ports/credentials.hpp"

namespace evently::security {

// `interactive`: libsodium's interactive limits (about 64 MiB, tens of ms): production.
// `fast`: the minimum limits, for tests and benchmarks only (refused in prod mode).
enum class PasswordHashCost { kInteractive, kFast };

std::optional<PasswordHashCost> ParsePasswordHashCost(std::string_view name);

// At most `max_concurrent` hashes run at once (default: one per core), whatever the number of
// handler threads: each takes ~64 MiB and a core for tens of ms, so a login storm queues here
// instead of exhausting memory or starving the booking path of CPU.
class Argon2idHasher final : public domain::PasswordHasher {
 public:
  explicit Argon2idHasher(PasswordHashCost cost, int max_concurrent = 0);

  std::string Hash(std::string_view password) const override;
  bool Verify(std::string_view hash, std::string_view password) const override;

  int max_concurrent() const { return max_concurrent_; }
  int peak_concurrent() const { return peak_.load(); }

 private:
  class Slot;
  unsigned long long opslimit_;
  std::size_t memlimit_;
  int max_concurrent_;
  mutable std::counting_semaphore<1024> slots_;
  mutable std::atomic<int> running_{0};
  mutable std::atomic<int> peak_{0};
};

}  // namespace evently::security
