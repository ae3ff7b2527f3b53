#include "http/query.hpp"

#include <charconv>

namespace evently::http {
namespace {

bool ParseBounded(std::string_view text, std::int64_t min, std::int64_t max, std::int64_t& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && out >= min && out <= max;
}

}  // namespace

domain::Result<domain::PageRequest> ParsePagination(const Request& req) {
  domain::PageRequest page;
  std::vector<domain::FieldIssue> issues;
  if (auto value = req.Query("page"); value && !ParseBounded(*value, 1, 1'000'000, page.page)) {
    issues.push_back({"page", "must be an integer of at least 1"});
  }
  if (auto value = req.Query("per_page"); value && !ParseBounded(*value, 1, 100, page.per_page)) {
    issues.push_back({"per_page", "must be an integer from 1 to 100"});
  }
  if (!issues.empty()) return domain::ValidationError(std::move(issues));
  return page;
}

wire::Pagination ToWire(const domain::PageRequest& page, std::int64_t total) {
  return wire::Pagination{page.page, page.per_page, total};
}

}  // namespace evently::http
