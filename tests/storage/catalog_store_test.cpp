// The catalogue service on the real store, both engines: seats, seat maps and their cache,
// layout locking, optimistic updates, clock-derived status, search.
#include "storage/catalog_store.hpp"

#include <algorithm>
#include <chrono>
#include <limits>

#include "domain/catalog/catalog_service.hpp"
#include "domain/ids.hpp"
#include "http/seat_map_cache.hpp"
#include "support/test_store.hpp"
#include "wire/catalog_json.hpp"

namespace evently {
namespace {

using namespace std::chrono_literals;
using domain::ErrorCode;

class FakeClock final : public domain::Clock {
 public:
  domain::TimePoint Now() const override { return now; }
  domain::TimePoint now = domain::SystemClock().Now();
};

class CountingListener final : public domain::EventCancellationListener {
 public:
  void EventCancelled(const domain::EventDetails& event, domain::TimePoint) override {
    ++calls;
    last_status = domain::StatusName(domain::StatusAt(event.event, event.event.updated_at));
  }
  int calls = 0;
  std::string_view last_status;
};

class CatalogStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!db_) return;
    store_ = std::make_unique<storage::CatalogStoreSql>(*db_);
    catalog_ = std::make_unique<domain::CatalogService>(*store_, clock_);
  }

  domain::Venue MakeVenue(std::int64_t capacity = 100000) {
    domain::Venue venue;
    venue.name = "Arena";
    venue.city = "Springfield";
    venue.capacity = capacity;
    auto created = catalog_->CreateVenue(venue);
    EXPECT_TRUE(created.ok());
    return created.value();
  }

  domain::NewEvent Draft(const std::string& venue_id, std::vector<domain::SectionLayout> layout) {
    domain::NewEvent draft;
    draft.venue_id = venue_id;
    draft.name = "Concert";
    draft.start_time = clock_.now + 24h;
    draft.end_time = clock_.now + 27h;
    draft.sections = std::move(layout);
    return draft;
  }

  domain::EventDetails MakeEvent(std::vector<domain::SectionLayout> layout = {
                                     {"VIP", {"A", "B"}, 3, 10000}, {"General", {"C"}, 4, 2500}}) {
    auto created = catalog_->CreateEvent(Draft(MakeVenue().id, std::move(layout)));
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().Message());
    return created.value();
  }

  // Stands in for the booking engine: a seat is held, its section counter and the event's
  // seat_version move in the same transaction.
  void HoldSeat(const std::string& event_id, const std::string& seat_id) {
    db_->Write([&](storage::Connection& c) {
      c.Exec({"test_hold_seat", "UPDATE seats SET status = 'held' WHERE id = $1"}, {seat_id});
      c.Exec({"test_hold_counter",
              "UPDATE event_sections SET available = available - 1 WHERE event_id = $1 AND "
              "position = (SELECT section_position FROM seats WHERE id = $2)"},
             {event_id, seat_id});
      c.Exec(
          {"test_bump_version", "UPDATE events SET seat_version = seat_version + 1 WHERE id = $1"},
          {event_id});
    });
  }

  std::int64_t CountSeats(const std::string& event_id) {
    std::int64_t n = 0;
    db_->Read([&](storage::Connection& c) {
      n = c.Exec({"test_count_seats", "SELECT COUNT(*) FROM seats WHERE event_id = $1"}, {event_id})
              .Int(0, 0);
    });
    return n;
  }

  std::vector<std::string> SearchNames(const std::string& text) {
    domain::EventQuery query;
    query.search = text;
    auto page = catalog_->ListEvents(query, {1, 100});
    EXPECT_TRUE(page.ok());
    std::vector<std::string> names;
    for (const auto& item : page->items) names.push_back(item.event.name);
    std::sort(names.begin(), names.end());
    return names;
  }

  FakeClock clock_;
  std::unique_ptr<storage::CatalogStoreSql> store_;
  std::unique_ptr<domain::CatalogService> catalog_;
};

std::vector<std::string> SeatLabels(const domain::SeatMap& map) {
  std::vector<std::string> out;
  for (const auto& section : map.sections) {
    for (const auto& row : section.rows) {
      for (const auto& seat : row.seats) {
        out.push_back(section.name + ":" + row.label + std::to_string(seat.number));
      }
    }
  }
  return out;
}

TEST_F(CatalogStoreTest, GeneratesEverySeatInLayoutOrder) {
  auto event = MakeEvent({{"Balcony", {"C", "A"}, 2, 100}, {"Floor", {"Z"}, 3, 200}});
  domain::SeatMapQuery all;
  all.status.reset();
  auto map = catalog_->GetSeatMap(event.event.id, all);
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(SeatLabels(*map),
            (std::vector<std::string>{"Balcony:C1", "Balcony:C2", "Balcony:A1", "Balcony:A2",
                                      "Floor:Z1", "Floor:Z2", "Floor:Z3"}));
  EXPECT_EQ(map->total_available, 7);
  EXPECT_EQ(event.event.capacity, 7);
  auto fetched = catalog_->GetEvent(event.event.id);
  ASSERT_TRUE(fetched.ok());
  ASSERT_EQ(fetched->event.sections.size(), 2u);
  EXPECT_EQ(fetched->event.sections[0].layout.rows, (std::vector<std::string>{"C", "A"}));
  EXPECT_EQ(fetched->event.sections[1].layout.price, 200);
}

