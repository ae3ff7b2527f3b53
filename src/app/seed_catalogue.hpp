// The catalogue part of `evently seed-demo`: venues and events, the spec's example included.
#pragma once

#include "domain/catalog/catalog_service.hpp"
#include "domain/time.hpp"

namespace evently::app {

struct CatalogueSeedResult {
  int venues_created = 0;
  int events_created = 0;
};

// Idempotent: demo venues and events have fixed ids and are only created when missing
// (the spec's examples use 550e8400-…-446655440001 for the event and …0002 for the venue).
CatalogueSeedResult SeedDemoCatalogue(domain::CatalogService& catalog, const domain::Clock& clock);

}  // namespace evently::app
