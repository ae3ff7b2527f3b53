// GET /api/v1/events?page&per_page&status&venue_id&start_date&end_date&search — from the
// browse cache when it holds a fresh answer for the same query (then on the I/O thread).
#include <algorithm>

#include "http/handlers/events/events_handlers.hpp"
#include "http/query.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {
namespace {

// The parsed query, so that spelling and unknown parameters do not multiply cache entries.
std::string CacheKey(const domain::EventQuery& q, const domain::PageRequest& page) {
  std::string key = "events";
  for (domain::EventStatus status : domain::kAllEventStatuses) {
    bool wanted = std::find(q.statuses.begin(), q.statuses.end(), status) != q.statuses.end();
    key += wanted ? '1' : '0';
  }
  auto part = [&key](const std::optional<std::string>& value) {
    key += '\x1f';
    if (value) key += "=" + *value;
  };
  part(q.venue_id);
  part(q.start_date ? std::optional(domain::FormatDate(*q.start_date)) : std::nullopt);
  part(q.end_date ? std::optional(domain::FormatDate(*q.end_date)) : std::nullopt);
  part(q.search);
  return key + '\x1f' + std::to_string(page.page) + '/' + std::to_string(page.per_page);
}

}  // namespace

Handler EventsList(domain::CatalogService& catalog, BrowseCache& browse) {
  return [&catalog, &browse](Request& req) {
    std::vector<domain::FieldIssue> issues;
    domain::PageRequest page = ParsePagination(req, issues);
    domain::EventQuery query = ParseEventQuery(req, issues);
    if (!issues.empty()) return Failure(req, domain::ValidationError(std::move(issues)));
    return BrowseAnswerFor(
        req, browse, CacheKey(query, page), [&]() -> domain::Result<BrowseAnswer> {
          auto events = catalog.ListEvents(query, page);
          if (!events) return std::move(events).error();
          BrowseAnswer built{wire::EventListJson(events->items, req.now),
                             PaginationOf(page, events->total), std::nullopt};
          for (const domain::EventListing& item : events->items) {
            auto change = domain::NextStatusChange(item.event, req.now);
            if (change && (!built.next_status_change || *change < *built.next_status_change)) {
              built.next_status_change = change;
            }
          }
          return built;
        });
  };
}

}  // namespace evently::http::handlers
