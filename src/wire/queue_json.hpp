// The waiting room on the wire: the ticket, the admin's summary, and the live queue_update frame.
#pragma once

#include <string>

#include "domain/queue/queue_service.hpp"

namespace evently::wire {

// {ticket_id, event_id, status, position, estimated_wait_seconds, joined_at, admitted_at,
// admission_expires_at, admission_token}
std::string EncodeQueueTicket(const domain::QueueTicket& ticket);
// {event_id, settings…, waiting, admitted, expired, left, sold_out, admitted_last_minute}
std::string EncodeQueueSummary(const domain::QueueSummary& summary);
// {"type":"queue_update","data":{ticket_id, status, position, estimated_wait_seconds}}
std::string EncodeQueueUpdate(const domain::QueueTicket& ticket);

}  // namespace evently::wire
