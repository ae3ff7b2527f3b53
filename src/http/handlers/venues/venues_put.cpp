// PUT /api/v1/admin/venues/{venue_id}
#include "http/handlers/venues/venues_handlers.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {

Handler VenuesPut(domain::CatalogService& catalog) {
  return [&catalog](Request& req) {
    auto changes = wire::DecodeVenueChanges(req.body);
    if (!changes) return Failure(req, changes.error());
    auto venue = catalog.UpdateVenue(req.Param("venue_id"), *changes);
    if (!venue) return Failure(req, venue.error());
    return Success(req, 200, wire::VenueJson(*venue), "Venue updated");
  };
}

}  // namespace evently::http::handlers
