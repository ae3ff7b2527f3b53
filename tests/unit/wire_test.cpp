#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "domain/ids.hpp"
#include "domain/time.hpp"
#include "wire/body_reader.hpp"
#include "wire/envelope.hpp"
#include "wire/json_writer.hpp"

namespace evently::wire {
namespace {

namespace json = boost::json;
using domain::FieldIssue;

TEST(JsonWriter, MoneyAlwaysHasTwoDecimals) {
  EXPECT_EQ(FormatMoney(50000), "500.00");
  EXPECT_EQ(FormatMoney(5), "0.05");
  EXPECT_EQ(FormatMoney(0), "0.00");
  EXPECT_EQ(FormatMoney(-1050), "-10.50");
  JsonWriter w;
  w.BeginObject().MoneyField("price", 50000).EndObject();
  EXPECT_EQ(w.str(), R"({"price":500.00})");
}

TEST(JsonWriter, EscapesStringsAndNestsContainers) {
  JsonWriter w;
  w.BeginObject().Field("s", std::string("a\"b\\c\n\x01")).Key("list").BeginArray();
  w.Int(1).Int(2).BeginObject().EndObject().EndArray().Field("ok", true).EndObject();
  EXPECT_EQ(w.str(), R"({"s":"a\"b\\c\n\u0001","list":[1,2,{}],"ok":true})");
  EXPECT_NO_THROW(json::parse(w.str()));
}

TEST(Envelope, ErrorCarriesCodeMessageDetailsAndTimestamp) {
  domain::Error e = domain::ValidationError("email", "is required");
  auto now = domain::FromEpochMillis(1705314600000);
  json::value v = json::parse(ErrorEnvelope(e, now));
  EXPECT_EQ(v.at("success"), false);
  EXPECT_EQ(v.at("error").at("code"), "VALIDATION_ERROR");
  EXPECT_EQ(v.at("error").at("details").at("fields").at(0).at("field"), "email");
  EXPECT_EQ(v.at("timestamp"), "2024-01-15T10:30:00Z");
}

TEST(Envelope, PaginationPastTheEnd) {
  Pagination p{5, 20, 45};
  json::value v = json::parse(SuccessEnvelope("[]", "", domain::FromEpochMillis(0), &p));
  EXPECT_EQ(v.at("pagination").at("total_pages"), 3);
  EXPECT_EQ(v.at("pagination").at("has_next"), false);
  EXPECT_EQ(v.at("pagination").at("has_prev"), true);
}

TEST(BodyReader, ReportsEveryProblemWithItsField) {
  auto body = ParseObject(R"({"email": 5, "name": "", "extra": true, "n": 1.5})");
  ASSERT_TRUE(body.ok());
  std::vector<FieldIssue> issues;
  ObjectReader r(*body, issues);
  r.String("email", Presence::kRequired);
  r.String("name", Presence::kRequired, {1, 10});
  r.Integer("n", Presence::kRequired, 0, 10);
  r.String("missing", Presence::kRequired);
  r.RejectUnknown();
  ASSERT_EQ(issues.size(), 5u);
  EXPECT_EQ(issues[0].field, "email");
  EXPECT_EQ(issues[1].field, "name");
  EXPECT_EQ(issues[2].field, "n");
  EXPECT_EQ(issues[3].field, "missing");
  EXPECT_EQ(issues[4].field, "extra");
}

TEST(BodyReader, RejectsMalformedJsonAndNonObjects) {
  EXPECT_FALSE(ParseObject("{").ok());
  EXPECT_FALSE(ParseObject("[]").ok());
  EXPECT_FALSE(ParseObject("").ok());
}

TEST(BodyReader, MoneyAcceptsAtMostTwoDecimals) {
  auto body = ParseObject(R"({"a": 300.00, "b": 19.99, "c": 1.999, "d": -1})");
  std::vector<FieldIssue> issues;
  ObjectReader r(*body, issues);
  EXPECT_EQ(r.Money("a", Presence::kRequired, 100000000), 30000);
  EXPECT_EQ(r.Money("b", Presence::kRequired, 100000000), 1999);
  EXPECT_FALSE(r.Money("c", Presence::kRequired, 100000000).has_value());
  EXPECT_FALSE(r.Money("d", Presence::kRequired, 100000000).has_value());
  EXPECT_EQ(issues.size(), 2u);
}

TEST(Utf8, CountsCodePointsAndRejectsInvalid) {
  EXPECT_EQ(Utf8Length("Zoë"), 3u);
  EXPECT_EQ(Utf8Length("\xff"), std::string_view::npos);
  EXPECT_EQ(Utf8Length("\xc3"), std::string_view::npos);
}

TEST(Time, Rfc3339RoundTripsAndRejectsGarbage) {
  auto t = domain::ParseRfc3339("2024-07-15T18:00:00Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(domain::FormatRfc3339(*t), "2024-07-15T18:00:00Z");
  auto offset = domain::ParseRfc3339("2024-07-15T20:00:00+02:00");
  ASSERT_TRUE(offset.has_value());
  EXPECT_EQ(*offset, *t);
  EXPECT_FALSE(domain::ParseRfc3339("2024-02-30T00:00:00Z").has_value());
  EXPECT_FALSE(domain::ParseRfc3339("2024-07-15 18:00").has_value());
  EXPECT_FALSE(domain::ParseDate("2024-13-01").has_value());
  EXPECT_EQ(domain::FormatDate(*domain::ParseDate("2024-03-01")), "2024-03-01");
}

TEST(Ids, UuidV7IsValidTimeOrderedAndUnique) {
  auto a = domain::NewUuidV7(domain::FromEpochMillis(1000));
  auto b = domain::NewUuidV7(domain::FromEpochMillis(2000));
  EXPECT_TRUE(domain::IsUuid(a));
  EXPECT_EQ(a[14], '7');
  EXPECT_LT(a, b);
  EXPECT_NE(domain::NewUuidV7(domain::FromEpochMillis(1)),
            domain::NewUuidV7(domain::FromEpochMillis(1)));
  EXPECT_FALSE(domain::IsUuid("not-a-uuid"));
  EXPECT_FALSE(domain::IsUuid("550e8400-e29b-41d4-a716-44665544000g"));
}

}  // namespace
}  // namespace evently::wire
