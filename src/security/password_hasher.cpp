#include "security/password_hasher.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace evently::security {

std::optional<PasswordHashCost> ParsePasswordHashCost(std::string_view name) {
  if (name == "interactive") return PasswordHashCost::kInteractive;
  if (name == "fast") return PasswordHashCost::kFast;
  return std::nullopt;
}

namespace {

int DefaultConcurrency(int asked) {
  if (asked > 0) return std::min(asked, 1024);
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 1024u));
}

}  // namespace

// Holds one of the hasher's slots for the duration of a hash or a verification.
class Argon2idHasher::Slot {
 public:
  explicit Slot(const Argon2idHasher& h) : h_(h) {
    h_.slots_.acquire();
    int now = ++h_.running_;
    int peak = h_.peak_.load();
    while (now > peak && !h_.peak_.compare_exchange_weak(peak, now)) {
    }
  }
  ~Slot() {
    --h_.running_;
    h_.slots_.release();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  const Argon2idHasher& h_;
};

Argon2idHasher::Argon2idHasher(PasswordHashCost cost, int max_concurrent)
    : max_concurrent_(DefaultConcurrency(max_concurrent)), slots_(max_concurrent_) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
  bool fast = cost == PasswordHashCost::kFast;
  opslimit_ = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  memlimit_ = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

std::string Argon2idHasher::Hash(std::string_view password) const {
  Slot slot(*this);
  char out[crypto_pwhash_STRBYTES];
  // crypto_pwhash_str is Argon2id with libsodium >= 1.0.15.
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), opslimit_, memlimit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return std::string(out);
}

bool Argon2idHasher::Verify(std::string_view hash, std::string_view password) const {
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  char stored[crypto_pwhash_STRBYTES] = {};
  hash.copy(stored, hash.size());
  Slot slot(*this);
  return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

}  // namespace evently::security
