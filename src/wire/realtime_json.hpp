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
  enum class Action { kSubscribe, kUnsubscribe, kPing };
  Action action = Action::kPing;
  std::string event_id;  // subscribe / unsubscribe: a lower-case UUID
};

// {"action":"subscribe"|"unsubscribe","event_id":"…"} or {"action":"ping"}; strict, like bodies.
domain::Result<ClientMessage> DecodeClientMessage(std::string_view text);

// {"type":"snapshot","data":{"event_id","available_seats","by_tier":{tier: available},
// "seat_version"}}
std::string EncodeSnapshot(const domain::SeatAvailability& availability);
// One {"type":"seat_update","data":{seat_id,status,available_seats}} for a single seat, else
// {"type":"seat_updates","data":[…]} frames of at most `max_per_frame` updates, in order.
std::vector<std::string> EncodeSeatUpdateFrames(const std::vector<domain::SeatChange>& changes,
                                                std::size_t max_per_frame);
// {"type":"error","error":{code,message,details}}
std::string EncodeErrorFrame(const domain::Error& error);
std::string EncodeUnsubscribed(std::string_view event_id);
std::string EncodePong();

}  // namespace evently::wire
