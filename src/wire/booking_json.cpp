#include "wire/booking_json.hpp"

#include "wire/body_reader.hpp"

namespace evently::wire {

namespace json = boost::json;
using domain::FieldIssue;

domain::Result<HoldBody> DecodeHold(std::string_view body) {
  auto object = ParseObject(body);
  if (!object.ok()) return object.error();
  std::vector<FieldIssue> issues;
  ObjectReader r(*object, issues);
  HoldBody out;
  // Ids are checked as UUIDs by the booking rules; here only their JSON types.
  out.event_id = r.String("event_id", Presence::kRequired, {1, 64}).value_or("");
  if (const json::array* seats = r.Array("seat_ids", Presence::kRequired, 0, 1000)) {
    for (std::size_t i = 0; i < seats->size(); ++i) {
      if (!(*seats)[i].is_string()) {
        issues.push_back({"seat_ids[" + std::to_string(i) + "]", "must be a string"});
      } else {
        out.seat_ids.emplace_back((*seats)[i].as_string());
      }
    }
  }
  r.RejectUnknown();
  if (!issues.empty()) return domain::ValidationError(std::move(issues));
  return out;
}

domain::Result<domain::PaymentDetails> DecodeConfirm(std::string_view body) {
  auto object = ParseObject(body);
  if (!object.ok()) return object.error();
  std::vector<FieldIssue> issues;
  ObjectReader r(*object, issues);
  domain::PaymentDetails out;
  out.method = r.String("payment_method", Presence::kRequired, {1, 40}).value_or("");
  if (!out.method.empty() && out.method != "credit_card" && out.method != "debit_card") {
    r.Issue("payment_method", "must be credit_card or debit_card");
  }
  if (const json::object* details = r.Object("payment_details", Presence::kRequired)) {
    ObjectReader d(*details, issues, "payment_details");
    if (d.Has("token")) {
      out.token = d.String("token", Presence::kRequired, {1, 200});
    } else {
      domain::CardDetails card;
      card.number = d.String("number", Presence::kRequired, {1, 40}).value_or("");
      card.exp_month = d.Integer("exp_month", Presence::kRequired, 1, 12).value_or(0);
      card.exp_year = d.Integer("exp_year", Presence::kRequired, 2000, 2100).value_or(0);
      card.cvc = d.String("cvc", Presence::kRequired, {3, 4}).value_or("");
      out.card = card;
    }
    d.RejectUnknown();
  }
  r.RejectUnknown();
  if (!issues.empty()) return domain::ValidationError(std::move(issues));
  return out;
}

std::string PaymentUrl(std::string_view booking_id) {
  return "/api/v1/payments/initiate/" + std::string(booking_id);
}

void WriteBooking(JsonWriter& w, const domain::Booking& b) {
  w.BeginObject()
      .Field("id", b.id)
      .Field("booking_code", b.booking_code)
      .Key("event")
      .BeginObject()
      .Field("id", b.event.id)
      .Field("name", b.event.name)
      .Field("start_time", domain::FormatRfc3339(b.event.start_time))
      .EndObject()
      .Key("seats")
      .BeginArray();
  for (const auto& seat : b.seats) {
    w.BeginObject()
        .Field("seat_id", seat.seat_id)
        .Field("section", seat.section)
        .Field("row", seat.row)
        .Field("seat_number", std::to_string(seat.seat_number))
        .MoneyField("price", seat.price)
        .EndObject();
  }
  w.EndArray()
      .MoneyField("total_amount", b.total_amount)
      .Field("currency", b.currency)
      .Field("status", domain::BookingStatusName(b.status))
      .Field("expires_at", domain::FormatRfc3339(b.expires_at))
      .Field("created_at", domain::FormatRfc3339(b.created_at))
      .OptionalTime("confirmed_at", b.confirmed_at)
      .OptionalTime("cancelled_at", b.cancelled_at);
  w.Key("refund_status");
  b.refund_status ? w.String(domain::RefundStatusName(*b.refund_status)) : w.Null();
  w.MoneyField("refund_amount", b.refund_amount).EndObject();
}

std::string EncodeHeld(const domain::Booking& booking) {
  JsonWriter w;
  w.BeginObject().Key("booking");
  WriteBooking(w, booking);
  w.Field("payment_url", PaymentUrl(booking.id)).EndObject();
  return w.Take();
}

std::string EncodeConfirmed(const domain::Booking& booking) {
  JsonWriter w;
  w.BeginObject().Key("booking");
  WriteBooking(w, booking);
  w.Key("payment")
      .BeginObject()
      .Field("status", "succeeded")
      .MoneyField("amount", booking.total_amount)
      .Field("currency", booking.currency)
      .EndObject()
      .EndObject();
  return w.Take();
}

std::string EncodeCancelled(const domain::Booking& b) {
  JsonWriter w;
  w.BeginObject()
      .Field("booking_id", b.id)
      .Field("status", domain::BookingStatusName(b.status))
      .Field("refund_status", domain::RefundStatusName(
                                  b.refund_status.value_or(domain::RefundStatus::kNotApplicable)))
      .MoneyField("refund_amount", b.refund_amount)
      .EndObject();
  return w.Take();
}

std::string EncodePaymentIntent(const domain::PaymentIntent& intent) {
  JsonWriter w;
  w.BeginObject()
      .Field("booking_id", intent.booking_id)
      .MoneyField("amount", intent.amount)
      .Field("currency", intent.currency)
      .Field("status", intent.status)
      .Field("client_token", intent.client_token)
      .Field("gateway", intent.gateway)
      .Field("expires_at", domain::FormatRfc3339(intent.expires_at))
      .Field("confirm_url", "/api/v1/bookings/" + intent.booking_id + "/confirm")
      .EndObject();
  return w.Take();
}

}  // namespace evently::wire
