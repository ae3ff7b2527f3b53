// The waiting room's endpoints (CONTRACT.md, On-sale): join, look, leave, the admin's counts.
#pragma once

#include "domain/catalog/catalog_service.hpp"
#include "domain/queue/queue_service.hpp"
#include "http/router.hpp"

namespace evently::http::handlers {

Handler QueueJoinPost(domain::QueueService& queue);
Handler QueueGet(domain::QueueService& queue);
Handler QueueDelete(domain::QueueService& queue);
Handler AdminQueueGet(domain::QueueService& queue, domain::CatalogService& catalog);

}  // namespace evently::http::handlers
