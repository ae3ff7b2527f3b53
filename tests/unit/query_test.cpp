// Pagination and date parameters of the list endpoints.
#include "http/query.hpp"

#include <gtest/gtest.h>

namespace evently::http {
namespace {

Request WithQuery(Fields query) {
  Request req;
  req.query = std::move(query);
  return req;
}

TEST(ParsePagination, DefaultsToTheFirstPageOfTwenty) {
  auto page = ParsePagination(WithQuery({}));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->page, 1);
  EXPECT_EQ(page->per_page, 20);
  EXPECT_EQ(page->offset(), 0);
  auto third = ParsePagination(WithQuery({{"page", "3"}, {"per_page", "100"}}));
  EXPECT_EQ(third->offset(), 200);
}

TEST(ParsePagination, RefusesOutOfRangeAndNonNumbers) {
  for (const char* page : {"0", "-1", "+2", "abc", "1.5", "", " 1", "99999999999999999999"}) {
    auto parsed = ParsePagination(WithQuery({{"page", page}}));
    ASSERT_FALSE(parsed.ok()) << page;
    EXPECT_EQ(parsed.error().details.fields.at(0).field, "page");
  }
  for (const char* per_page : {"0", "101", "x"}) {
    auto parsed = ParsePagination(WithQuery({{"per_page", per_page}}));
    ASSERT_FALSE(parsed.ok()) << per_page;
    EXPECT_EQ(parsed.error().details.fields.at(0).field, "per_page");
  }
  auto both = ParsePagination(WithQuery({{"page", "0"}, {"per_page", "0"}}));
  EXPECT_EQ(both.error().details.fields.size(), 2u);
}

TEST(ParsePagination, AHugePageIsEmptyNotAnOverflow) {
  auto page = ParsePagination(WithQuery({{"page", "9223372036854775807"}, {"per_page", "100"}}));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->offset(), std::numeric_limits<std::int64_t>::max());
}

TEST(ParseDateParam, ReadsCalendarDays) {
  std::vector<domain::FieldIssue> issues;
  auto day = ParseDateParam(WithQuery({{"d", "2030-02-28"}}), "d", issues);
  ASSERT_TRUE(day);
  EXPECT_EQ(domain::FormatRfc3339(*day), "2030-02-28T00:00:00Z");
  EXPECT_FALSE(ParseDateParam(WithQuery({}), "d", issues));
  EXPECT_TRUE(issues.empty());
  EXPECT_FALSE(ParseDateParam(WithQuery({{"d", "2030-02-30"}}), "d", issues));
  EXPECT_FALSE(ParseDateParam(WithQuery({{"d", "2030-2-3"}}), "d", issues));
  EXPECT_EQ(issues.size(), 2u);
}

}  // namespace
}  // namespace evently::http
