// An event's terms of sale as a hold meets them: when the sale starts, how many tickets a user
// may have. The store reads the facts under the event's lock; these functions decide.
#pragma once

#include <cstdint>
#include <optional>

#include "domain/error.hpp"
#include "domain/time.hpp"

namespace evently::domain {

struct SaleTerms {
  bool cancelled = false;
  TimePoint start{};  // the event's start: no sale from then on
  std::optional<TimePoint> sale_starts_at;
  std::optional<std::int64_t> max_tickets_per_user;
  bool queue_on = false;  // a waiting room admits the buyers
};

// Why a hold of the event may not proceed at `now`, if it may not: EVENT_NOT_BOOKABLE (cancelled,
// started) before EVENT_NOT_ON_SALE (with details.sale_starts_at), then QUEUE_ADMISSION_REQUIRED
// for a hold without a valid admission (`admitted`: its token checked) while a queue is on.
std::optional<Error> RefuseHoldAt(const SaleTerms& terms, TimePoint now, bool admitted);

// Why a hold of `requested` seats by a user whose live bookings of the event already have `held`
// seats would exceed the event's limit, if it would: BOOKING_LIMIT_EXCEEDED {limit, held}.
std::optional<Error> RefuseOverLimit(const SaleTerms& terms, std::int64_t held,
                                     std::int64_t requested);

}  // namespace evently::domain
