// Idempotency-Key (CONTRACT.md, Idempotency): a keyed request's answer is decided in the
// transaction of the change it answers for and stored there, so that after any crash a retry
// either finds it (and gets it again, byte for byte) or finds nothing and runs once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/time.hpp"

namespace evently::domain {

struct StoredResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct KeyedRequest {
  std::string user_id;
  std::string key;
  std::string fingerprint;  // of the method, path and body
  TimePoint now{};
  TimePoint expires_at{};  // when the answer may be forgotten (24 h)
};

// One keyed request's answer. The store claims the key in the transaction of the change: when
// the key already has an answer, `found` says whose (this request's again, or another's) and
// `answer` is it, and the change is not made; otherwise `render` turns the change's outcome into
// the answer, which commits with the change. An answer of 500 or more is not kept (the key is
// left free), and no answer is set when the transaction fails as a whole.
template <typename Outcome>
struct KeyedAnswer {
  enum class Found { kNone, kReplay, kMismatch };
  KeyedRequest request;
  std::function<StoredResponse(const Outcome&)> render;
  Found found = Found::kNone;
  std::optional<StoredResponse> answer;

  bool decided() const { return answer.has_value() || found == Found::kMismatch; }
  // Before each run of the transaction: a run that failed decided nothing.
  void Undecide() {
    found = Found::kNone;
    answer.reset();
  }
};

// Keyed requests whose answer commits with no change of its own (a read, such as the payment
// intent), and the purge of answers past their time.
class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;
  // Claims the key and keeps the rendered `outcome` as its answer, in one transaction; when the
  // key had an answer already, `keyed` gets that one instead.
  virtual void Keep(KeyedAnswer<StoredResponse>& keyed, const StoredResponse& outcome) = 0;
  virtual int PurgeExpired(TimePoint now) = 0;
};

}  // namespace evently::domain
