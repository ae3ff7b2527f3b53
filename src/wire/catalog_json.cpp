#include "wire/catalog_json.hpp"

#include <boost/json/serialize.hpp>

#include "domain/catalog/catalog_service.hpp"
#include "domain/catalog/layout.hpp"
#include "wire/body_reader.hpp"
#include "wire/json_writer.hpp"

namespace evently::wire {
namespace {

namespace json = boost::json;
using domain::FieldIssue;
using domain::Result;

constexpr std::string_view kInstantIssue =
    "must be an RFC 3339 date-time, e.g. 2030-07-15T18:00:00Z";

domain::VenueChanges ReadVenueFields(ObjectReader& r, Presence presence) {
  domain::VenueChanges v;
  v.name = r.String("name", presence, {1, 200, true});
  v.address = r.String("address", Presence::kOptional, {0, 500, true});
  v.city = r.String("city", Presence::kOptional, {0, 100, true});
  v.state = r.String("state", Presence::kOptional, {0, 100, true});
  v.country = r.String("country", Presence::kOptional, {0, 100, true});
  v.postal_code = r.String("postal_code", Presence::kOptional, {0, 20, true});
  v.capacity = r.Integer("capacity", presence, 1, domain::kMaxVenueCapacity);
  if (const json::object* layout = r.Object("layout_config", Presence::kOptional)) {
    v.layout_config = json::serialize(*layout);
  }
  return v;
}

std::optional<domain::TimePoint> ReadInstant(ObjectReader& r, std::string_view key,
                                             Presence presence) {
  std::optional<std::string> text = r.String(key, presence, {1, 64});
  if (!text) return std::nullopt;
  std::optional<domain::TimePoint> instant = domain::ParseRfc3339(*text);
  if (!instant) r.Issue(key, std::string(kInstantIssue));
  return instant;
}

std::optional<domain::SectionLayout> ReadSection(const json::value& value, const std::string& path,
                                                 std::vector<FieldIssue>& issues) {
  if (!value.is_object()) {
    issues.push_back({path, "must be an object"});
    return std::nullopt;
  }
  ObjectReader r(value.as_object(), issues, path);
  domain::SectionLayout section;
  section.name =
      r.String("name", Presence::kRequired, {1, domain::kMaxSectionNameChars, true}).value_or("");
  const json::array* rows = r.Array("rows", Presence::kRequired, 1, domain::kMaxRowsPerSection);
  section.seats_per_row =
      r.Integer("seats_per_row", Presence::kRequired, 1, domain::kMaxSeatsPerRow).value_or(0);
  section.price = r.Money("price", Presence::kRequired, domain::kMaxTicketPrice).value_or(0);
  r.RejectUnknown();
  if (!rows) return std::nullopt;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto label = CheckString((*rows)[i], r.PathOf("rows") + "[" + std::to_string(i) + "]",
                             {1, domain::kMaxRowLabelChars, true}, issues);
    if (label) section.rows.push_back(std::move(*label));
  }
  return section;
}

std::optional<std::vector<domain::SectionLayout>> ReadLayout(ObjectReader& r, Presence presence,
                                                             std::vector<FieldIssue>& issues) {
  const json::object* config = r.Object("seat_configuration", presence);
  if (!config) return std::nullopt;
  ObjectReader cr(*config, issues, r.PathOf("seat_configuration"));
  const json::array* sections = cr.Array("sections", Presence::kRequired, 1, domain::kMaxSections);
  cr.RejectUnknown();
  if (!sections) return std::nullopt;
  std::vector<domain::SectionLayout> layout;
  for (std::size_t i = 0; i < sections->size(); ++i) {
    auto section =
        ReadSection((*sections)[i], cr.PathOf("sections") + "[" + std::to_string(i) + "]", issues);
    if (section) layout.push_back(std::move(*section));
  }
  return layout;
}

// A term of sale a PUT may set or clear: absent, null (cleared) or a value.
std::optional<std::optional<domain::TimePoint>> ReadInstantChange(ObjectReader& r,
                                                                  std::string_view key) {
  if (!r.Has(key)) return std::nullopt;
  return ReadInstant(r, key, Presence::kOptional);
}

std::optional<std::optional<std::int64_t>> ReadLimitChange(ObjectReader& r, std::string_view key) {
  if (!r.Has(key)) return std::nullopt;
  return r.Integer(key, Presence::kOptional, 1, domain::kMaxTicketsPerUserLimit);
}

// The waiting room's settings (CONTRACT.md, On-sale): absent or null is none.
std::optional<domain::QueueSettings> ReadQueue(ObjectReader& r, std::vector<FieldIssue>& issues) {
  const json::object* object = r.Object("queue", Presence::kOptional);
  if (!object) return std::nullopt;
  ObjectReader qr(*object, issues, r.PathOf("queue"));
  domain::QueueSettings queue;
  auto enabled = qr.Bool("enabled", Presence::kRequired);
  auto rate = qr.Integer("admit_per_minute", Presence::kRequired, 1, domain::kMaxAdmitPerMinute);
  auto window = qr.Integer("window_seconds", Presence::kOptional, domain::kMinWindowSeconds,
                           domain::kMaxWindowSeconds);
  auto opens =
      qr.Integer("opens_before_seconds", Presence::kOptional, 0, domain::kMaxOpensBeforeSeconds);
  qr.RejectUnknown();
  if (!enabled || !rate) return std::nullopt;
  queue.enabled = *enabled;
  queue.admit_per_minute = *rate;
  queue.window_seconds = window.value_or(domain::kDefaultWindowSeconds);
  queue.opens_before_seconds = opens.value_or(domain::kDefaultOpensBeforeSeconds);
  return queue;
}

std::optional<std::optional<domain::QueueSettings>> ReadQueueChange(
    ObjectReader& r, std::vector<FieldIssue>& issues) {
  if (!r.Has("queue")) return std::nullopt;
  return ReadQueue(r, issues);
}

template <typename T>
Result<T> Finish(std::vector<FieldIssue>& issues, T value) {
  if (!issues.empty()) return domain::ValidationError(std::move(issues));
  return value;
}

void WriteVenue(JsonWriter& w, const domain::Venue& v) {
  w.BeginObject()
      .Field("id", v.id)
      .Field("name", v.name)
      .Field("address", v.address)
      .Field("city", v.city)
      .Field("state", v.state)
      .Field("country", v.country)
      .Field("postal_code", v.postal_code)
      .Field("capacity", v.capacity)
      .Key("layout_config")
      .Raw(v.layout_config)
      .EndObject();
}

// Fields every event rendering shares, in the spec's order up to `status`.
void WriteEventHead(JsonWriter& w, const domain::Event& e) {
  w.Field("id", e.id).Field("name", e.name).Field("description", e.description);
}

void WriteEventTimes(JsonWriter& w, const domain::Event& e, std::int64_t available,
                     domain::TimePoint now) {
  w.Field("start_time", domain::FormatRfc3339(e.start_time))
      .Field("end_time", domain::FormatRfc3339(e.end_time))
      .Field("capacity", e.capacity)
      .Field("available_seats", available)
      .Field("status", domain::StatusName(domain::StatusAt(e, now)));
}

void WriteSaleTerms(JsonWriter& w, const domain::Event& e) {
  w.OptionalTime("sale_starts_at", e.sale_starts_at).Key("max_tickets_per_user");
  if (e.max_tickets_per_user) {
    w.Int(*e.max_tickets_per_user);
  } else {
    w.Null();
  }
  w.Key("queue");
  if (!e.queue) {
    w.Null();
    return;
  }
  w.BeginObject()
      .Field("enabled", e.queue->enabled)
      .Field("admit_per_minute", e.queue->admit_per_minute)
      .Field("window_seconds", e.queue->window_seconds)
      .Field("opens_before_seconds", e.queue->opens_before_seconds)
      .EndObject();
}

}  // namespace

