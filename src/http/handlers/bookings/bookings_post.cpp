#include "http/crash_point.hpp"
#include "http/handlers/bookings/booking_handlers.hpp"
#include "http/keyed.hpp"
#include "wire/booking_json.hpp"

namespace evently::http::handlers {

Handler BookingsPost(domain::BookingService& bookings) {
  return [&bookings](Request& req) {
    auto body = wire::DecodeHold(req.body);
    if (!body.ok()) return Failure(req, body.error());
    auto respond = [&req](const domain::Result<domain::Booking>& held) {
      if (!held.ok()) return Failure(req, held.error());
      Response res = Success(req, 201, wire::EncodeHeld(*held), "Seats held; confirm to book");
      res.SetHeader("Location", "/api/v1/bookings/" + held->id);
      return res;
    };
    auto keyed = KeyedFor<domain::Booking>(req, respond);
    auto held = bookings.Hold(req.User(), body->event_id, body->seat_ids, Ptr(keyed));
    CrashPoint("hold");
    return KeyedResponse(req, keyed, [&] { return respond(held); });
  };
}

}  // namespace evently::http::handlers
