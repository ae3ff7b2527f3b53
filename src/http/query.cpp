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

domain::EventQuery ParseEventQuery(const Request& req, std::vector<domain::FieldIssue>& issues) {
  domain::EventQuery query;
  if (auto status = req.Query("status")) query.statuses = ParseStatuses(*status, issues);
  if (auto venue = req.Query("venue_id")) query.venue_id = std::string(*venue);
  query.start_date = ParseDateParam(req, "start_date", issues);
  query.end_date = ParseDateParam(req, "end_date", issues);
  if (auto search = req.Query("search")) query.search = std::string(*search);
  return query;
}

wire::Pagination PaginationOf(const domain::PageRequest& page, std::int64_t total) {
  return wire::Pagination{page.page, page.per_page, total};
}

}  // namespace evently::http
