// Venues: admin create and update, public list and detail.
#pragma once

#include "domain/catalog/catalog_service.hpp"
#include "http/router.hpp"

namespace evently::http::handlers {

Handler VenuesPost(domain::CatalogService& catalog);
Handler VenuesPut(domain::CatalogService& catalog);
Handler VenuesList(domain::CatalogService& catalog);
Handler VenuesGet(domain::CatalogService& catalog);

}  // namespace evently::http::handlers
