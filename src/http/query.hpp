// Query-string parameters shared by list endpoints (CONTRACT.md: page >= 1, per_page 1..100).
#pragma once

#include "domain/error.hpp"
#include "domain/paging.hpp"
#include "http/message.hpp"
#include "wire/envelope.hpp"

namespace evently::http {

// `page` (default 1) and `per_page` (default 20); out of range or not an integer -> 400.
domain::Result<domain::PageRequest> ParsePagination(const Request& req);
// The envelope's pagination block for a page of `total` items.
wire::Pagination PaginationOf(const domain::PageRequest& page, std::int64_t total);

}  // namespace evently::http
