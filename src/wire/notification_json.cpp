#include "wire/notification_json.hpp"

namespace evently::wire {

void WriteNotification(JsonWriter& w, const domain::Notification& n) {
  w.BeginObject()
      .Field("id", n.id)
      .Field("kind", n.kind)
      .Field("title", n.title)
      .Field("body", n.body)
      .OptionalString("event_id", n.event_id ? &*n.event_id : nullptr)
      .Field("read", n.read_at.has_value());
  w.OptionalTime("read_at", n.read_at)
      .Field("created_at", domain::FormatRfc3339(n.created_at))
      .EndObject();
}

std::string EncodeNotification(const domain::Notification& n) {
  JsonWriter w;
  WriteNotification(w, n);
  return w.Take();
}

}  // namespace evently::wire
