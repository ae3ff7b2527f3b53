// The waitlist on the wire: the join body and the entry object (the spec's join answer plus
// status, preferences and the current offer).
#pragma once

#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/waitlist/waitlist.hpp"
#include "wire/json_writer.hpp"

namespace evently::wire {

struct JoinBody {
  std::string event_id;
  domain::NotificationPreferences preferences;  // email true, sms false unless given
};

domain::Result<JoinBody> DecodeJoin(std::string_view body);
void WriteWaitlistEntry(JsonWriter& w, const domain::WaitlistEntry& entry);
std::string EncodeWaitlistEntry(const domain::WaitlistEntry& entry);

}  // namespace evently::wire
