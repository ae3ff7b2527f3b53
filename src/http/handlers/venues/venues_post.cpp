// POST /api/v1/admin/venues
#include "http/handlers/venues/venues_handlers.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {

Handler VenuesPost(domain::CatalogService& catalog) {
  return [&catalog](Request& req) {
    auto draft = wire::DecodeNewVenue(req.body);
    if (!draft) return Failure(req, draft.error());
    auto venue = catalog.CreateVenue(std::move(draft).value());
    if (!venue) return Failure(req, venue.error());
    Response res = Success(req, 201, wire::VenueJson(*venue), "Venue created");
    res.SetHeader("Location", "/api/v1/venues/" + venue->id);
    return res;
  };
}

}  // namespace evently::http::handlers
