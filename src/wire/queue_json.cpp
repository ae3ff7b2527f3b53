#include "wire/queue_json.hpp"

#include "wire/json_writer.hpp"

namespace evently::wire {
namespace {

void OptionalInt(JsonWriter& w, std::string_view key, const std::optional<std::int64_t>& value) {
  w.Key(key);
  if (value) {
    w.Int(*value);
  } else {
    w.Null();
  }
}

// The fields a poll and a live update share.
void WritePlace(JsonWriter& w, const domain::QueueTicket& t) {
  w.Field("ticket_id", t.id).Field("status", domain::TicketStatusName(t.status));
  OptionalInt(w, "position", t.position);
  OptionalInt(w, "estimated_wait_seconds", t.estimated_wait_seconds);
}

}  // namespace

std::string EncodeQueueTicket(const domain::QueueTicket& t) {
  JsonWriter w;
  w.BeginObject();
  WritePlace(w, t);
  w.Field("event_id", t.event_id)
      .OptionalTime("joined_at", t.joined_at)
      .OptionalTime("admitted_at", t.admitted_at)
      .OptionalTime("admission_expires_at", t.admission_expires_at);
  if (t.admission_token) w.Field("admission_token", *t.admission_token);
  w.EndObject();
  return w.Take();
}

std::string EncodeQueueSummary(const domain::QueueSummary& s) {
  JsonWriter w;
  w.BeginObject()
      .Field("event_id", s.event_id)
      .Field("enabled", s.settings.enabled)
      .Field("admit_per_minute", s.settings.admit_per_minute)
      .Field("window_seconds", s.settings.window_seconds)
      .Field("opens_before_seconds", s.settings.opens_before_seconds)
      .Field("waiting", s.counts.waiting)
      .Field("admitted", s.counts.admitted)
      .Field("expired", s.counts.expired)
      .Field("left", s.counts.left)
      .Field("sold_out", s.counts.sold_out)
      .Field("admitted_last_minute", s.counts.admitted_last_minute)
      .EndObject();
  return w.Take();
}

std::string EncodeQueueUpdate(const domain::QueueTicket& t) {
  JsonWriter w;
  w.BeginObject().Field("type", "queue_update").Key("data").BeginObject();
  WritePlace(w, t);
  w.EndObject().EndObject();
  return w.Take();
}

}  // namespace evently::wire
