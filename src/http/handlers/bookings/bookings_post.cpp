#include "domain/ids.hpp"
#include "http/crash_point.hpp"
#include "http/handlers/bookings/booking_handlers.hpp"
#include "http/keyed.hpp"
#include "wire/booking_json.hpp"

namespace evently::http::handlers {

Handler BookingsPost(domain::BookingService& bookings, const domain::QueueService& queue) {
  return [&bookings, &queue](Request& req) {
    auto body = wire::DecodeHold(req.body);
    if (!body.ok()) return Failure(req, body.error());
    // The token's signature, expiry, user and event are checked here, from memory; whether the
    // event's queue is on is read by the hold's batch with the event's lock, which refuses a hold
    // without a valid admission then (QUEUE_ADMISSION_REQUIRED).
    auto token = req.Header("x-queue-token");
    bool admitted = token && queue.Admitted(*token, req.User().user_id,
                                            domain::NormalizeUuid(body->event_id), req.now);
    auto respond = [&req](const domain::Result<domain::Booking>& held) {
      if (!held.ok()) return Failure(req, held.error());
      Response res = Success(req, 201, wire::EncodeHeld(*held), "Seats held; confirm to book");
      res.SetHeader("Location", "/api/v1/bookings/" + held->id);
      return res;
    };
    auto keyed = KeyedFor<domain::Booking>(req, respond);
    auto held = bookings.Hold(req.User(), body->event_id, body->seat_ids, Ptr(keyed), admitted);
    CrashPoint("hold");
    return KeyedResponse(req, keyed, [&] { return respond(held); });
  };
}

}  // namespace evently::http::handlers
