// Catalogue rules without a store: layouts, status, case folding, request decoding.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "domain/catalog/layout.hpp"
#include "domain/catalog/search_text.hpp"
#include "domain/ids.hpp"
#include "wire/catalog_json.hpp"

namespace evently {
namespace {

using namespace std::chrono_literals;
using domain::SectionLayout;

std::vector<std::string> FieldsOf(const domain::Error& error) {
  std::vector<std::string> fields;
  for (const auto& f : error.details.fields) fields.push_back(f.field);
  return fields;
}

std::vector<std::string> FieldsOf(const std::vector<domain::FieldIssue>& issues) {
  std::vector<std::string> fields;
  for (const auto& f : issues) fields.push_back(f.field);
  return fields;
}

TEST(Layout, AcceptsAGoodLayoutAndCountsItsSeats) {
  std::vector<SectionLayout> layout = {{"VIP", {"A", "B"}, 20, 30000}, {"GA", {"C"}, 5, 0}};
  EXPECT_TRUE(domain::ValidateLayout(layout, "s").empty());
  EXPECT_EQ(domain::SeatCount(layout), 45);
  auto sections = domain::NumberSections(layout);
  EXPECT_EQ(sections[1].position, 2);
  EXPECT_EQ(sections[1].available, 5);
}

TEST(Layout, ReportsEveryProblemWhereItIs) {
  std::vector<SectionLayout> layout = {{"VIP", {"A", "a"}, 0, -1}, {"vip", {}, 1, 1}};
  EXPECT_EQ(FieldsOf(domain::ValidateLayout(layout, "s")),
            (std::vector<std::string>{"s[0].rows[1]", "s[0].seats_per_row", "s[0].price",
                                      "s[1].name", "s[1].rows"}));
  EXPECT_EQ(FieldsOf(domain::ValidateLayout({}, "s")), std::vector<std::string>{"s"});
}

TEST(Layout, RefusesMoreSeatsThanAnEventMayHave) {
  std::vector<std::string> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back(std::to_string(i));
  std::vector<SectionLayout> layout = {{"A", rows, 1000, 1}};
  EXPECT_EQ(FieldsOf(domain::ValidateLayout(layout, "s")), std::vector<std::string>{"s"});
}

TEST(Layout, VisitsSeatsSectionByRowByNumber) {
  auto sections = domain::NumberSections({{"X", {"B", "A"}, 2, 1}, {"Y", {"Q"}, 1, 1}});
  std::string order;
  domain::ForEachSeat(
      sections, [&](std::int64_t s, std::int64_t r, const std::string& label, std::int64_t n) {
        order += std::to_string(s) + std::to_string(r) + label + std::to_string(n) + " ";
      });
  EXPECT_EQ(order, "11B1 11B2 12A1 12A2 21Q1 ");
}

TEST(UuidV7Sequence, GivesValidOrderedVersion7Ids) {
  domain::UuidV7Sequence seq(domain::FromEpochMillis(1'700'000'000'000));
  domain::UuidV7Sequence other(domain::FromEpochMillis(1'700'000'000'000));
  std::string previous;
  for (int i = 0; i < 300; ++i) {
    std::string id = seq.Next();
    ASSERT_TRUE(domain::IsUuid(id)) << id;
    EXPECT_EQ(id[14], '7');
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
    EXPECT_LT(previous, id);
    EXPECT_EQ(id.substr(0, 13), "018bcfe5-6800");  // the instant's 48-bit timestamp
    previous = id;
  }
  EXPECT_NE(other.Next().substr(0, 28), previous.substr(0, 28));
}

TEST(EventStatus, FollowsTheClockAndCancellation) {
  domain::TimePoint start = domain::FromEpochMillis(1'000'000), end = start + 1h;
  EXPECT_EQ(domain::StatusAt(start, end, {}, start - 1ms), domain::EventStatus::kUpcoming);
  EXPECT_EQ(domain::StatusAt(start, end, {}, start), domain::EventStatus::kOngoing);
  EXPECT_EQ(domain::StatusAt(start, end, {}, end - 1ms), domain::EventStatus::kOngoing);
  EXPECT_EQ(domain::StatusAt(start, end, {}, end), domain::EventStatus::kCompleted);
  EXPECT_EQ(domain::StatusAt(start, end, start, start - 1h), domain::EventStatus::kCancelled);
  for (auto status : domain::kAllEventStatuses) {
    EXPECT_EQ(domain::ParseEventStatus(domain::StatusName(status)), status);
  }
  EXPECT_FALSE(domain::ParseEventStatus("Upcoming"));
}

TEST(FoldCase, LowersLatinGreekAndCyrillicKeepingTheRest) {
  EXPECT_EQ(domain::FoldCase("Hello WORLD 123 %_*"), "hello world 123 %_*");
  EXPECT_EQ(domain::FoldCase("ÀÉÎÕÜ ß × Ÿ Ł Ž"), "àéîõü ß × ÿ ł ž");
  EXPECT_EQ(domain::FoldCase("ΑΘΗΝΑ Ά"), "αθηνα ά");
  EXPECT_EQ(domain::FoldCase("МОСКВА Ё"), "москва ё");
  EXPECT_EQ(domain::FoldCase("日本 🎵"), "日本 🎵");
  EXPECT_EQ(domain::FoldCase(std::string("\xC3", 1)), std::string("\xC3", 1));
  EXPECT_TRUE(domain::SameNameIgnoringCase("Vip", "VIP"));
  EXPECT_EQ(domain::EventSearchText("A", "B"), std::string("a\x1f"
                                                           "b"));
}

TEST(CatalogWire, DecodesTheSpecCreateEventBody) {
  auto event = wire::DecodeNewEvent(R"({
    "name": "New Year Concert", "description": "Welcome 2025 with music",
    "venue_id": "550e8400-e29b-41d4-a716-446655440002",
    "start_time": "2030-12-31T20:00:00Z", "end_time": "2031-01-01T01:00:00Z",
    "capacity": 10000,
    "seat_configuration": {"sections": [
      {"name": "VIP", "rows": ["A", "B"], "seats_per_row": 20, "price": 300.00}]}})");
  ASSERT_TRUE(event.ok()) << event.error().details.fields.at(0).field;
  EXPECT_EQ(event->capacity, 10000);
  EXPECT_EQ(event->currency, "USD");
  ASSERT_EQ(event->sections.size(), 1u);
  EXPECT_EQ(event->sections[0].price, 30000);
  EXPECT_EQ(event->sections[0].rows, (std::vector<std::string>{"A", "B"}));
}

TEST(CatalogWire, NamesTheFieldOfEveryShapeProblem) {
  auto event = wire::DecodeNewEvent(R"({"name": 5, "venue_id": "v", "start_time": "soon",
    "end_time": "2031-01-01T01:00:00Z", "extra": true,
    "seat_configuration": {"sections": [7, {"name": "A", "rows": ["A", 3], "seats_per_row": 1.5,
                                            "price": 1, "x": 0}]}})");
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(FieldsOf(event.error()),
            (std::vector<std::string>{"name", "start_time", "seat_configuration.sections[0]",
                                      "seat_configuration.sections[1].seats_per_row",
                                      "seat_configuration.sections[1].x",
                                      "seat_configuration.sections[1].rows[1]", "extra"}));
}

