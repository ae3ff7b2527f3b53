#include "wire/analytics_json.hpp"

#include "wire/json_writer.hpp"

namespace evently::wire {
namespace {

void WriteRange(JsonWriter& w, const domain::DayRange& range) {
  w.Key("range")
      .BeginObject()
      .Field("start_date", range.first_day)
      .Field("end_date", range.last_day)
      .EndObject();
}

// The range figures beyond the spec's summary, shared by both answers.
void WriteRates(JsonWriter& w, const domain::RangeFigures& f) {
  w.Key("cancellation_rate").Double(f.cancellation_rate);
  w.Field("expired_holds", f.expired_holds);
  w.Key("conversion_rate").Double(f.conversion_rate);
  w.Key("booking_trends").BeginArray();
  for (const auto& day : f.trends) {
    w.BeginObject()
        .Field("date", day.day)
        .Field("bookings", day.totals.confirmations)
        .MoneyField("revenue", day.totals.revenue - day.totals.refunds)
        .EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string EncodeDashboard(const domain::Dashboard& d) {
  JsonWriter w;
  w.BeginObject().Key("summary").BeginObject();
  w.Field("total_events", d.total_events)
      .Field("total_bookings", d.figures.bookings)
      .MoneyField("total_revenue", d.figures.revenue)
      .Key("average_capacity_utilization")
      .Double(d.average_capacity_utilization)
      .EndObject();
  w.Key("top_events").BeginArray();
  for (const auto& e : d.top_events) {
    w.BeginObject()
        .Field("event_id", e.event_id)
        .Field("name", e.name)
        .Field("bookings", e.bookings)
        .MoneyField("revenue", e.revenue)
        .Key("utilization")
        .Double(e.utilization)
        .EndObject();
  }
  w.EndArray();
  WriteRates(w, d.figures);
  w.Key("revenue_by_category").BeginObject();
  for (const auto& tier : d.revenue_by_category) {
    w.MoneyField(tier.tier, tier.revenue - tier.refunds);
  }
  w.EndObject();
  WriteRange(w, d.range);
  w.EndObject();
  return w.Take();
}

std::string EncodeEventAnalytics(const domain::EventAnalytics& a) {
  std::int64_t sold = 0, available = 0;
  for (const auto& t : a.tiers) {
    sold += t.state.sold;
    available += t.state.available;
  }
  JsonWriter w;
  w.BeginObject()
      .Field("event_id", a.state.event_id)
      .Field("name", a.state.name)
      .Field("currency", a.state.currency)
      .Field("capacity", a.state.capacity)
      .Field("seats_sold", sold)
      .Field("seats_held", a.seats_held)
      .Field("seats_available", available)
      .Field("waitlist_length", a.state.waitlist_waiting)
      .Key("utilization")
      .Double(a.utilization)
      .Field("bookings", a.figures.bookings)
      .MoneyField("revenue", a.figures.revenue);
  WriteRates(w, a.figures);
  w.Key("tiers").BeginArray();
  for (const auto& t : a.tiers) {
    w.BeginObject()
        .Field("tier", t.state.tier)
        .MoneyField("price", t.state.price)
        .Field("seats", t.state.seats)
        .Field("seats_sold", t.state.sold)
        .Field("seats_available", t.state.available)
        .Field("sold_in_range", t.activity.seats_sold)
        .Field("refunded_in_range", t.activity.seats_refunded)
        .MoneyField("revenue", t.activity.revenue - t.activity.refunds)
        .EndObject();
  }
  w.EndArray();
  WriteRange(w, a.range);
  w.EndObject();
  return w.Take();
}

}  // namespace evently::wire
