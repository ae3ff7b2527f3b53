// WebSocket messages of the live seat map: client actions in, snapshot / updates / errors out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "domain/booking/booking.hpp"
#include "domain/error.hpp"
#include "domain/ports/seat_availability.hpp"

namespace evently::wire {

struct ClientMessage {
  enum class Action { kSubscribe, kUnsubscribe, kPing, kWatchQueue };
  Action action = Action::kPing;
  std::string event_id;      // subscribe / unsubscribe: a lower-case UUID
  std::string ticket_id;     // watch_queue: as sent (an unknown one is answered as such)
  std::string access_token;  // watch_queue, optional: then the ticket must be this caller's
};

// {"action":"subscribe"|"unsubscribe","event_id":"…"}, {"action":"ping"} or
// {"action":"watch_queue","ticket_id":"…"[,"access_token":"…"]}; strict, like bodies.
domain::Result<ClientMessage> DecodeClientMessage(std::string_view text);

// {"type":"snapshot","data":{"event_id","available_seats","by_tier":{tier: available},
// "seat_version"}}
std::string EncodeSnapshot(const domain::SeatAvailability& availability);
struct SeatUpdateFrame {
  std::string text;
  std::size_t updates = 0;  // seat updates in it
};
// One {"type":"seat_update","data":{seat_id,status,available_seats}} for a single seat, else
// {"type":"seat_updates","data":[…]} frames of at most `max_per_frame` updates, in order.
std::vector<SeatUpdateFrame> EncodeSeatUpdateFrames(const std::vector<domain::SeatChange>& changes,
                                                    std::size_t max_per_frame);

// Frames of one event that waited for the same client are sent as one seat_updates message
// written from their pieces (no copy): kSeatUpdatesOpen, the updates of each frame joined with
// ",", kSeatUpdatesClose.
inline constexpr std::string_view kSeatUpdatesOpen = R"({"type":"seat_updates","data":[)";
inline constexpr std::string_view kSeatUpdatesClose = "]}";
// The update objects of a frame from EncodeSeatUpdateFrames (its text and number of updates),
// comma-separated; empty if it is not one.
std::string_view SeatUpdateItems(std::string_view frame, std::size_t updates);
// {"type":"error","error":{code,message,details}}
std::string EncodeErrorFrame(const domain::Error& error);
std::string EncodeUnsubscribed(std::string_view event_id);
std::string EncodePong();

}  // namespace evently::wire
