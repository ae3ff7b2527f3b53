// Holding seats: a batch of concurrent holds of one event inside the caller's write transaction.
#pragma once

#include <vector>

#include "domain/error.hpp"
#include "domain/ports/bookings.hpp"
#include "storage/seat_pipeline.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

// Decides every hold of the batch (all of one event), in order, each all or nothing: the
// result i answers requests[i]. The statements that do not depend on a single hold (the event
// lock, prices, section counters, booking codes, the day's roll-up, the seat version) run once
// per batch, so a hold costs one conditional seat write plus its share of two inserts.
// A refused hold writes nothing, so no savepoint is needed; an exception aborts the whole batch.
std::vector<domain::Result<domain::BookingChange>> HoldBatch(
    Connection& conn, const std::vector<const domain::HoldRequest*>& requests,
    const ReleaseRules& rules);

}  // namespace evently::storage
