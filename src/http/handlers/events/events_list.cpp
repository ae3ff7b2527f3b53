// GET /api/v1/events?page&per_page&status&venue_id&start_date&end_date&search
#include "http/handlers/events/events_handlers.hpp"
#include "http/query.hpp"
#include "wire/catalog_json.hpp"

namespace evently::http::handlers {
namespace {

// `status`: one value or a comma list.
std::vector<domain::EventStatus> ParseStatuses(std::string_view text,
                                               std::vector<domain::FieldIssue>& issues) {
  std::vector<domain::EventStatus> statuses;
  while (true) {
    std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (auto status = domain::ParseEventStatus(item)) {
      statuses.push_back(*status);
    } else {
      issues.push_back({"status",
                        "must be upcoming, ongoing, completed or cancelled, or a comma "
                        "list of them; got '" +
                            std::string(item) + "'"});
      return {};
    }
    if (comma == std::string_view::npos) return statuses;
    text.remove_prefix(comma + 1);
  }
}

}  // namespace

Handler EventsList(domain::CatalogService& catalog) {
  return [&catalog](Request& req) {
    std::vector<domain::FieldIssue> issues;
    domain::PageRequest page = ParsePagination(req, issues);
    domain::EventQuery query;
    if (auto status = req.Query("status")) query.statuses = ParseStatuses(*status, issues);
    if (auto venue = req.Query("venue_id")) query.venue_id = std::string(*venue);
    query.start_date = ParseDateParam(req, "start_date", issues);
    query.end_date = ParseDateParam(req, "end_date", issues);
    if (auto search = req.Query("search")) query.search = std::string(*search);
    if (!issues.empty()) return Failure(req, domain::ValidationError(std::move(issues)));
    auto events = catalog.ListEvents(query, page);
    if (!events) return Failure(req, events.error());
    wire::Pagination pagination = PaginationOf(page, events->total);
    return Success(req, 200, wire::EventListJson(events->items, req.now), {}, &pagination);
  };
}

}  // namespace evently::http::handlers
