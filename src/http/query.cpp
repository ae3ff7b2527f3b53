#include "http/query.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>

namespace evently::http {
namespace {

// A decimal integer and nothing else (no sign, spaces or fraction).
std::optional<std::int64_t> ParseCount(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

void ParseTarget(std::string_view target, Request& req) {
  req.target = std::string(target);
  if (target.find('?') == std::string_view::npos) {
    req.path = req.target;  // no query: the common case needs no URL parser
  } else if (auto parsed = boost::urls::parse_origin_form(target)) {
    req.path = std::string(parsed->encoded_path());
    for (auto param : parsed->params()) {
      req.query.emplace_back(param.key, param.has_value ? param.value : std::string());
    }
  } else {
    req.path = req.target;
  }
}

domain::PageRequest ParsePagination(const Request& req, std::vector<domain::FieldIssue>& issues) {
  domain::PageRequest page;
  if (auto text = req.Query("page")) {
    auto value = ParseCount(*text);
    if (value && *value >= 1) {
      page.page = *value;
    } else {
      issues.push_back({"page", "must be an integer of at least 1"});
    }
  }
  if (auto text = req.Query("per_page")) {
    auto value = ParseCount(*text);
    if (value && *value >= 1 && *value <= domain::kMaxPerPage) {
      page.per_page = *value;
    } else {
      issues.push_back(
          {"per_page", "must be an integer between 1 and " + std::to_string(domain::kMaxPerPage)});
    }
  }
  return page;
}

domain::Result<domain::PageRequest> ParsePagination(const Request& req) {
  std::vector<domain::FieldIssue> issues;
  domain::PageRequest page = ParsePagination(req, issues);
  if (!issues.empty()) return domain::ValidationError(std::move(issues));
  return page;
}

std::optional<domain::TimePoint> ParseDateParam(const Request& req, std::string_view name,
                                                std::vector<domain::FieldIssue>& issues) {
  auto text = req.Query(name);
  if (!text) return std::nullopt;
  auto day = domain::ParseDate(*text);
  if (!day) issues.push_back({std::string(name), "must be a date written YYYY-MM-DD"});
  return day;
}

wire::Pagination PaginationOf(const domain::PageRequest& page, std::int64_t total) {
  return wire::Pagination{page.page, page.per_page, total};
}

}  // namespace evently::http
