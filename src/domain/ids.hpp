// Identifiers: time-ordered UUIDv7 generation and strict UUID text checks.
#pragma once

#include <string>
#include <string_view>

#include "domain/time.hpp"

namespace evently::domain {

// A new UUIDv7 (RFC 9562) for the given instant, lower-case canonical text.
std::string NewUuidV7(TimePoint now);
// Canonical 8-4-4-4-12 hex form (either case); used for every path and body id.
bool IsUuid(std::string_view text);
// Lower-cases a valid UUID so lookups are case-insensitive.
std::string NormalizeUuid(std::string_view text);
// `bytes` cryptographically random bytes as lower-case hex (tokens, client secrets).
std::string RandomHex(std::size_t bytes);

}  // namespace evently::domain
