// Admin event management: create, update, cancel.
#pragma once

#include "domain/catalog/catalog_service.hpp"
#include "http/router.hpp"

namespace evently::http::handlers {

Handler AdminEventsPost(domain::CatalogService& catalog);
Handler AdminEventsPut(domain::CatalogService& catalog);
Handler AdminEventsCancelPost(domain::CatalogService& catalog);

}  // namespace evently::http::handlers
