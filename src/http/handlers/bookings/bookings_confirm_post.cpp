#include "http/handlers/bookings/booking_handlers.hpp"
#include "wire/booking_json.hpp"

namespace evently::http::handlers {

Handler BookingsConfirmPost(domain::BookingService& bookings) {
  return [&bookings](Request& req) {
    auto payment = wire::DecodeConfirm(req.body);
    if (!payment.ok()) return Failure(req, payment.error());
    auto confirmed = bookings.Confirm(req.User(), std::string(req.Param("booking_id")), *payment);
    if (!confirmed.ok()) return Failure(req, confirmed.error());
    return Success(req, 200, wire::EncodeConfirmed(*confirmed), "Booking confirmed");
  };
}

}  // namespace evently::http::handlers
