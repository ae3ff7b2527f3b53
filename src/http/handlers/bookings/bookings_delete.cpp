#include "http/crash_point.hpp"
#include "http/handlers/bookings/booking_handlers.hpp"
#include "http/keyed.hpp"
#include "wire/booking_json.hpp"

namespace evently::http::handlers {

// 200 with the spec's example body (CONTRACT.md: the example wins over the generic 204 line).
Handler BookingsDelete(domain::BookingService& bookings) {
  return [&bookings](Request& req) {
    auto respond = [&req](const domain::Result<domain::Booking>& cancelled) {
      if (!cancelled.ok()) return Failure(req, cancelled.error());
      return Success(req, 200, wire::EncodeCancelled(*cancelled), "Booking cancelled successfully");
    };
    auto keyed = KeyedFor<domain::Booking>(req, respond);
    auto cancelled = bookings.Cancel(req.User(), std::string(req.Param("booking_id")), Ptr(keyed));
    CrashPoint("cancel");
    return KeyedResponse(req, keyed, [&] { return respond(cancelled); });
  };
}

}  // namespace evently::http::handlers
