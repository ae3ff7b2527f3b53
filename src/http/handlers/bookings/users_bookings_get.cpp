#include "http/handlers/bookings/booking_handlers.hpp"
#include "http/query.hpp"
#include "wire/booking_json.hpp"

namespace evently::http::handlers {

Handler UsersBookingsGet(domain::BookingService& bookings) {
  return [&bookings](Request& req) {
    auto page = ParsePagination(req);
    if (!page.ok()) return Failure(req, page.error());
    std::optional<domain::BookingStatus> status;
    if (auto text = req.Query("status")) {
      status = domain::ParseBookingStatus(*text);
      if (!status) {
        return Failure(req, domain::ValidationError(
                                "status", "must be pending, confirmed, cancelled or expired"));
      }
    }
    auto result = bookings.ListMine(req.User(), status, *page);
    wire::JsonWriter w;
    w.BeginArray();
    for (const auto& booking : result.items) wire::WriteBooking(w, booking);
    w.EndArray();
    auto pagination = PaginationOf(*page, result.total);
    return Success(req, 200, w.Take(), {}, &pagination);
  };
}

}  // namespace evently::http::handlers
