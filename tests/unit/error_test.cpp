#include "domain/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace evently::domain {
namespace {

// The contract's table, plus CONTRACT.md's additions: code -> HTTP status.
const std::pair<std::string_view, int> kContract[] = {
    {"AUTH_INVALID_CREDENTIALS", 401},
    {"AUTH_TOKEN_EXPIRED", 401},
    {"AUTH_UNAUTHORIZED", 403},
    {"BOOKING_SEATS_UNAVAILABLE", 409},
    {"BOOKING_EXPIRED", 410},
    {"BOOKING_NOT_FOUND", 404},
    {"EVENT_NOT_FOUND", 404},
    {"EVENT_SOLD_OUT", 409},
    {"PAYMENT_FAILED", 402},
    {"RATE_LIMIT_EXCEEDED", 429},
    {"VALIDATION_ERROR", 400},
    {"SERVER_ERROR", 500},
    {"AUTH_REQUIRED", 401},
    {"AUTH_TOKEN_INVALID", 401},
    {"EMAIL_ALREADY_REGISTERED", 409},
    {"NOT_FOUND", 404},
    {"METHOD_NOT_ALLOWED", 405},
    {"VENUE_NOT_FOUND", 404},
    {"EVENT_NOT_BOOKABLE", 409},
    {"EVENT_HAS_BOOKINGS", 409},
    {"BOOKING_NOT_PENDING", 409},
    {"BOOKING_NOT_CANCELLABLE", 409},
    {"WAITLIST_NOT_AVAILABLE", 409},
    {"IDEMPOTENCY_KEY_MISMATCH", 422},
    {"IDEMPOTENCY_KEY_IN_USE", 409},
    {"PAYLOAD_TOO_LARGE", 413},
    {"UNSUPPORTED_MEDIA_TYPE", 415},
    {"SERVICE_UNAVAILABLE", 503},
    {"EVENT_NOT_ON_SALE", 409},
    {"BOOKING_LIMIT_EXCEEDED", 409},
    {"QUEUE_NOT_OPEN", 409},
    {"QUEUE_NOT_ENABLED", 409},
    {"QUEUE_TICKET_NOT_FOUND", 404},
    {"QUEUE_ADMISSION_REQUIRED", 403},
};

TEST(ErrorCodes, EveryContractCodeMapsToItsStatus) {
  for (const auto& [api, status] : kContract) {
    auto code = ErrorCodeFromApiString(api);
    ASSERT_TRUE(code.has_value()) << api;
    EXPECT_EQ(Describe(*code).http_status, status) << api;
    EXPECT_EQ(Describe(*code).api_code, api);
  }
}

TEST(ErrorCodes, EveryEnumeratorHasAUniqueStringStatusAndMessage) {
  std::set<std::string_view> seen;
  for (ErrorCode code : kAllErrorCodes) {
    const ErrorInfo& info = Describe(code);
    EXPECT_TRUE(seen.insert(info.api_code).second) << info.api_code;
    EXPECT_GE(info.http_status, 400);
    EXPECT_LT(info.http_status, 600);
    EXPECT_FALSE(info.default_message.empty());
    EXPECT_EQ(ErrorCodeFromApiString(info.api_code), code);
  }
  EXPECT_EQ(seen.size(), std::size(kAllErrorCodes));
  EXPECT_EQ(static_cast<std::size_t>(ErrorCode::kServerError) + 1, std::size(kAllErrorCodes))
      << "kAllErrorCodes must list every enumerator";
}

TEST(ErrorCodes, ValidationErrorsCarryFieldIssues) {
  Error e = ValidationError("email", "is required");
  EXPECT_EQ(e.code, ErrorCode::kValidationError);
  ASSERT_EQ(e.details.fields.size(), 1u);
  EXPECT_EQ(e.details.fields[0].field, "email");
  EXPECT_EQ(e.Message(), "Request validation failed");
}

TEST(ResultType, HoldsValueOrError) {
  Result<int> ok = 5;
  Result<int> bad = MakeError(ErrorCode::kEventNotFound);
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 5);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kEventNotFound);
}

}  // namespace
}  // namespace evently::domain