Result<domain::Venue> DecodeNewVenue(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::move(object).error();
  std::vector<FieldIssue> issues;
  ObjectReader r(*object, issues);
  domain::VenueChanges fields = ReadVenueFields(r, Presence::kRequired);
  r.RejectUnknown();
  domain::Venue venue;
  venue.name = fields.name.value_or("");
  venue.address = fields.address.value_or("");
  venue.city = fields.city.value_or("");
  venue.state = fields.state.value_or("");
  venue.country = fields.country.value_or("");
  venue.postal_code = fields.postal_code.value_or("");
  venue.capacity = fields.capacity.value_or(0);
  venue.layout_config = fields.layout_config.value_or("{}");
  return Finish(issues, std::move(venue));
}

Result<domain::VenueChanges> DecodeVenueChanges(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::move(object).error();
  std::vector<FieldIssue> issues;
  if (object->empty()) issues.push_back({"body", "must contain at least one field to change"});
  ObjectReader r(*object, issues);
  domain::VenueChanges changes = ReadVenueFields(r, Presence::kOptional);
  r.RejectUnknown();
  return Finish(issues, std::move(changes));
}

Result<domain::NewEvent> DecodeNewEvent(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::move(object).error();
  std::vector<FieldIssue> issues;
  ObjectReader r(*object, issues);
  domain::NewEvent event;
  event.name = r.String("name", Presence::kRequired, {1, 200, true}).value_or("");
  event.description = r.String("description", Presence::kOptional, {0, 5000}).value_or("");
  event.venue_id = r.String("venue_id", Presence::kRequired, {1, 64, true}).value_or("");
  event.start_time =
      ReadInstant(r, "start_time", Presence::kRequired).value_or(domain::TimePoint{});
  event.end_time = ReadInstant(r, "end_time", Presence::kRequired).value_or(domain::TimePoint{});
  event.capacity = r.Integer("capacity", Presence::kOptional, 1, domain::kMaxSeatsPerEvent);
  event.currency = r.String("currency", Presence::kOptional, {1, 16}).value_or("USD");
  event.sections = ReadLayout(r, Presence::kRequired, issues).value_or(decltype(event.sections){});
  event.sale_starts_at = ReadInstant(r, "sale_starts_at", Presence::kOptional);
  event.max_tickets_per_user =
      r.Integer("max_tickets_per_user", Presence::kOptional, 1, domain::kMaxTicketsPerUserLimit);
  event.queue = ReadQueue(r, issues);
  r.RejectUnknown();
  return Finish(issues, std::move(event));
}

