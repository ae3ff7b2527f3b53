// Idempotency-Key on the routes that take one (CONTRACT.md, Idempotency). The key is checked and
// given to the request (Request::keyed). A route whose change commits in the store answers it
// there, in the same transaction (Route::keyed_in_store: its handler passes the key down); any
// other keyed route changes nothing, and its answer is kept here once computed. 5xx answers are
// not kept.
#pragma once

#include <functional>
#include <string>

#include "domain/ports/idempotency.hpp"
#include "http/router.hpp"

namespace evently::http {

using Fingerprint = std::function<std::string(std::string_view)>;

Middleware Idempotency(domain::IdempotencyStore& store, Fingerprint fingerprint);

}  // namespace evently::http
