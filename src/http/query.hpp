// Query-string rules shared by every listing (CONTRACT.md: page >= 1, per_page 1..100).
#pragma once

#include "domain/error.hpp"
#include "domain/page.hpp"
#include "http/message.hpp"

namespace evently::http {

domain::Result<domain::PageRequest> ParsePagination(const Request& req);
wire::Pagination ToWire(const domain::PageRequest& page, std::int64_t total);

}  // namespace evently::http
