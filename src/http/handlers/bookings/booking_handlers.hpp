// Booking endpoints (one factory per endpoint; each file holds one handler).
#pragma once

#include "domain/booking/booking_service.hpp"
#include "domain/queue/queue_service.hpp"
#include "http/router.hpp"

namespace evently::http::handlers {

Handler BookingsPost(domain::BookingService& bookings, const domain::QueueService& queue);
Handler BookingsConfirmPost(domain::BookingService& bookings);
Handler BookingsDelete(domain::BookingService& bookings);
Handler BookingsGet(domain::BookingService& bookings);
Handler UsersBookingsGet(domain::BookingService& bookings);
Handler PaymentsInitiate(domain::BookingService& bookings);

}  // namespace evently::http::handlers
