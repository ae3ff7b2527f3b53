#include "storage/keyed_answers.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace evently::storage {
namespace {

// A key whose answer is past its time is claimed anew, as if it were not there.
constexpr Statement kClaimKey{
    "idem_claim",
    "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, state, created_at, "
    "expires_at, claim) VALUES ($1, $2, $3, 'running', $4, $5, $6) "
    "ON CONFLICT (user_id, idempotency_key) DO UPDATE SET request_hash = EXCLUDED.request_hash, "
    "state = 'running', created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, "
    "claim = EXCLUDED.claim, response_status = NULL, response_headers = NULL, "
    "response_body = NULL WHERE idempotency_keys.expires_at <= EXCLUDED.created_at RETURNING 1"};
constexpr Statement kReadAnswer{
    "idem_read",
    "SELECT request_hash, response_status, response_headers, response_body FROM idempotency_keys "
    "WHERE user_id = $1 AND idempotency_key = $2 AND state = 'done'"};
constexpr Statement kStoreAnswer{
    "idem_answer",
    "UPDATE idempotency_keys SET state = 'done', claim = NULL, response_status = $4, "
    "response_headers = $5, response_body = $6 WHERE user_id = $1 AND idempotency_key = $2 "
    "AND claim = $3"};
constexpr Statement kDropClaim{
    "idem_drop_claim",
    "DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2 AND claim = $3"};

// Headers are kept as "name\tvalue\n" lines: names and values never hold tabs or newlines.
std::string PackHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    out.append(name).append(1, '\t').append(value).append(1, '\n');
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> UnpackHeaders(const std::string& packed) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = 0;
  while (pos < packed.size()) {
    std::size_t end = packed.find('\n', pos);
    std::string line = packed.substr(pos, end - pos);
    std::size_t tab = line.find('\t');
    if (tab != std::string::npos) out.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    pos = end == std::string::npos ? packed.size() : end + 1;
  }
  return out;
}

}  // namespace

Call ClaimKeyCall(const domain::KeyedRequest& request, const std::string& claim) {
  return Call{
      kClaimKey,
      {request.user_id, request.key, request.fingerprint, domain::ToEpochMillis(request.now),
       domain::ToEpochMillis(request.expires_at), claim}};
}

bool ClaimKey(Connection& conn, const domain::KeyedRequest& request, const std::string& claim) {
  Call call = ClaimKeyCall(request, claim);
  return !conn.Exec(call.statement, call.params).empty();
}

std::optional<FoundAnswer> ReadAnswer(Connection& conn, const domain::KeyedRequest& request) {
  Rows row = conn.Exec(kReadAnswer, {request.user_id, request.key});
  if (row.empty()) return std::nullopt;
  FoundAnswer found;
  found.same_request = row.Text(0, 0) == request.fingerprint;
  found.answer.status = static_cast<int>(row.Int(0, 1));
  found.answer.headers = UnpackHeaders(row.OptText(0, 2).value_or(""));
  found.answer.body = row.OptText(0, 3).value_or("");
  return found;
}

void StoreAnswer(Connection& conn, const domain::KeyedRequest& request, const std::string& claim,
                 const domain::StoredResponse& answer) {
  if (answer.status >= 500) {
    conn.Defer(kDropClaim, {request.user_id, request.key, claim});
    return;
  }
  conn.Defer(kStoreAnswer, {request.user_id, request.key, claim, std::int64_t{answer.status},
                            PackHeaders(answer.headers), answer.body});
}

BatchKeys::BatchKeys(std::vector<domain::BookingAnswer*> keyed, std::vector<std::string> claims)
    : keyed_(std::move(keyed)),
      claims_(std::move(claims)),
      state_(keyed_.size(), State::kUnkeyed),
      first_(keyed_.size(), 0) {
  std::map<std::pair<std::string_view, std::string_view>, std::size_t> firsts;
  for (std::size_t i = 0; i < keyed_.size(); ++i) {
    if (!keyed_[i]) continue;
    keyed_[i]->Undecide();
    const domain::KeyedRequest& req = keyed_[i]->request;
    auto [it, first] = firsts.try_emplace({req.user_id, req.key}, i);
    if (first) {
      state_[i] = State::kClaimed;  // until Read says otherwise
      order_.push_back(i);
    } else {
      state_[i] = State::kTwin;
      first_[i] = it->second;
    }
  }
  std::sort(order_.begin(), order_.end(), [this](std::size_t a, std::size_t b) {
    const domain::KeyedRequest& x = keyed_[a]->request;
    const domain::KeyedRequest& y = keyed_[b]->request;
    return std::tie(x.user_id, x.key) < std::tie(y.user_id, y.key);
  });
}

void BatchKeys::AddClaims(std::vector<Call>& calls) const {
  for (std::size_t i : order_) calls.push_back(ClaimKeyCall(keyed_[i]->request, claims_[i]));
}

void BatchKeys::Read(Connection& conn, const std::vector<Rows>& answers, std::size_t first) {
  for (std::size_t n = 0; n < order_.size(); ++n) {
    std::size_t i = order_[n];
    if (answers[first + n].size() != 0) continue;
    state_[i] = State::kRefused;
    TakeFound(conn, *keyed_[i]);
  }
}

domain::Error BatchKeys::Refusal(std::size_t i) const {
  return domain::MakeError(state_[i] == State::kTwin ? domain::ErrorCode::kIdempotencyKeyInUse
                                                     : domain::ErrorCode::kIdempotencyKeyMismatch);
}

void BatchKeys::Answer(Connection& conn,
                       const std::vector<domain::Result<domain::BookingChange>>& outcomes) {
  for (std::size_t i = 0; i < keyed_.size(); ++i) {
    if (state_[i] == State::kClaimed) {
      storage::Answer(conn, *keyed_[i], claims_[i], OutcomeOf(outcomes[i]));
    }
  }
  using Found = domain::BookingAnswer::Found;
  for (std::size_t i = 0; i < keyed_.size(); ++i) {
    if (state_[i] != State::kTwin) continue;
    const domain::BookingAnswer& first = *keyed_[first_[i]];
    domain::BookingAnswer& twin = *keyed_[i];
    if (twin.request.fingerprint != first.request.fingerprint) {
      twin.found = Found::kMismatch;  // the key answers the first request
    } else if (first.found == Found::kMismatch) {
      twin.found = Found::kMismatch;
    } else if (first.answer && first.answer->status < 500) {
      twin.found = Found::kReplay;
      twin.answer = first.answer;
    }  // else: nothing kept, and the twin is told the key is in use
  }
}

domain::Result<domain::Booking> OutcomeOf(const domain::Result<domain::BookingChange>& change) {
  if (!change.ok()) return change.error();
  return change.value().booking;
}

}  // namespace evently::storage
