#include "domain/error.hpp"

namespace evently::domain {

const ErrorInfo& Describe(ErrorCode code) {
  static const ErrorInfo kUnknown{"SERVER_ERROR", 500, "Internal server error"};
  switch (code) {
#define EVENTLY_ERROR(enumerator, api, status, message) \
  case ErrorCode::enumerator: {                         \
    static const ErrorInfo info{api, status, message};  \
    return info;                                        \
  }
    EVENTLY_ERROR(kAuthInvalidCredentials, "AUTH_INVALID_CREDENTIALS", 401,
                  "Invalid email or password")
    EVENTLY_ERROR(kAuthTokenExpired, "AUTH_TOKEN_EXPIRED", 401, "JWT token has expired")
    EVENTLY_ERROR(kAuthUnauthorized, "AUTH_UNAUTHORIZED", 403,
                  "User not authorized for this action")
    EVENTLY_ERROR(kAuthRequired, "AUTH_REQUIRED", 401, "Authentication required")
    EVENTLY_ERROR(kAuthTokenInvalid, "AUTH_TOKEN_INVALID", 401, "Token is invalid")
    EVENTLY_ERROR(kEmailAlreadyRegistered, "EMAIL_ALREADY_REGISTERED", 409,
                  "Email is already registered")
    EVENTLY_ERROR(kBookingSeatsUnavailable, "BOOKING_SEATS_UNAVAILABLE", 409,
                  "Selected seats no longer available")
    EVENTLY_ERROR(kBookingExpired, "BOOKING_EXPIRED", 410, "Booking has expired")
    EVENTLY_ERROR(kBookingNotFound, "BOOKING_NOT_FOUND", 404, "Booking does not exist")
    EVENTLY_ERROR(kBookingNotPending, "BOOKING_NOT_PENDING", 409, "Booking is not pending")
    EVENTLY_ERROR(kBookingNotCancellable, "BOOKING_NOT_CANCELLABLE", 409,
                  "Booking can no longer be cancelled")
    EVENTLY_ERROR(kEventNotFound, "EVENT_NOT_FOUND", 404, "Event does not exist")
    EVENTLY_ERROR(kEventSoldOut, "EVENT_SOLD_OUT", 409, "Event is sold out")
    EVENTLY_ERROR(kEventNotBookable, "EVENT_NOT_BOOKABLE", 409,
                  "Event is cancelled, started or over")
    EVENTLY_ERROR(kEventHasBookings, "EVENT_HAS_BOOKINGS", 409,
                  "Seats of this event are already held or sold")
    EVENTLY_ERROR(kEventNotOnSale, "EVENT_NOT_ON_SALE", 409, "The sale has not started yet")
    EVENTLY_ERROR(kBookingLimitExceeded, "BOOKING_LIMIT_EXCEEDED", 409,
                  "This would hold more tickets than one user may have for this event")
    EVENTLY_ERROR(kQueueNotOpen, "QUEUE_NOT_OPEN", 409, "The waiting room is not open yet")
    EVENTLY_ERROR(kQueueNotEnabled, "QUEUE_NOT_ENABLED", 409, "This event has no waiting room")
    EVENTLY_ERROR(kQueueTicketNotFound, "QUEUE_TICKET_NOT_FOUND", 404,
                  "You have no ticket in this event's waiting room")
    EVENTLY_ERROR(kQueueAdmissionRequired, "QUEUE_ADMISSION_REQUIRED", 403,
                  "Buying seats of this event needs an admission from its waiting room")
    EVENTLY_ERROR(kVenueNotFound, "VENUE_NOT_FOUND", 404, "Venue does not exist")
    EVENTLY_ERROR(kUserNotFound, "USER_NOT_FOUND", 404, "User does not exist")
    EVENTLY_ERROR(kWaitlistNotAvailable, "WAITLIST_NOT_AVAILABLE", 409,
                  "Seats are still on sale; the waitlist opens when the event sells out")
    EVENTLY_ERROR(kWaitlistEntryNotFound, "WAITLIST_ENTRY_NOT_FOUND", 404,
                  "Waitlist entry does not exist")
    EVENTLY_ERROR(kNotificationNotFound, "NOTIFICATION_NOT_FOUND", 404,
                  "Notification does not exist")
    EVENTLY_ERROR(kPaymentFailed, "PAYMENT_FAILED", 402, "Payment processing failed")
    EVENTLY_ERROR(kRateLimitExceeded, "RATE_LIMIT_EXCEEDED", 429, "Too many requests")
    EVENTLY_ERROR(kValidationError, "VALIDATION_ERROR", 400, "Request validation failed")
    EVENTLY_ERROR(kNotFound, "NOT_FOUND", 404, "No such route")
    EVENTLY_ERROR(kMethodNotAllowed, "METHOD_NOT_ALLOWED", 405,
                  "Method not allowed on this route")
    EVENTLY_ERROR(kIdempotencyKeyMismatch, "IDEMPOTENCY_KEY_MISMATCH", 422,
                  "Idempotency key was used with a different request")
    EVENTLY_ERROR(kIdempotencyKeyInUse, "IDEMPOTENCY_KEY_IN_USE", 409,
                  "A request with this idempotency key is still running")
    EVENTLY_ERROR(kPayloadTooLarge, "PAYLOAD_TOO_LARGE", 413, "Request body is too large")
    EVENTLY_ERROR(kUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", 415,
                  "Request body must be application/json")
    EVENTLY_ERROR(kServiceUnavailable, "SERVICE_UNAVAILABLE", 503,
                  "Service temporarily unavailable")
    EVENTLY_ERROR(kServerError, "SERVER_ERROR", 500, "Internal server error")
#undef EVENTLY_ERROR
  }
  return kUnknown;
}

std::optional<ErrorCode> ErrorCodeFromApiString(std::string_view api_code) {
  for (ErrorCode code : kAllErrorCodes) {
    if (Describe(code).api_code == api_code) return code;
  }
  return std::nullopt;
}

Error MakeError(ErrorCode code, std::string message) { return Error{code, std::move(message), {}}; }

Error ValidationError(std::vector<FieldIssue> fields) {
  Error error{ErrorCode::kValidationError, {}, {}};
  error.details.fields = std::move(fields);
  return error;
}

Error ValidationError(std::string field, std::string issue) {
  return ValidationError(std::vector<FieldIssue>{{std::move(field), std::move(issue)}});
}

}  // namespace evently::domain
