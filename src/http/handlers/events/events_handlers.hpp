// Public event browsing: list, detail, seat map.
#pragma once

#include "domain/catalog/catalog_service.hpp"
#include "http/browse_cache.hpp"
#include "http/router.hpp"
#include "http/seat_map_cache.hpp"
#include "http/seat_versions.hpp"

namespace evently::http::handlers {

Handler EventsList(domain::CatalogService& catalog, BrowseCache& browse);
Handler EventsGet(domain::CatalogService& catalog, BrowseCache& browse);
Handler EventSeatsGet(domain::CatalogService& catalog, SeatMapCache& seat_maps,
                      SeatVersionReader& versions);

}  // namespace evently::http::handlers
