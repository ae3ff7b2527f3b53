// Idempotency keys claimed and answered inside the transaction of the change they answer for
// (CONTRACT.md, Idempotency): the change and its answer commit together or not at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/ports/bookings.hpp"
#include "domain/ports/idempotency.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

// The claim of the request's key by `claim` (the id of the write it belongs to), as a call that
// can go out in a pipeline: its answer has a row when the key is this write's to answer (no
// answer under it, or one past its time). A claim by a transaction still running elsewhere waits
// for that one to end (PostgreSQL's unique index; SQLite has a single writer).
Call ClaimKeyCall(const domain::KeyedRequest& request, const std::string& claim);
// The same claim, run now; true when the key is this write's.
bool ClaimKey(Connection& conn, const domain::KeyedRequest& request, const std::string& claim);

// What a write that could not claim its key found there: the answer kept, and whether it was
// kept for this same request (a replay) or for another one (a mismatch).
struct FoundAnswer {
  domain::StoredResponse answer;
  bool same_request = false;
};
std::optional<FoundAnswer> ReadAnswer(Connection& conn, const domain::KeyedRequest& request);

// Keeps `answer` under the key `claim` holds; it goes out with the commit. An answer of 500 or
// more is not kept: the claim is dropped, and a retry runs again.
void StoreAnswer(Connection& conn, const domain::KeyedRequest& request, const std::string& claim,
                 const domain::StoredResponse& answer);

// `keyed` gets what a write that could not claim its key found under it.
template <typename Outcome>
void TakeFound(Connection& conn, domain::KeyedAnswer<Outcome>& keyed) {
  std::optional<FoundAnswer> found = ReadAnswer(conn, keyed.request);
  // The row that refused the claim cannot go before this transaction ends.
  if (!found) throw SqlError(SqlError::Kind::kRetryable, "an idempotency key changed under us");
  using Found = typename domain::KeyedAnswer<Outcome>::Found;
  keyed.found = found->same_request ? Found::kReplay : Found::kMismatch;
  if (found->same_request) {
    keyed.answer = std::move(found->answer);
  } else {
    keyed.answer.reset();
  }
}

// Renders the write's outcome into the key's answer and keeps it with the change.
template <typename Outcome>
void Answer(Connection& conn, domain::KeyedAnswer<Outcome>& keyed, const std::string& claim,
            const Outcome& outcome) {
  domain::StoredResponse answer = keyed.render(outcome);
  StoreAnswer(conn, keyed.request, claim, answer);
  keyed.found = domain::KeyedAnswer<Outcome>::Found::kNone;
  keyed.answer = std::move(answer);
}

// The keys of one batch's booking writes: write i is keyed when keyed[i] is set, and claims its
// key as claims[i] (its own id). The first write of a (user, key) claims it; a later write of the
// same batch under that key (its twin: a client that sent the request again before the first
// answer) claims nothing, changes nothing and is answered from the first once that is decided.
class BatchKeys {
 public:
  BatchKeys(std::vector<domain::BookingAnswer*> keyed, std::vector<std::string> claims);
  // The keys of `writes` (each with its `keyed`), each claimed as claim_of(write).
  template <typename Write, typename ClaimOf>
  static BatchKeys Of(const std::vector<const Write*>& writes, ClaimOf claim_of) {
    std::vector<domain::BookingAnswer*> keyed;
    std::vector<std::string> claims;
    for (const Write* write : writes) {
      keyed.push_back(write->keyed);
      claims.push_back(claim_of(*write));
    }
    return BatchKeys(std::move(keyed), std::move(claims));
  }

  // Appends the claims to a pipeline, in (user, key) order: batches that share keys claim them
  // in one order, so they wait for each other instead of deadlocking.
  void AddClaims(std::vector<Call>& calls) const;
  std::size_t size() const { return order_.size(); }
  // Reads the claims' answers, from answers[first]; a write whose claim was refused (the key has
  // an answer) gets that answer.
  void Read(Connection& conn, const std::vector<Rows>& answers, std::size_t first);
  // Whether write i may change anything: unkeyed, or its claim holds.
  bool Proceeds(std::size_t i) const {
    return state_[i] == State::kUnkeyed || state_[i] == State::kClaimed;
  }
  // What a write that may not proceed is told: IDEMPOTENCY_KEY_MISMATCH when its key had an
  // answer (the caller answers from its `keyed`), IDEMPOTENCY_KEY_IN_USE for a twin whose first
  // keeps no answer.
  domain::Error Refusal(std::size_t i) const;
  // Renders every claimed write's outcome into its key's answer, kept with the change, and
  // answers the twins from their first.
  void Answer(Connection& conn, const std::vector<domain::Result<domain::BookingChange>>& outcomes);

 private:
  enum class State { kUnkeyed, kClaimed, kRefused, kTwin };
  std::vector<domain::BookingAnswer*> keyed_;
  std::vector<std::string> claims_;
  std::vector<State> state_;
  std::vector<std::size_t> first_;  // a twin's first write
  std::vector<std::size_t> order_;  // the claiming writes, in (user, key) order
};

// The booking a change answers with, or its error.
domain::Result<domain::Booking> OutcomeOf(const domain::Result<domain::BookingChange>& change);

}  // namespace evently::storage
