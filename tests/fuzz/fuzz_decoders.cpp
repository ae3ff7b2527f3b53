// libFuzzer: every JSON body decoder, the WebSocket client messages and request targets with
// their query strings. The first byte picks the decoder, the rest is its input. A decoder may
// refuse anything, but only as the client's fault (a 4xx code), never by crashing or throwing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "http/query.hpp"
#include "wire/booking_json.hpp"
#include "wire/catalog_json.hpp"
#include "wire/identity_json.hpp"
#include "wire/realtime_json.hpp"
#include "wire/waitlist_json.hpp"

namespace {

using evently::domain::Describe;
using evently::domain::Error;

[[noreturn]] void Fail(std::string_view what, std::string_view input) {
  std::fprintf(stderr, "fuzz_decoders: %.*s for input '%.*s'\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(input.size()), input.data());
  std::abort();
}

void CheckRefusal(const Error& error, std::string_view input) {
  int status = Describe(error.code).http_status;
  if (status < 400 || status >= 500) Fail("a refusal that is not the client's fault", input);
  for (const auto& issue : error.details.fields) {  // the field may be "" (an unknown key "")
    if (issue.issue.empty()) Fail("a field issue without text", input);
  }
}

template <typename Decoded>
void Check(const Decoded& result, std::string_view input) {
  if (!result.ok()) CheckRefusal(result.error(), input);
}

// A request target: the path and query as the server splits them, then every query parser.
void CheckTarget(std::string_view target) {
  evently::http::Request req;
  evently::http::ParseTarget(target, req);
  std::vector<evently::domain::FieldIssue> issues;
  (void)evently::http::ParsePagination(req, issues);
  (void)evently::http::ParseEventQuery(req, issues);
  (void)evently::http::ParseDateParam(req, "start_date", issues);
  if (auto page = evently::http::ParsePagination(req); !page.ok())
    CheckRefusal(page.error(), target);
  for (const auto& issue : issues) {
    if (issue.issue.empty()) Fail("a query issue without text", target);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  namespace wire = evently::wire;
  switch (data[0] % 14) {
    case 0:
      Check(wire::DecodeHold(input), input);
      break;
    case 1:
      Check(wire::DecodeConfirm(input), input);
      break;
    case 2:
      Check(wire::DecodeNewVenue(input), input);
      break;
    case 3:
      Check(wire::DecodeVenueChanges(input), input);
      break;
    case 4:
      Check(wire::DecodeNewEvent(input), input);
      break;
    case 5:
      Check(wire::DecodeEventChanges(input), input);
      break;
    case 6:
      Check(wire::DecodeNewAccount(input), input);
      break;
    case 7:
      Check(wire::DecodeCredentials(input), input);
      break;
    case 8:
      Check(wire::DecodeRefreshToken(input), input);
      break;
    case 9:
      Check(wire::DecodeProfileChange(input), input);
      break;
    case 10:
      Check(wire::DecodeRoleChange(input), input);
      break;
    case 11:
      Check(wire::DecodeJoin(input), input);
      break;
    case 12:
      Check(wire::DecodeClientMessage(input), input);
      break;
    default:
      CheckTarget(input);
      break;
  }
  return 0;
}
