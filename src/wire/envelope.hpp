// The contract's response envelope: success, data | error, message, timestamp, pagination.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/time.hpp"

namespace evently::wire {

struct Pagination {
  std::int64_t page = 1;
  std::int64_t per_page = 20;
  std::int64_t total = 0;
};

// `data_json` is already-serialized JSON (an object, array or null).
std::string SuccessEnvelope(std::string_view data_json, std::string_view message,
                            domain::TimePoint now, const Pagination* pagination = nullptr);
std::string ErrorEnvelope(const domain::Error& error, domain::TimePoint now);
// Just the `error` object, for WebSocket error frames.
std::string ErrorObject(const domain::Error& error);

}  // namespace evently::wire
