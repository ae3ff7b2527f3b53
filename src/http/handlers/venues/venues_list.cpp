// GET /api/v1/venues
#include "http/handlers/venues/venues_handlers.hpp"
#include "http/query.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {

Handler VenuesList(domain::CatalogService& catalog) {
  return [&catalog](Request& req) {
    auto page = ParsePagination(req);
    if (!page) return Failure(req, page.error());
    domain::Page<domain::Venue> venues = catalog.ListVenues(*page);
    wire::Pagination pagination = PaginationOf(*page, venues.total);
    return Success(req, 200, wire::VenueListJson(venues.items), {}, &pagination);
  };
}

}  // namespace evently::http::handlers
