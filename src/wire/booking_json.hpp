// Bookings on the wire: the spec's booking object, and the hold / confirm request bodies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/booking/booking.hpp"
#include "domain/booking/booking_service.hpp"
#include "domain/error.hpp"
#include "domain/ports/payments.hpp"
#include "wire/json_writer.hpp"

namespace evently::wire {

struct HoldBody {
  std::string event_id;
  std::vector<std::string> seat_ids;
};

domain::Result<HoldBody> DecodeHold(std::string_view body);
domain::Result<domain::PaymentDetails> DecodeConfirm(std::string_view body);

void WriteBooking(JsonWriter& w, const domain::Booking& booking);
std::string PaymentUrl(std::string_view booking_id);
std::string EncodeHeld(const domain::Booking& booking);
std::string EncodeConfirmed(const domain::Booking& booking);
std::string EncodeCancelled(const domain::Booking& booking);
std::string EncodePaymentIntent(const domain::PaymentIntent& intent);

}  // namespace evently::wire
