#include "security/password_hasher.hpp"

#include <sodium.h>

#include <stdexcept>

namespace evently::security {

std::optional<PasswordHashCost> ParsePasswordHashCost(std::string_view name) {
  if (name == "interactive") return PasswordHashCost::kInteractive;
  if (name == "fast") return PasswordHashCost::kFast;
  return std::nullopt;
}

Argon2idHasher::Argon2idHasher(PasswordHashCost cost) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
  bool fast = cost == PasswordHashCost::kFast;
  opslimit_ = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  memlimit_ = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

std::string Argon2idHasher::Hash(std::string_view password) const {
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
  return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

}  // namespace evently::security
