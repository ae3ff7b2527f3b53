#include "http/handlers/bookings/booking_handlers.hpp"
#include "wire/booking_json.hpp"

namespace evently::http::handlers {

Handler BookingsPost(domain::BookingService& bookings) {
  return [&bookings](Request& req) {
    auto body = wire::DecodeHold(req.body);
    if (!body.ok()) return Failure(req, body.error());
    auto held = bookings.Hold(req.User(), body->event_id, body->seat_ids);
    if (!held.ok()) return Failure(req, held.error());
    Response res = Success(req, 201, wire::EncodeHeld(*held), "Seats held; confirm to book");
    res.SetHeader("Location", "/api/v1/bookings/" + held->id);
    return res;
  };
}

}  // namespace evently::http::handlers
