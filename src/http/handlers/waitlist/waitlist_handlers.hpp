// Waitlist endpoints (one factory per endpoint; each file holds one handler).
#pragma once

#include "domain/waitlist/waitlist_service.hpp"
#include "http/router.hpp"

namespace evently::http::handlers {

Handler WaitlistJoinPost(domain::WaitlistService& waitlist);
Handler WaitlistListGet(domain::WaitlistService& waitlist);
Handler WaitlistGet(domain::WaitlistService& waitlist);
Handler WaitlistDelete(domain::WaitlistService& waitlist);

}  // namespace evently::http::handlers
