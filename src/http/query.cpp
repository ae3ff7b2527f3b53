#include "http/query.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace evently::http {
namespace {

constexpr std::int64_t kMaxPage = 1'000'000'000'000;

// nullopt when absent; an issue is recorded when present but not an integer in range.
std::optional<std::int64_t> IntegerParam(const Request& req, std::string_view name,
                                         std::int64_t min, std::int64_t max, std::string_view issue,
                                         std::vector<domain::FieldIssue>& issues) {
  std::optional<std::string_view> text = req.Query(name);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size() || value < min || value > max) {
    issues.push_back({std::string(name), std::string(issue)});
    return std::nullopt;
  }
  return value;
}

}  // namespace

domain::Result<domain::PageRequest> ParsePagination(const Request& req) {
  std::vector<domain::FieldIssue> issues;
  // A page past the end is valid (an empty page); the cap only keeps the offset from overflow.
  auto page = IntegerParam(req, "page", 1, kMaxPage, "must be an integer >= 1", issues);
  auto per_page = IntegerParam(req, "per_page", 1, domain::kMaxPerPage,
                               "must be an integer from 1 to 100", issues);
  if (!issues.empty()) return domain::ValidationError(std::move(issues));
  return domain::PageRequest{page.value_or(1), per_page.value_or(domain::kDefaultPerPage)};
}

wire::Pagination PaginationOf(const domain::PageRequest& page, std::int64_t total) {
  return wire::Pagination{page.page, page.per_page, total};
}

}  // namespace evently::http
