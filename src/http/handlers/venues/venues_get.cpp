// GET /api/v1/venues/{venue_id}
#include "http/handlers/venues/venues_handlers.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {

Handler VenuesGet(domain::CatalogService& catalog) {
  return [&catalog](Request& req) {
    auto venue = catalog.GetVenue(req.Param("venue_id"));
    if (!venue) return Failure(req, venue.error());
    return Success(req, 200, wire::VenueJson(*venue));
  };
}

}  // namespace evently::http::handlers
