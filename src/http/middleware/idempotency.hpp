// Idempotency-Key on the routes that accept it: replay the first answer, refuse a different
// request under the same key (422) or one still running (409); 5xx answers are not kept.
#pragma once

#include <functional>
#include <string>

#include "domain/ports/idempotency.hpp"
#include "http/router.hpp"

namespace evently::http {

using Fingerprint = std::function<std::string(std::string_view)>;

Middleware Idempotency(domain::IdempotencyStore& store, Fingerprint fingerprint);

}  // namespace evently::http
