// A keyed write's answer, decided with its change in the store (domain/ports/idempotency.hpp):
// the handler says how an outcome is answered, the store renders and keeps it in the transaction.
#pragma once

#include <optional>

#include "domain/error.hpp"
#include "domain/ports/idempotency.hpp"
#include "http/message.hpp"

namespace evently::http {

template <typename T>
using KeyedOutcome = domain::KeyedAnswer<domain::Result<T>>;

// For a request that came with an Idempotency-Key: the answer its transaction will keep, as
// `respond` builds it. `respond` runs on a store thread while the request waits, and must only
// read the request.
template <typename T, typename Respond>
std::optional<KeyedOutcome<T>> KeyedFor(const Request& req, Respond respond) {
  if (!req.keyed) return std::nullopt;
  KeyedOutcome<T> keyed;
  keyed.request = *req.keyed;
  keyed.render = [respond](const domain::Result<T>& outcome) { return ToStored(respond(outcome)); };
  return keyed;
}

// What a keyed request answers: the answer kept with its change, or the one found under its key
// (replayed), or 422 for a key that answered another request. `fresh()` when nothing was decided
// (the request was refused before it reached the store, which keeps nothing), or for a request
// without a key.
template <typename T, typename Fresh>
Response KeyedResponse(const Request& req, std::optional<KeyedOutcome<T>>& keyed, Fresh fresh) {
  if (!keyed || !keyed->decided()) return fresh();
  using Found = typename KeyedOutcome<T>::Found;
  if (keyed->found == Found::kMismatch) {
    return Failure(req, domain::ErrorCode::kIdempotencyKeyMismatch);
  }
  return FromStored(std::move(*keyed->answer), keyed->found == Found::kReplay);
}

template <typename T>
KeyedOutcome<T>* Ptr(std::optional<KeyedOutcome<T>>& keyed) {
  return keyed ? &*keyed : nullptr;
}

}  // namespace evently::http
