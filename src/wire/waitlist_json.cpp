#include "wire/waitlist_json.hpp"

#include "wire/body_reader.hpp"

namespace evently::wire {

domain::Result<JoinBody> DecodeJoin(std::string_view body) {
  auto object = ParseObject(body);
  if (!object.ok()) return object.error();
  std::vector<domain::FieldIssue> issues;
  ObjectReader r(*object, issues);
  JoinBody out;
  out.event_id = r.String("event_id", Presence::kRequired, {1, 64}).value_or("");
  if (const auto* prefs = r.Object("notification_preferences", Presence::kOptional)) {
    ObjectReader p(*prefs, issues, "notification_preferences");
    out.preferences.email = p.Bool("email", Presence::kOptional).value_or(true);
    out.preferences.sms = p.Bool("sms", Presence::kOptional).value_or(false);
    p.RejectUnknown();
  }
  r.RejectUnknown();
  if (!issues.empty()) return domain::ValidationError(std::move(issues));
  return out;
}

void WriteWaitlistEntry(JsonWriter& w, const domain::WaitlistEntry& e) {
  w.BeginObject().Field("waitlist_id", e.id).Key("position");
  if (e.position) {
    w.Int(*e.position);
  } else {
    w.Null();
  }
  w.OptionalString("estimated_wait_time",
                   e.estimated_wait_time ? &*e.estimated_wait_time : nullptr);
  w.Key("event").BeginObject().Field("id", e.event_id).Field("name", e.event_name).EndObject();
  w.Field("status", domain::WaitlistStatusName(e.status));
  w.Key("notification_preferences")
      .BeginObject()
      .Field("email", e.preferences.email)
      .Field("sms", e.preferences.sms)
      .EndObject();
  w.Key("offer");
  if (e.status == domain::WaitlistStatus::kOffered && e.offer_expires_at) {
    w.BeginObject().Field("expires_at", domain::FormatRfc3339(*e.offer_expires_at));
    w.Key("seat_ids").BeginArray();
    for (const auto& id : e.offered_seat_ids) w.String(id);
    w.EndArray().EndObject();
  } else {
    w.Null();
  }
  w.Field("created_at", domain::FormatRfc3339(e.created_at)).EndObject();
}

std::string EncodeWaitlistEntry(const domain::WaitlistEntry& entry) {
  JsonWriter w;
  WriteWaitlistEntry(w, entry);
  return w.Take();
}

}  // namespace evently::wire
