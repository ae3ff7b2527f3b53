// In-app notifications on the wire.
#pragma once

#include <string>

#include "domain/notifications/notification.hpp"
#include "wire/json_writer.hpp"

namespace evently::wire {

// {id, kind, title, body, event_id, read, read_at, created_at}
void WriteNotification(JsonWriter& w, const domain::Notification& n);
std::string EncodeNotification(const domain::Notification& n);

}  // namespace evently::wire
