// Identifiers: time-ordered UUIDv7 generation and strict UUID text checks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/time.hpp"

namespace evently::domain {

// A new UUIDv7 (RFC 9562) for the given instant, lower-case canonical text.
std::string NewUuidV7(TimePoint now);
// UUIDv7s for many rows made at once (an event's seats): one timestamp and random part, and
// a 32-bit counter in the low bits (RFC 9562 6.2, method 1). Consecutive ids sort in creation
// order, which keeps index inserts local, and differ only in their last digits, which lets
// seat maps of tens of thousands of ids compress several times smaller.
class UuidV7Sequence {
 public:
  explicit UuidV7Sequence(TimePoint now);
  std::string Next();

 private:
  std::string prefix_;  // the first 28 hex digits with dashes, shared by the sequence
  std::uint32_t counter_ = 0;
};

// Canonical 8-4-4-4-12 hex form (either case); used for every path and body id.
bool IsUuid(std::string_view text);
// Lower-cases a valid UUID so lookups are case-insensitive.
std::string NormalizeUuid(std::string_view text);
// `bytes` cryptographically random bytes as lower-case hex (tokens, client secrets).
std::string RandomHex(std::size_t bytes);
// 64 cryptographically random bits (/dev/urandom, like RandomHex).
std::uint64_t RandomU64();

// FNV-1a, 64 bits: the same on every build and platform, so it may name stored or shared things
// (roll-up shards, cache keys).
constexpr std::uint64_t Fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return hash;
}

}  // namespace evently::domain