Result<domain::EventChanges> DecodeEventChanges(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::move(object).error();
  std::vector<FieldIssue> issues;
  if (object->empty()) issues.push_back({"body", "must contain at least one field to change"});
  ObjectReader r(*object, issues);
  domain::EventChanges changes;
  changes.name = r.String("name", Presence::kOptional, {1, 200, true});
  changes.description = r.String("description", Presence::kOptional, {0, 5000});
  changes.start_time = ReadInstant(r, "start_time", Presence::kOptional);
  changes.end_time = ReadInstant(r, "end_time", Presence::kOptional);
  changes.capacity = r.Integer("capacity", Presence::kOptional, 1, domain::kMaxSeatsPerEvent);
  if (const json::object* prices = r.Object("prices", Presence::kOptional)) {
    ObjectReader pr(*prices, issues, "prices");
    for (const auto& entry : *prices) {
      std::string tier(entry.key());
      if (auto price = pr.Money(tier, Presence::kRequired, domain::kMaxTicketPrice)) {
        changes.prices.emplace_back(std::move(tier), *price);
      }
    }
  }
  changes.layout = ReadLayout(r, Presence::kOptional, issues);
  changes.sale_starts_at = ReadInstantChange(r, "sale_starts_at");
  changes.max_tickets_per_user = ReadLimitChange(r, "max_tickets_per_user");
  changes.queue = ReadQueueChange(r, issues);
  r.RejectUnknown();
  return Finish(issues, std::move(changes));
}

std::string VenueJson(const domain::Venue& venue) {
  JsonWriter w;
  WriteVenue(w, venue);
  return w.Take();
}

std::string VenueListJson(const std::vector<domain::Venue>& venues) {
  JsonWriter w;
  w.BeginArray();
  for (const domain::Venue& v : venues) WriteVenue(w, v);
  w.EndArray();
  return w.Take();
}

std::string EventDetailsJson(const domain::EventDetails& details, domain::TimePoint now) {
  const domain::Event& e = details.event;
  JsonWriter w;
  w.BeginObject();
  WriteEventHead(w, e);
  w.Key("venue");
  WriteVenue(w, details.venue);
  WriteEventTimes(w, e, domain::AvailableSeats(e), now);
  WriteSaleTerms(w, e);
  w.Key("price_tiers").BeginArray();
  for (const domain::Section& s : e.sections) {
    w.BeginObject()
        .Field("tier", s.layout.name)
        .MoneyField("price", s.layout.price)
        .Field("available", s.available)
        .EndObject();
  }
  w.EndArray()
      .Field("currency", e.currency)
      .Field("created_at", domain::FormatRfc3339(e.created_at))
      .EndObject();
  return w.Take();
}

std::string EventListJson(const std::vector<domain::EventListing>& events, domain::TimePoint now) {
  JsonWriter w;
  w.BeginArray();
  for (const domain::EventListing& item : events) {
    w.BeginObject();
    WriteEventHead(w, item.event);
    w.Key("venue")
        .BeginObject()
        .Field("id", item.venue.id)
        .Field("name", item.venue.name)
        .Field("city", item.venue.city)
        .Field("capacity", item.venue.capacity)
        .EndObject();
    WriteEventTimes(w, item.event, item.available_seats, now);
    WriteSaleTerms(w, item.event);
    w.MoneyField("min_price", item.prices.min)
        .MoneyField("max_price", item.prices.max)
        .Field("currency", item.event.currency)
        .EndObject();
  }
  w.EndArray();
  return w.Take();
}

std::string SeatMapJson(const domain::SeatMap& map) {
  std::size_t seats = 0;
  for (const auto& s : map.sections) {
    for (const auto& row : s.rows) seats += row.seats.size();
  }
  JsonWriter w;
  w.Reserve(256 + seats * 110);
  w.BeginObject().Field("event_id", map.event_id).Key("sections").BeginArray();
  for (const domain::SeatMapSection& section : map.sections) {
    std::string price = FormatMoney(section.price);
    w.BeginObject().Field("name", section.name).Key("rows").BeginArray();
    for (const domain::SeatMapRow& row : section.rows) {
      w.BeginObject().Field("row", row.label).Key("seats").BeginArray();
      for (const domain::SeatMapSeat& seat : row.seats) {
        w.BeginObject()
            .Field("id", seat.id)
            .Field("seat_number", std::to_string(seat.number))
            .Key("price")
            .Raw(price)
            .Field("status", domain::SeatStatusName(seat.status))
            .EndObject();
      }
      w.EndArray().EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().Key("summary").BeginObject().Field("total_available", map.total_available);
  w.Key("by_tier").BeginObject();
  for (const auto& [tier, available] : map.available_by_tier) w.Field(tier, available);
  w.EndObject().EndObject().EndObject();
  return w.Take();
}

}  // namespace evently::wire
