#include "http/handlers/bookings/booking_handlers.hpp"
#include "wire/booking_json.hpp"

namespace evently::http::handlers {

// The spec's payment_url: the sandbox payment intent for a booking of the caller.
Handler PaymentsInitiate(domain::BookingService& bookings) {
  return [&bookings](Request& req) {
    auto intent = bookings.Intent(req.User(), std::string(req.Param("booking_id")));
    if (!intent.ok()) return Failure(req, intent.error());
    return Success(req, 200, wire::EncodePaymentIntent(*intent), "Payment intent");
  };
}

}  // namespace evently::http::handlers
