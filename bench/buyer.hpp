// A buyer's turn at a sale (BENCH.md flash-sale and rush): hold seats it believes free, confirm
// them with the sandbox card, and learn from a 409 which seats are gone.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.hpp"
#include "setup.hpp"

namespace evently::bench {

inline constexpr std::string_view kSandboxCard =
    R"({"payment_method":"credit_card","payment_details":{"token":"tok_visa"}})";

// Counts and latencies of holds and confirmations, summed over all buyers.
struct SaleStats {
  std::vector<double> hold_ms, confirm_ms;
  long attempts = 0, held = 0, seats_held = 0, confirmed = 0, conflicts = 0, sold_out = 0;
  long server_errors = 0, other = 0;
};

enum class HoldOutcome {
  kHeld,         // held (and the confirmation sent, whatever it answered)
  kTaken,        // 409: some of the seats are gone (dropped from the free seats); pick again
  kSoldOut,      // 409 EVENT_SOLD_OUT
  kRefused,      // another 4xx: `code` says which
  kServerError,  // 5xx or no answer
};

struct HoldResult {
  HoldOutcome outcome;
  std::string code;  // the API error code of a refusal
};

// POST /bookings for `pick` as the token's user, then its confirmation; `headers` go with the
// hold (X-Queue-Token). Client: HttpClient or ClientPool.
template <typename Client>
asio::awaitable<HoldResult> HoldAndConfirm(Client& c, const std::string& event_id,
                                           const std::vector<std::string>& pick,
                                           const std::string& token, FreeSeats& free,
                                           SaleStats& stats, Headers headers = {}) {
  json::array ids;
  for (const auto& id : pick) ids.push_back(json::string(id));
  json::object body{{"event_id", event_id}, {"seat_ids", ids}};
  Reply r = co_await c.Send(http::verb::post, "/api/v1/bookings", json::serialize(body), token,
                            std::move(headers));
  ++stats.attempts;
  stats.hold_ms.push_back(r.millis);
  if (r.status == 201) {
    ++stats.held;
    stats.seats_held += static_cast<long>(pick.size());
    for (const auto& id : pick) free.Remove(id);
    std::string booking(json::parse(r.body).at("data").at("booking").at("id").as_string());
    Reply c2 = co_await c.Send(http::verb::post, "/api/v1/bookings/" + booking + "/confirm",
                               std::string(kSandboxCard), token);
    stats.confirm_ms.push_back(c2.millis);
    if (c2.status == 200)
      ++stats.confirmed;
    else if (c2.status >= 500 || c2.status == 0)
      ++stats.server_errors;
    else
      ++stats.other;
    co_return HoldResult{HoldOutcome::kHeld, {}};
  }
  if (r.status >= 500 || r.status == 0) {
    ++stats.server_errors;
    co_return HoldResult{HoldOutcome::kServerError, {}};
  }
  json::value v = json::parse(r.body);
  std::string code(v.at("error").at("code").as_string());
  if (r.status == 409 && code == "EVENT_SOLD_OUT") {
    ++stats.sold_out;
    co_return HoldResult{HoldOutcome::kSoldOut, code};
  }
  const json::value* details = v.at("error").as_object().if_contains("details");
  const json::value* taken = details && details->is_object()
                                 ? details->as_object().if_contains("unavailable_seat_ids")
                                 : nullptr;
  if (r.status == 409 && taken) {
    ++stats.conflicts;
    for (const auto& id : taken->as_array()) free.Remove(std::string(id.as_string()));
    co_return HoldResult{HoldOutcome::kTaken, code};
  }
  ++stats.other;
  co_return HoldResult{HoldOutcome::kRefused, code};
}

}  // namespace evently::bench
