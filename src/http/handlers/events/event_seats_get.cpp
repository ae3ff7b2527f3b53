// GET /api/v1/events/{event_id}/seats?section&price_tier&status — served from the per-node
// seat map cache while events.seat_version is unchanged.
#include "domain/ids.hpp"
#include "http/handlers/events/events_handlers.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {
namespace {

domain::Result<domain::SeatMapQuery> ParseSeatMapQuery(const Request& req) {
  domain::SeatMapQuery query;
  if (auto section = req.Query("section")) query.section = std::string(*section);
  if (auto tier = req.Query("price_tier")) query.price_tier = std::string(*tier);
  if (auto status = req.Query("status"); status && *status != "all") {
    query.status = domain::ParseSeatStatus(*status);
    if (!query.status) {
      return domain::ValidationError("status", "must be available, held, booked or all");
    }
  } else if (status) {
    query.status.reset();
  }
  return query;
}

}  // namespace

Handler EventSeatsGet(domain::CatalogService& catalog, SeatMapCache& seat_maps) {
  return [&catalog, &seat_maps](Request& req) {
    std::string_view event_id = req.Param("event_id");
    if (!domain::IsUuid(event_id)) return Failure(req, domain::ErrorCode::kEventNotFound);
    auto query = ParseSeatMapQuery(req);
    if (!query) return Failure(req, query.error());
    auto version = catalog.SeatVersion(event_id);
    if (!version) return Failure(req, version.error());
    std::string key = SeatMapCache::Key(domain::NormalizeUuid(event_id), *query);
    auto body = seat_maps.Get(key, *version, [&]() -> SeatMapCache::Build::result_type {
      auto map = catalog.GetSeatMap(event_id, *query);
      if (!map) return std::move(map).error();
      return std::make_pair(map->seat_version, wire::SeatMapJson(*map));
    });
    if (!body) return Failure(req, body.error());
    return CachedJsonResponse(req, **body);
  };
}

}  // namespace evently::http::handlers
