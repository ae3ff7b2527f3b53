// Request targets and query strings: the path and parameters, pagination, dates.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "domain/catalog/models.hpp"
#include "domain/error.hpp"
#include "domain/paging.hpp"
#include "domain/time.hpp"
#include "http/message.hpp"

namespace evently::http {

// Sets `req.target`, its path as sent (the router decodes it segment by segment) and its
// percent-decoded query parameters. A target not in origin form is all path (no route has it).
void ParseTarget(std::string_view target, Request& req);

// `page` >= 1 (default 1), `per_page` 1..100 (default 20); anything else is a 400.
domain::Result<domain::PageRequest> ParsePagination(const Request& req);
// The same, adding its problems to `issues` (for endpoints that report every bad parameter).
domain::PageRequest ParsePagination(const Request& req, std::vector<domain::FieldIssue>& issues);

// An optional YYYY-MM-DD parameter (midnight UTC of that day).
std::optional<domain::TimePoint> ParseDateParam(const Request& req, std::string_view name,
                                                std::vector<domain::FieldIssue>& issues);

// GET /events' filters: `status` (one value or a comma list), `venue_id`, `start_date`,
// `end_date`, `search`.
domain::EventQuery ParseEventQuery(const Request& req, std::vector<domain::FieldIssue>& issues);

// wire::Pagination of a page answered for `page`.
wire::Pagination PaginationOf(const domain::PageRequest& page, std::int64_t total);

}  // namespace evently::http
