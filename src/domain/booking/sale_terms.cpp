#include "domain/booking/sale_terms.hpp"

namespace evently::domain {

std::optional<Error> RefuseHoldAt(const SaleTerms& terms, TimePoint now, bool admitted) {
  if (terms.cancelled || now >= terms.start) return MakeError(ErrorCode::kEventNotBookable);
  if (terms.sale_starts_at && now < *terms.sale_starts_at) {
    Error error = MakeError(ErrorCode::kEventNotOnSale);
    error.details.strings = {{"sale_starts_at", FormatRfc3339(*terms.sale_starts_at)}};
    return error;
  }
  if (terms.queue_on && !admitted) return MakeError(ErrorCode::kQueueAdmissionRequired);
  return std::nullopt;
}

std::optional<Error> RefuseOverLimit(const SaleTerms& terms, std::int64_t held,
                                     std::int64_t requested) {
  if (!terms.max_tickets_per_user || held + requested <= *terms.max_tickets_per_user) {
    return std::nullopt;
  }
  Error error = MakeError(ErrorCode::kBookingLimitExceeded);
  error.details.numbers = {{"limit", *terms.max_tickets_per_user}, {"held", held}};
  return error;
}

}  // namespace evently::domain
