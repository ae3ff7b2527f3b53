// GET /api/v1/events/{event_id}/seats?section&price_tier&status — served from the per-node
// seat map cache while events.seat_version is unchanged. A revalidation (If-None-Match) waits on
// the I/O thread for a fresh version read shared with concurrent requests, and its 304 is
// answered there; everything else runs on the worker pool.
#include <memory>
#include <optional>

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

// A seat version read for this request (begun after it arrived), kept between its tries.
struct FreshVersion {
  std::optional<domain::Result<std::int64_t>> version;
};

}  // namespace

Handler EventSeatsGet(domain::CatalogService& catalog, SeatMapCache& seat_maps,
                      SeatVersionReader& versions) {
  return [&catalog, &seat_maps, &versions](Request& req) {
    std::string_view event_id = req.Param("event_id");
    if (!domain::IsUuid(event_id)) return Failure(req, domain::ErrorCode::kEventNotFound);
    auto query = ParseSeatMapQuery(req);
    if (!query) return Failure(req, query.error());
    std::string id = domain::NormalizeUuid(event_id);
    std::string key = SeatMapCache::Key(id, *query);
    auto fresh = std::static_pointer_cast<FreshVersion>(req.io_state);
    if (req.on_io_thread) {
      if (!req.Header("if-none-match")) return Response::Deferred();
      if (!fresh) {
        fresh = std::make_shared<FreshVersion>();
        req.io_state = fresh;
        return Response::After([&versions, id, fresh](const std::function<void()>& resume) {
          versions.Get(id, [fresh, resume](const domain::Result<std::int64_t>& version) {
            fresh->version = version;
            resume();
          });
        });
      }
      if (!*fresh->version) return Failure(req, fresh->version->error());
      auto cached = seat_maps.FindUnchanged(key, **fresh->version, req);
      return cached ? CachedJsonResponse(req, *cached) : Response::Deferred();
    }
    auto version = fresh ? *fresh->version : catalog.SeatVersion(event_id);
    if (!version) return Failure(req, version.error());
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
