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

// The success envelope split around `data`: open + data + close is the whole body. Lets a
// cached, pre-serialized (or pre-compressed) data part get a fresh message and timestamp.
struct EnvelopeFrame {
  std::string open;   // {"success":true,"data":
  std::string close;  // ,"message":...,"timestamp":...}
};
EnvelopeFrame SuccessEnvelopeFrame(std::string_view message, domain::TimePoint now);

// `data_json` is already-serialized JSON (an object, array or null).
std::string SuccessEnvelope(std::string_view data_json, std::string_view message,
                            domain::TimePoint now, const Pagination* pagination = nullptr);
std::string ErrorEnvelope(const domain::Error& error, domain::TimePoint now);
// Just the `error` object, for WebSocket error frames.
std::string ErrorObject(const domain::Error& error);

}  // namespace evently::wire