TEST_F(CatalogStoreTest, FiftyThousandSeatsGoInQuickly) {
  std::vector<std::string> rows;
  for (int i = 0; i < 250; ++i) rows.push_back("R" + std::to_string(i));
  auto started = std::chrono::steady_clock::now();
  auto event = MakeEvent({{"General", rows, 200, 5000}});
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  std::printf("[%s] 50,000-seat event created in %lld ms\n", testing::TestEngine().c_str(),
              static_cast<long long>(elapsed.count()));
  EXPECT_EQ(CountSeats(event.event.id), 50000);
  EXPECT_EQ(domain::AvailableSeats(event.event), 50000);
}

TEST_F(CatalogStoreTest, SeatChangeGivesANewMapAndETag) {
  auto event = MakeEvent();
  http::SeatMapCache cache(64 << 20);
  domain::SeatMapQuery query;  // available seats
  std::string key = http::SeatMapCache::Key(event.event.id, query);
  int builds = 0;
  auto build = [&]() -> http::SeatMapCache::Build::result_type {
    ++builds;
    auto map = catalog_->GetSeatMap(event.event.id, query);
    if (!map) return std::move(map).error();
    return std::make_pair(map->seat_version, wire::SeatMapJson(*map));
  };
  auto version = catalog_->SeatVersion(event.event.id);
  ASSERT_TRUE(version.ok());
  auto first = cache.Get(key, *version, build);
  ASSERT_TRUE(first.ok());
  auto same = cache.Get(key, *catalog_->SeatVersion(event.event.id), build);
  EXPECT_EQ(builds, 1);
  EXPECT_EQ((*same)->etag(), (*first)->etag());

  auto map = catalog_->GetSeatMap(event.event.id, query);
  std::string seat_id = map->sections[0].rows[0].seats[0].id;
  HoldSeat(event.event.id, seat_id);

  auto newer = catalog_->SeatVersion(event.event.id);
  EXPECT_EQ(*newer, *version + 1);
  auto second = cache.Get(key, *newer, build);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(builds, 2);
  EXPECT_NE((*second)->etag(), (*first)->etag());
  EXPECT_EQ((*first)->data_json().find(seat_id) != std::string::npos, true);
  EXPECT_EQ((*second)->data_json().find(seat_id), std::string::npos);
  EXPECT_NE((*second)->data_json().find(R"("total_available":9)"), std::string::npos);
}

TEST_F(CatalogStoreTest, LayoutIsLockedOnceASeatIsHeld) {
  auto event = MakeEvent();
  domain::EventChanges relayout;
  relayout.layout = std::vector<domain::SectionLayout>{{"Floor", {"A"}, 5, 1000}};
  auto changed = catalog_->UpdateEvent(event.event.id, relayout);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->event.capacity, 5);
  EXPECT_EQ(CountSeats(event.event.id), 5);
  std::int64_t version = *catalog_->SeatVersion(event.event.id);
  EXPECT_EQ(version, event.event.seat_version + 1);

  auto map = catalog_->GetSeatMap(event.event.id, {});
  HoldSeat(event.event.id, map->sections[0].rows[0].seats[2].id);
  relayout.layout = std::vector<domain::SectionLayout>{{"Floor", {"A", "B"}, 5, 1000}};
  auto refused = catalog_->UpdateEvent(event.event.id, relayout);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kEventHasBookings);
  EXPECT_EQ(CountSeats(event.event.id), 5);
  EXPECT_EQ(*catalog_->SeatVersion(event.event.id), version + 1);  // only the hold moved it
}

TEST_F(CatalogStoreTest, LayoutIsLockedOnceABookingExists) {
  auto event = MakeEvent();
  std::string user_id = domain::NewUuidV7(clock_.now);
  db_->Write([&](storage::Connection& c) {
    std::int64_t now = domain::ToEpochMillis(clock_.now);
    c.Exec({"test_insert_user",
            "INSERT INTO users (id, email, password_hash, full_name, created_at, updated_at) "
            "VALUES ($1, $2, 'x', 'Test', $3, $3)"},
           {user_id, user_id + "@example.com", now});
    c.Exec({"test_insert_booking",
            "INSERT INTO bookings (id, event_id, user_id, booking_code, status, total_amount, "
            "currency, expires_at, created_at, updated_at) "
            "VALUES ($1, $2, $3, 'EVT2030010100001', 'expired', 0, 'USD', $4, $4, $4)"},
           {domain::NewUuidV7(clock_.now), event.event.id, user_id, now});
  });
  domain::EventChanges relayout;
  relayout.layout = std::vector<domain::SectionLayout>{{"Floor", {"A"}, 5, 1000}};
  auto refused = catalog_->UpdateEvent(event.event.id, relayout);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kEventHasBookings);
  EXPECT_EQ(CountSeats(event.event.id), 10);
}

