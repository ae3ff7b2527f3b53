#include "app/seed_catalogue.hpp"

#include <stdexcept>

namespace evently::app {
namespace {

using std::chrono::days;
using std::chrono::hours;

std::vector<std::string> Rows(std::string_view prefix, int first, int last) {
  std::vector<std::string> rows;
  for (int i = first; i <= last; ++i) {
    rows.emplace_back(prefix);
    rows.back() += std::to_string(i);
  }
  return rows;
}

std::vector<std::string> Letters(char first, char last) {
  std::vector<std::string> rows;
  for (char c = first; c <= last; ++c) rows.emplace_back(1, c);
  return rows;
}

// `month`/`day` at `hour` UTC of the first year in which it is still more than a day away.
domain::TimePoint NextDate(domain::TimePoint now, unsigned month, unsigned day, int hour) {
  auto year = std::chrono::year_month_day(std::chrono::floor<days>(now)).year();
  for (;; ++year) {
    auto date = std::chrono::sys_days(year / std::chrono::month(month) / std::chrono::day(day));
    domain::TimePoint at = std::chrono::time_point_cast<domain::Millis>(date) + hours(hour);
    if (at > now + days(1)) return at;
  }
}

domain::Venue DemoVenue(std::string id, std::string name, std::string address, std::string city,
                        std::string state, std::string postal_code, std::int64_t capacity,
                        std::string layout_config) {
  domain::Venue v;
  v.id = std::move(id);
  v.name = std::move(name);
  v.address = std::move(address);
  v.city = std::move(city);
  v.state = std::move(state);
  v.country = "USA";
  v.postal_code = std::move(postal_code);
  v.capacity = capacity;
  v.layout_config = std::move(layout_config);
  return v;
}

domain::NewEvent DemoEvent(std::string id, std::string venue_id, std::string name,
                           std::string description, domain::TimePoint start, hours length,
                           std::vector<domain::SectionLayout> sections) {
  domain::NewEvent e;
  e.id = std::move(id);
  e.venue_id = std::move(venue_id);
  e.name = std::move(name);
  e.description = std::move(description);
  e.start_time = start;
  e.end_time = start + length;
  e.sections = std::move(sections);
  return e;
}

constexpr std::string_view kArena = "550e8400-e29b-41d4-a716-446655440002";
constexpr std::string_view kHarborHall = "0190a5c0-0000-7000-8000-000000000002";
constexpr std::string_view kLakeside = "0190a5c0-0000-7000-8000-000000000003";

std::vector<domain::NewEvent> DemoEvents(domain::TimePoint now) {
  domain::TimePoint today = std::chrono::floor<days>(now);
  return {
      // The spec's example: 100 VIP, 500 Premium and 49,400 General seats.
      DemoEvent("550e8400-e29b-41d4-a716-446655440001", std::string(kArena),
                "Summer Music Festival", "Annual summer music festival featuring top artists",
                NextDate(now, 7, 15, 18), hours(5),
                {{"VIP", Letters('A', 'D'), 25, 50000},
                 {"Premium", Letters('E', 'N'), 50, 20000},
                 {"General", Rows("G", 1, 247), 200, 5000}}),
      DemoEvent("0190a5c0-0000-7000-8000-000000000101", std::string(kHarborHall),
                "New Year Concert", "Welcome the new year with music", NextDate(now, 12, 31, 20),
                hours(5),
                {{"VIP", {"A", "B"}, 20, 30000},
                 {"Orchestra", Letters('C', 'L'), 30, 12000},
                 {"Balcony", Letters('M', 'T'), 25, 6000}}),
      DemoEvent(
          "0190a5c0-0000-7000-8000-000000000102", std::string(kLakeside), "Jazz by the Lake",
          "An evening of modern jazz quartets", today + days(30) + hours(19), hours(3),
          {{"Front", Letters('A', 'C'), 16, 8500}, {"Standard", Letters('D', 'L'), 20, 4500}}),
      DemoEvent("0190a5c0-0000-7000-8000-000000000103", std::string(kHarborHall),
                "Cloud Native Developer Day", "Talks and workshops on building services that scale",
                today + days(60) + hours(9), hours(8), {{"General", Rows("R", 1, 40), 50, 9900}}),
  };
}

template <typename T>
void Require(const domain::Result<T>& result, std::string_view what) {
  if (!result) {
    throw std::runtime_error("seeding " + std::string(what) + ": " +
                             std::string(result.error().Message()));
  }
}

}  // namespace

CatalogueSeedResult SeedDemoCatalogue(domain::CatalogService& catalog, const domain::Clock& clock) {
  CatalogueSeedResult result;
  std::vector<domain::Venue> venues = {
      DemoVenue(std::string(kArena), "Central Park Arena", "123 Park Avenue", "New York", "NY",
                "10001", 50000, R"({"stage":"north","zones":["VIP","Premium","General"]})"),
      DemoVenue(std::string(kHarborHall), "Harbor Hall", "1 Embarcadero", "San Francisco", "CA",
                "94111", 3000, R"({"levels":2})"),
      DemoVenue(std::string(kLakeside), "Lakeside Theater", "400 Lake Shore Drive", "Chicago", "IL",
                "60611", 1200, "{}"),
  };
  for (domain::Venue& venue : venues) {
    if (catalog.GetVenue(venue.id)) continue;
    Require(catalog.CreateVenue(std::move(venue)), "a venue");
    ++result.venues_created;
  }
  for (const domain::NewEvent& event : DemoEvents(clock.Now())) {
    if (catalog.GetEvent(*event.id)) continue;
    Require(catalog.CreateEvent(event), event.name);
    ++result.events_created;
  }
  return result;
}

}  // namespace evently::app
