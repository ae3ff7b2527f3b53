#include "http/crash_point.hpp"
#include "http/handlers/bookings/booking_handlers.hpp"
#include "http/keyed.hpp"
#include "wire/booking_json.hpp"

namespace evently::http::handlers {

Handler BookingsConfirmPost(domain::BookingService& bookings) {
  return [&bookings](Request& req) {
    auto payment = wire::DecodeConfirm(req.body);
    if (!payment.ok()) return Failure(req, payment.error());
    auto respond = [&req](const domain::Result<domain::Booking>& confirmed) {
      if (!confirmed.ok()) return Failure(req, confirmed.error());
      return Success(req, 200, wire::EncodeConfirmed(*confirmed), "Booking confirmed");
    };
    auto keyed = KeyedFor<domain::Booking>(req, respond);
    auto confirmed =
        bookings.Confirm(req.User(), std::string(req.Param("booking_id")), *payment, Ptr(keyed));
    CrashPoint("confirm");
    return KeyedResponse(req, keyed, [&] { return respond(confirmed); });
  };
}

}  // namespace evently::http::handlers