TEST_F(CatalogStoreTest, AStaleUpdateWritesNothing) {
  auto event = MakeEvent();
  domain::EventUpdate update;
  update.event = event.event;
  update.event.name = "Lost update";
  update.event.updated_at = event.event.updated_at + 5ms;
  update.read_updated_at = event.event.updated_at - 1ms;
  EXPECT_EQ(store_->UpdateEvent(update), domain::EventWrite::kStale);
  update.event.id = domain::NewUuidV7(clock_.now);
  EXPECT_EQ(store_->UpdateEvent(update), domain::EventWrite::kNotFound);
  EXPECT_EQ(catalog_->GetEvent(event.event.id)->event.name, "Concert");
  domain::EventChanges rename;
  rename.name = "Renamed";
  EXPECT_EQ(catalog_->UpdateEvent(event.event.id, rename)->event.name, "Renamed");
}

TEST_F(CatalogStoreTest, StatusFollowsTheClock) {
  auto event = MakeEvent();  // starts in 24 h, lasts 3 h
  auto cancelled = MakeEvent();
  ASSERT_TRUE(catalog_->CancelEvent(cancelled.event.id).ok());
  auto names = [&](std::vector<domain::EventStatus> statuses) {
    domain::EventQuery query;
    query.statuses = std::move(statuses);
    auto page = catalog_->ListEvents(query, {1, 100});
    std::vector<std::string> ids;
    for (const auto& item : page.value().items) ids.push_back(item.event.id);
    return ids;
  };
  using S = domain::EventStatus;
  std::vector<std::string> just_event = {event.event.id};
  EXPECT_EQ(names({}), just_event);
  EXPECT_EQ(names({S::kUpcoming}), just_event);
  EXPECT_EQ(names({S::kCancelled}), std::vector<std::string>{cancelled.event.id});
  clock_.now += 25h;
  EXPECT_EQ(names({S::kOngoing}), just_event);
  EXPECT_EQ(names({}), just_event);
  EXPECT_TRUE(names({S::kUpcoming}).empty());
  clock_.now += 2h;
  EXPECT_EQ(names({S::kCompleted}), just_event);
  EXPECT_TRUE(names({}).empty());
  EXPECT_EQ(domain::StatusAt(catalog_->GetEvent(event.event.id)->event, clock_.now), S::kCompleted);
}

TEST_F(CatalogStoreTest, CancelIsIdempotentAndTellsListenersEveryTime) {
  CountingListener listener;
  catalog_->AddCancellationListener(listener);
  auto event = MakeEvent();
  auto first = catalog_->CancelEvent(event.event.id);
  clock_.now += 1h;
  auto second = catalog_->CancelEvent(event.event.id);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->event.cancelled_at, second->event.cancelled_at);
  EXPECT_EQ(listener.calls, 2);
  EXPECT_EQ(listener.last_status, "cancelled");
  EXPECT_EQ(catalog_->CancelEvent(domain::NewUuidV7(clock_.now)).error().code,
            ErrorCode::kEventNotFound);
}

TEST_F(CatalogStoreTest, SearchIsAFoldedSubstringOnBothEngines) {
  std::string venue_id = MakeVenue().id;
  for (std::string name : {"Café Ünïcode Night", "ΑΘΗΝΑ Live", "50% Off_Sale", "Plain Show"}) {
    auto draft = Draft(venue_id, {{"General", {"A"}, 1, 100}});
    draft.name = name;
    ASSERT_TRUE(catalog_->CreateEvent(draft).ok());
  }
  EXPECT_EQ(SearchNames("CAFÉ üNÏ"), std::vector<std::string>{"Café Ünïcode Night"});
  EXPECT_EQ(SearchNames("αθήνα"), std::vector<std::string>{});  // accents are not folded
  EXPECT_EQ(SearchNames("αθηνα"), std::vector<std::string>{"ΑΘΗΝΑ Live"});
  EXPECT_EQ(SearchNames("%"), std::vector<std::string>{"50% Off_Sale"});
  EXPECT_EQ(SearchNames("f_s"), std::vector<std::string>{"50% Off_Sale"});
  EXPECT_EQ(SearchNames("*"), std::vector<std::string>{});
  EXPECT_EQ(SearchNames("ow"), std::vector<std::string>{"Plain Show"});
  EXPECT_EQ(SearchNames("n"), (std::vector<std::string>{"Café Ünïcode Night", "Plain Show"}));
}

TEST_F(CatalogStoreTest, PagesPastTheEndAreEmptyWithTheTotal) {
  for (int i = 0; i < 3; ++i) MakeEvent();
  auto page = catalog_->ListEvents({}, {2, 2});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  EXPECT_EQ(page->items.size(), 1u);
  auto past = catalog_->ListEvents({}, {std::numeric_limits<std::int64_t>::max(), 100});
  EXPECT_EQ(past->total, 3);
  EXPECT_TRUE(past->items.empty());
  auto venues = catalog_->ListVenues({5, 1});
  EXPECT_EQ(venues.total, 3);
  EXPECT_TRUE(venues.items.empty());
}

}  // namespace
}  // namespace evently
