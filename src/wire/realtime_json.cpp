#include "wire/realtime_json.hpp"

#include "domain/ids.hpp"
#include "wire/body_reader.hpp"
#include "wire/envelope.hpp"
#include "wire/json_writer.hpp"

namespace evently::wire {

domain::Result<ClientMessage> DecodeClientMessage(std::string_view text) {
  auto object = ParseObject(text);
  if (!object.ok()) return object.error();
  std::vector<domain::FieldIssue> issues;
  ObjectReader r(*object, issues);
  ClientMessage out;
  std::string action = r.String("action", Presence::kRequired, {1, 32}).value_or("");
  bool needs_event = true;
  if (action == "subscribe") {
    out.action = ClientMessage::Action::kSubscribe;
  } else if (action == "unsubscribe") {
    out.action = ClientMessage::Action::kUnsubscribe;
  } else if (action == "ping") {
    out.action = ClientMessage::Action::kPing;
    needs_event = false;
  } else if (action == "watch_queue") {
    out.action = ClientMessage::Action::kWatchQueue;
    needs_event = false;
    out.ticket_id = r.String("ticket_id", Presence::kRequired, {1, 64}).value_or("");
    out.access_token = r.String("access_token", Presence::kOptional, {1, 4096}).value_or("");
  } else if (!action.empty()) {
    r.Issue("action", "must be subscribe, unsubscribe, ping or watch_queue");
  }
  if (needs_event) {
    auto id = r.String("event_id", Presence::kRequired, {1, 64});
    if (id && !domain::IsUuid(*id)) r.Issue("event_id", "must be a UUID");
    if (id) out.event_id = domain::NormalizeUuid(*id);
  }
  r.RejectUnknown();
  if (!issues.empty()) return domain::ValidationError(std::move(issues));
  return out;
}

std::string EncodeSnapshot(const domain::SeatAvailability& a) {
  JsonWriter w;
  w.BeginObject().Field("type", "snapshot").Key("data").BeginObject();
  w.Field("event_id", a.event_id).Field("available_seats", a.available_seats);
  w.Key("by_tier").BeginObject();
  for (const auto& [tier, available] : a.by_tier) w.Field(tier, available);
  w.EndObject().Field("seat_version", a.seat_version).EndObject().EndObject();
  return w.Take();
}

namespace {

void WriteUpdate(JsonWriter& w, const std::string& seat_id, const domain::SeatChange& change) {
  w.BeginObject()
      .Field("seat_id", seat_id)
      .Field("status", change.status)
      .Field("available_seats", change.available_seats)
      .EndObject();
}

}  // namespace

std::vector<SeatUpdateFrame> EncodeSeatUpdateFrames(const std::vector<domain::SeatChange>& changes,
                                                    std::size_t max_per_frame) {
  std::size_t total = 0;
  for (const auto& c : changes) total += c.seat_ids.size();
  std::vector<SeatUpdateFrame> frames;
  if (total == 0) return frames;
  if (total == 1) {
    for (const auto& c : changes) {
      if (c.seat_ids.empty()) continue;
      JsonWriter w;
      w.BeginObject().Field("type", "seat_update").Key("data");
      WriteUpdate(w, c.seat_ids.front(), c);
      frames.push_back({w.EndObject().Take(), 1});
    }
    return frames;
  }
  if (max_per_frame == 0) max_per_frame = 1;
  JsonWriter w;
  std::size_t in_frame = 0;
  auto open = [&] {
    w = JsonWriter();
    w.Reserve(std::min(total, max_per_frame) * 110 + 40);
    w.BeginObject().Field("type", "seat_updates").Key("data").BeginArray();
  };
  open();
  for (const auto& c : changes) {
    for (const auto& seat : c.seat_ids) {
      if (in_frame == max_per_frame) {
        frames.push_back({w.EndArray().EndObject().Take(), in_frame});
        open();
        in_frame = 0;
      }
      WriteUpdate(w, seat, c);
      ++in_frame;
    }
  }
  frames.push_back({w.EndArray().EndObject().Take(), in_frame});
  return frames;
}

std::string_view SeatUpdateItems(std::string_view text, std::size_t updates) {
  constexpr std::string_view kOneOpen = R"({"type":"seat_update","data":)";
  if (updates == 1 && text.starts_with(kOneOpen) && text.ends_with('}')) {
    return text.substr(kOneOpen.size(), text.size() - kOneOpen.size() - 1);
  }
  if (updates > 1 && text.starts_with(kSeatUpdatesOpen) && text.ends_with(kSeatUpdatesClose)) {
    return text.substr(kSeatUpdatesOpen.size(),
                       text.size() - kSeatUpdatesOpen.size() - kSeatUpdatesClose.size());
  }
  return {};
}

std::string EncodeErrorFrame(const domain::Error& error) {
  std::string out = R"({"type":"error","error":)";
  out += ErrorObject(error);
  out += '}';
  return out;
}

std::string EncodeUnsubscribed(std::string_view event_id) {
  JsonWriter w;
  w.BeginObject().Field("type", "unsubscribed").Key("data").BeginObject();
  return w.Field("event_id", event_id).EndObject().EndObject().Take();
}

std::string EncodePong() { return R"({"type":"pong"})"; }

}  // namespace evently::wire
