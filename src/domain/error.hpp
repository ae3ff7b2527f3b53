// The product's one error vocabulary: every code of the API contract, and Result<T>.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace evently::domain {

enum class ErrorCode : std::uint8_t {
  kAuthInvalidCredentials,
  kAuthTokenExpired,
  kAuthUnauthorized,
  kAuthRequired,
  kAuthTokenInvalid,
  kEmailAlreadyRegistered,
  kBookingSeatsUnavailable,
  kBookingExpired,
  kBookingNotFound,
  kBookingNotPending,
  kBookingNotCancellable,
  kEventNotFound,
  kEventSoldOut,
  kEventNotBookable,
  kEventHasBookings,
  kEventNotOnSale,
  kBookingLimitExceeded,
  kQueueNotOpen,
  kQueueNotEnabled,
  kQueueTicketNotFound,
  kQueueAdmissionRequired,
  kVenueNotFound,
  kUserNotFound,
  kWaitlistNotAvailable,
  kWaitlistEntryNotFound,
  kNotificationNotFound,
  kPaymentFailed,
  kRateLimitExceeded,
  kValidationError,
  kNotFound,
  kMethodNotAllowed,
  kIdempotencyKeyMismatch,
  kIdempotencyKeyInUse,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kServiceUnavailable,
  kServerError,
};

// Every code, in declaration order; the exhaustive tests and the API reference walk it.
inline constexpr ErrorCode kAllErrorCodes[] = {
    ErrorCode::kAuthInvalidCredentials,
    ErrorCode::kAuthTokenExpired,
    ErrorCode::kAuthUnauthorized,
    ErrorCode::kAuthRequired,
    ErrorCode::kAuthTokenInvalid,
    ErrorCode::kEmailAlreadyRegistered,
    ErrorCode::kBookingSeatsUnavailable,
    ErrorCode::kBookingExpired,
    ErrorCode::kBookingNotFound,
    ErrorCode::kBookingNotPending,
    ErrorCode::kBookingNotCancellable,
    ErrorCode::kEventNotFound,
    ErrorCode::kEventSoldOut,
    ErrorCode::kEventNotBookable,
    ErrorCode::kEventHasBookings,
    ErrorCode::kEventNotOnSale,
    ErrorCode::kBookingLimitExceeded,
    ErrorCode::kQueueNotOpen,
    ErrorCode::kQueueNotEnabled,
    ErrorCode::kQueueTicketNotFound,
    ErrorCode::kQueueAdmissionRequired,
    ErrorCode::kVenueNotFound,
    ErrorCode::kUserNotFound,
    ErrorCode::kWaitlistNotAvailable,
    ErrorCode::kWaitlistEntryNotFound,
    ErrorCode::kNotificationNotFound,
    ErrorCode::kPaymentFailed,
    ErrorCode::kRateLimitExceeded,
    ErrorCode::kValidationError,
    ErrorCode::kNotFound,
    ErrorCode::kMethodNotAllowed,
    ErrorCode::kIdempotencyKeyMismatch,
    ErrorCode::kIdempotencyKeyInUse,
    ErrorCode::kPayloadTooLarge,
    ErrorCode::kUnsupportedMediaType,
    ErrorCode::kServiceUnavailable,
    ErrorCode::kServerError,
};

struct ErrorInfo {
  std::string_view api_code;  // the string clients see, e.g. "EVENT_NOT_FOUND"
  int http_status;
  std::string_view default_message;
};

// The single code -> (API string, HTTP status, message) mapping.
const ErrorInfo& Describe(ErrorCode code);
std::optional<ErrorCode> ErrorCodeFromApiString(std::string_view api_code);

struct FieldIssue {
  std::string field;
  std::string issue;
};

// Structured, transport-neutral details; wire/ renders them into `error.details`.
struct ErrorDetails {
  std::vector<FieldIssue> fields;
  std::vector<std::pair<std::string, std::string>> strings;
  std::vector<std::pair<std::string, std::vector<std::string>>> string_lists;
  std::vector<std::pair<std::string, std::int64_t>> numbers;

  bool empty() const {
    return fields.empty() && strings.empty() && string_lists.empty() && numbers.empty();
  }
};

struct Error {
  ErrorCode code;
  std::string message;  // empty: the code's default message
  ErrorDetails details;

  std::string_view Message() const {
    return message.empty() ? Describe(code).default_message : std::string_view(message);
  }
};

Error MakeError(ErrorCode code, std::string message = {});
Error ValidationError(std::vector<FieldIssue> fields);
Error ValidationError(std::string field, std::string issue);

// Broken infrastructure (the store is unreachable): thrown by adapters, answered as 503.
class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status Ok() { return Unit{}; }

}  // namespace evently::domain