TEST(CatalogWire, DecodesPartialChanges) {
  auto changes = wire::DecodeEventChanges(R"({"prices": {"VIP": 12.5, "GA": 0}, "name": "X"})");
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->prices,
            (std::vector<std::pair<std::string, std::int64_t>>{{"VIP", 1250}, {"GA", 0}}));
  EXPECT_FALSE(changes->layout);
  EXPECT_EQ(FieldsOf(wire::DecodeEventChanges("{}").error()), std::vector<std::string>{"body"});
  EXPECT_EQ(FieldsOf(wire::DecodeEventChanges(R"({"prices": {"VIP": -1}})").error()),
            std::vector<std::string>{"prices.VIP"});
}

TEST(CatalogWire, KeepsTheVenueLayoutConfigAsSent) {
  auto venue = wire::DecodeNewVenue(
      R"({"name": "Hall", "capacity": 10, "layout_config": {"b": [1, 2.5, "x"], "a": {}}})");
  ASSERT_TRUE(venue.ok());
  std::string json = wire::VenueJson(*venue);
  EXPECT_EQ(boost::json::parse(json).at("layout_config"),
            boost::json::parse(R"({"b": [1, 2.5, "x"], "a": {}})"));
  EXPECT_EQ(wire::DecodeNewVenue(R"({"name": "Hall", "capacity": 10})")->layout_config, "{}");
}

}  // namespace
}  // namespace evently
