#include "http/handlers/bookings/booking_handlers.hpp"
#include "wire/booking_json.hpp"

namespace evently::http::handlers {

Handler BookingsGet(domain::BookingService& bookings) {
  return [&bookings](Request& req) {
    auto booking = bookings.Get(req.User(), std::string(req.Param("booking_id")));
    if (!booking.ok()) return Failure(req, booking.error());
    wire::JsonWriter w;
    wire::WriteBooking(w, *booking);
    return Success(req, 200, w.Take());
  };
}

}  // namespace evently::http::handlers
