// The dashboard's roll-ups (global per day, per category, per event; migration 0007) agree with
// the bookings for every range: after a randomized history driven through the booking service,
// after the growth benchmark's bulk history, and after the migration's backfill, on each engine.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <random>
#include <set>

#include "storage/activity_rollup.hpp"
#include "storage/history_generator.hpp"
#include "storage/migrator.hpp"
#include "support/analytics_fixture.hpp"

namespace evently::testing {
namespace {

using domain::ActivityTotals;
using domain::TimePoint;

std::array<std::int64_t, 7> Fields(const ActivityTotals& t) {
  return {t.holds,       t.confirmations, t.cancellations, t.abandoned,
          t.expirations, t.revenue,       t.refunds};
}

void Add(ActivityTotals& into, const ActivityTotals& t) {
  into = {into.holds + t.holds,
          into.confirmations + t.confirmations,
          into.cancellations + t.cancellations,
          into.abandoned + t.abandoned,
          into.expirations + t.expirations,
          into.revenue + t.revenue,
          into.refunds + t.refunds};
}

double Percent(std::int64_t part, std::int64_t whole) {
  return whole <= 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

// What the analytics must say, kept from the bookings themselves (the changes a test makes, or
// the booking rows), never from a roll-up table.
struct Ledger {
  std::map<std::string, std::map<std::string, ActivityTotals>> days;  // day -> event -> figures
  std::map<std::string, std::map<std::pair<std::string, std::string>, domain::TierActivity>>
      sales;                                     // day -> (event, tier) -> figures
  std::map<std::string, std::int64_t> sold;      // event -> seats sold now
  std::map<std::string, std::int64_t> capacity;  // event -> seats

  ActivityTotals& On(TimePoint when, const std::string& event) {
    return days[domain::FormatDate(when)][event];
  }
  // One seat sold (+1) or refunded (-1).
  void Sale(TimePoint when, const std::string& event, const std::string& tier, std::int64_t price,
            int direction) {
    domain::TierActivity& t = sales[domain::FormatDate(when)][{event, tier}];
    t.tier = tier;
    (direction > 0 ? t.seats_sold : t.seats_refunded) += 1;
    (direction > 0 ? t.revenue : t.refunds) += price;
    sold[event] += direction;
  }
  void Sale(TimePoint when, const domain::Booking& booking, int direction) {
    for (const auto& seat : booking.seats) {
      Sale(when, booking.event.id, seat.section, seat.price, direction);
    }
  }
  std::int64_t SoldNow(const std::string& event) const {
    auto it = sold.find(event);
    return it == sold.end() ? 0 : it->second;
  }
  std::string FirstDay() const { return days.begin()->first; }
  std::string LastDay() const { return days.rbegin()->first; }
};

void ExpectDashboard(const domain::Dashboard& d, const Ledger& l) {
  SCOPED_TRACE("range " + d.range.first_day + ".." + d.range.last_day);
  ActivityTotals all;
  std::map<std::string, ActivityTotals> by_event;
  std::map<std::string, domain::TierActivity> by_tier;
  for (const auto& day : d.figures.trends) {
    ActivityTotals expected;
    if (auto it = l.days.find(day.day); it != l.days.end()) {
      for (const auto& [event, t] : it->second) {
        Add(expected, t);
        Add(by_event[event], t);
      }
    }
    EXPECT_EQ(Fields(day.totals), Fields(expected)) << day.day;
    Add(all, expected);
    if (auto it = l.sales.find(day.day); it != l.sales.end()) {
      for (const auto& [key, t] : it->second) {
        domain::TierActivity& c = by_tier[key.second];
        c.tier = t.tier;
        c.seats_sold += t.seats_sold;
        c.seats_refunded += t.seats_refunded;
        c.revenue += t.revenue;
        c.refunds += t.refunds;
      }
    }
  }
  EXPECT_EQ(d.figures.bookings, all.confirmations);
  EXPECT_EQ(d.figures.revenue, all.revenue - all.refunds);
  EXPECT_EQ(d.figures.holds, all.holds);
  EXPECT_EQ(d.figures.cancellations, all.cancellations);
  EXPECT_EQ(d.figures.expired_holds, all.expirations);

  EXPECT_EQ(d.total_events, static_cast<std::int64_t>(by_event.size()));
  double utilization = 0;
  for (const auto& [event, t] : by_event)
    utilization += Percent(l.SoldNow(event), l.capacity.at(event));
  EXPECT_NEAR(d.average_capacity_utilization, by_event.empty() ? 0 : utilization / by_event.size(),
              1e-9);
  EXPECT_EQ(d.top_events.size(), std::min<std::size_t>(by_event.size(), 10));
  for (const auto& top : d.top_events) {
    auto it = by_event.find(top.event_id);
    if (it == by_event.end()) {
      ADD_FAILURE() << "top event without activity in range: " << top.event_id;
      continue;
    }
    EXPECT_EQ(top.bookings, it->second.confirmations) << top.event_id;
    EXPECT_EQ(top.revenue, it->second.revenue - it->second.refunds) << top.event_id;
    EXPECT_NEAR(top.utilization, Percent(l.SoldNow(top.event_id), l.capacity.at(top.event_id)),
                1e-9);
  }

  ASSERT_EQ(d.revenue_by_category.size(), by_tier.size());
  std::size_t i = 0;
  for (const auto& [tier, t] : by_tier) {
    const domain::TierActivity& got = d.revenue_by_category[i++];
    EXPECT_EQ(got.tier, tier);
    EXPECT_EQ(std::tie(got.seats_sold, got.seats_refunded, got.revenue, got.refunds),
              std::tie(t.seats_sold, t.seats_refunded, t.revenue, t.refunds))
        << tier;
  }
}

void ExpectEvent(const domain::EventAnalytics& a, const Ledger& l) {
  const std::string& event = a.state.event_id;
  SCOPED_TRACE("event " + event + " " + a.range.first_day + ".." + a.range.last_day);
  std::map<std::string, domain::TierActivity> by_tier;
  for (const auto& day : a.figures.trends) {
    ActivityTotals expected;
    if (auto d = l.days.find(day.day); d != l.days.end()) {
      if (auto e = d->second.find(event); e != d->second.end()) expected = e->second;
    }
    EXPECT_EQ(Fields(day.totals), Fields(expected)) << day.day;
    if (auto d = l.sales.find(day.day); d != l.sales.end()) {
      for (const auto& [key, t] : d->second) {
        if (key.first != event) continue;
        by_tier[key.second].seats_sold += t.seats_sold;
        by_tier[key.second].revenue += t.revenue;
        by_tier[key.second].refunds += t.refunds;
      }
    }
  }
  for (const auto& tier : a.tiers) {
    const domain::TierActivity& expected = by_tier[tier.state.tier];
    EXPECT_EQ(std::tie(tier.activity.seats_sold, tier.activity.revenue, tier.activity.refunds),
              std::tie(expected.seats_sold, expected.revenue, expected.refunds))
        << tier.state.tier;
  }
}

std::string AddDays(const std::string& day, int n) {
  return domain::FormatDate(*domain::ParseDate(day) + std::chrono::days(n));
}

// Every range from a day before the first activity to a day after the last, so each way the
// store can answer (all-time totals, totals minus the outside, the inside alone) is exercised.
void ExpectEveryRange(domain::AnalyticsService& analytics, const Ledger& l, int step = 1) {
  std::string from = AddDays(l.FirstDay(), -1), to = AddDays(l.LastDay(), 1);
  for (std::string first = from; first <= to; first = AddDays(first, step)) {
    for (std::string last = first; last <= to; last = AddDays(last, step)) {
      ExpectDashboard(analytics.GetDashboard({first, last}), l);
    }
  }
}

using Table = std::vector<std::vector<std::optional<std::string>>>;

Table Select(storage::Database& db, const storage::Statement& statement) {
  Table out;
  db.Read([&](storage::Connection& conn) {
    out.clear();
    storage::Rows rows = conn.Exec(statement);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      out.emplace_back();
      for (std::size_t c = 0; c < rows.columns(); ++c) out.back().push_back(rows.OptText(r, c));
    }
  });
  return out;
}

#define EVENTLY_SUMS                                                                       \
  "SUM(holds), SUM(confirmations), SUM(cancellations), SUM(abandoned), SUM(expirations), " \
  "SUM(revenue), SUM(refunds)"
constexpr storage::Statement kGlobalDays{
    "test_global_days", "SELECT day, " EVENTLY_SUMS " FROM daily_stats GROUP BY day ORDER BY day"};
constexpr storage::Statement kEventDays{"test_event_days",
                                        "SELECT day, " EVENTLY_SUMS
                                        " FROM daily_event_stats GROUP BY day ORDER BY day"};
constexpr storage::Statement kEventTotals{
    "test_event_totals",
    "SELECT event_id, holds, confirmations, cancellations, abandoned, expirations, revenue, "
    "refunds FROM event_stats ORDER BY event_id"};
constexpr storage::Statement kEventSums{
    "test_event_sums",
    "SELECT event_id, " EVENTLY_SUMS " FROM daily_event_stats GROUP BY event_id ORDER BY event_id"};
#undef EVENTLY_SUMS
constexpr storage::Statement kCategoryDays{
    "test_category_days",
    "SELECT day, tier, SUM(seats_sold), SUM(seats_refunded), SUM(revenue), SUM(refunds) "
    "FROM daily_category_stats GROUP BY day, tier ORDER BY day, tier"};
constexpr storage::Statement kTierDays{
    "test_tier_days",
    "SELECT day, tier, SUM(seats_sold), SUM(seats_refunded), SUM(revenue), SUM(refunds) "
    "FROM daily_tier_stats GROUP BY day, tier ORDER BY day, tier"};
constexpr storage::Statement kShards{"test_shards",
                                     "SELECT DISTINCT shard FROM daily_stats ORDER BY shard"};

// The global, per-category and per-event roll-ups sum to the per-(day, event) ones, and those
// equal the ledger.
void ExpectRollupsAgree(storage::Database& db, const Ledger& l) {
  Table event_days = Select(db, kEventDays);
  EXPECT_EQ(Select(db, kGlobalDays), event_days);
  EXPECT_EQ(Select(db, kEventTotals), Select(db, kEventSums));
  EXPECT_EQ(Select(db, kCategoryDays), Select(db, kTierDays));
  ASSERT_EQ(event_days.size(), l.days.size());
  std::size_t r = 0;
  for (const auto& [day, events] : l.days) {
    ActivityTotals sum;
    for (const auto& [event, t] : events) Add(sum, t);
    std::vector<std::optional<std::string>> expected{day};
    for (std::int64_t v : Fields(sum)) expected.push_back(std::to_string(v));
    EXPECT_EQ(event_days[r++], expected);
  }
}

// Four events (tiers shared by name across some of them) and a fortnight of holds, sales,
// abandoned holds, refunds, expiries (some crossing midnight), quiet days and one event
// cancelled, driven through the booking service with a fixed seed.
class RandomHistoryTest : public AnalyticsWorld {
 protected:
  struct Live {
    domain::Booking booking;
    domain::Principal who;
    bool confirmed = false;
  };

  void SetUp() override {
    AnalyticsWorld::SetUp();
    if (IsSkipped() || HasFailure()) return;
    buyers_ = {alice_, bob_, carol_, dave_};
    auto start = *domain::ParseRfc3339("2030-06-01T18:00:00Z");
    std::vector<std::vector<SeatSection>> layouts = {
        {{"VIP", 2, 5, 10000}, {"GA", 2, 10, 2000}},
        {{"GA", 2, 10, 1500}},
        {{"Balcony", 1, 8, 4000}, {"VIP", 1, 8, 12000}},
        {{"GA", 3, 6, 1000}}};
    for (const auto& layout : layouts) {
      events_.push_back(CreateEvent(*db_, layout, start));
      ledger_.capacity[events_.back().id] = events_.back().capacity;
      free_[events_.back().id] = events_.back().seat_ids;
    }
    std::mt19937 rng(20300301);
    TimePoint first = domain::StartOfDay(clock_.Now());
    for (int day = 0; day < 14; ++day) {
      // Most days start at noon; every third just before midnight, so expiries land a day later.
      auto at = first + std::chrono::days(day) +
                (day % 3 == 2 ? std::chrono::minutes(23 * 60 + 56) : std::chrono::hours(12));
      clock_.Advance(std::chrono::duration_cast<domain::Millis>(at - clock_.Now()));
      if (day % 5 == 3) continue;  // a quiet day
      int changes = 4 + static_cast<int>(rng() % 12);
      for (int i = 0; i < changes; ++i) {
        Change(rng);
        if (HasFatalFailure()) return;
        clock_.Advance(std::chrono::seconds(2));
      }
      ExpireAll();
    }
    CancelEvent(events_[3].id);
  }

  void Change(std::mt19937& rng) {
    auto pick = [&](auto& v) { return v.begin() + static_cast<long>(rng() % v.size()); };
    std::vector<std::size_t> pending, confirmed;
    for (std::size_t i = 0; i < live_.size(); ++i) {
      (live_[i].confirmed ? confirmed : pending).push_back(i);
    }
    unsigned roll = rng() % 10;
    if (roll < 5 || (pending.empty() && confirmed.empty())) {
      const TestEvent& event = *pick(events_);
      std::vector<std::string>& free = free_[event.id];
      if (free.size() < 2) return;
      std::vector<std::string> seats;
      for (unsigned n = 1 + rng() % 2; n > 0; --n) {
        auto seat = pick(free);
        seats.push_back(*seat);
        free.erase(seat);
      }
      domain::Principal who = *pick(buyers_);
      auto held = bookings_->Hold(who, event.id, seats);
      ASSERT_TRUE(held.ok()) << held.error().message;
      ++ledger_.On(clock_.Now(), event.id).holds;
      live_.push_back({*held, who, false});
    } else if (roll < 7 && !pending.empty()) {
      Live& l = live_[*pick(pending)];
      ASSERT_TRUE(bookings_->Confirm(l.who, l.booking.id, kGoodToken).ok());
      ActivityTotals& day = ledger_.On(clock_.Now(), l.booking.event.id);
      ++day.confirmations;
      day.revenue += l.booking.total_amount;
      ledger_.Sale(clock_.Now(), l.booking, +1);
      l.confirmed = true;
    } else if (roll < 8 && !pending.empty()) {
      std::size_t i = *pick(pending);
      ASSERT_TRUE(bookings_->Cancel(live_[i].who, live_[i].booking.id).ok());
      ++ledger_.On(clock_.Now(), live_[i].booking.event.id).abandoned;
      Release(i);
    } else if (!confirmed.empty()) {
      std::size_t i = *pick(confirmed);
      ASSERT_TRUE(bookings_->Cancel(live_[i].who, live_[i].booking.id).ok());
      Refunded(i);
      Release(i);
    }
  }

  void Refunded(std::size_t i) {
    const domain::Booking& b = live_[i].booking;
    ActivityTotals& day = ledger_.On(clock_.Now(), b.event.id);
    ++day.cancellations;
    day.refunds += b.total_amount;
    ledger_.Sale(clock_.Now(), b, -1);
  }

  void Release(std::size_t i) {
    for (const auto& seat : live_[i].booking.seats) {
      free_[live_[i].booking.event.id].push_back(seat.seat_id);
    }
    live_.erase(live_.begin() + static_cast<long>(i));
  }

  void ExpireAll() {
    clock_.Advance(std::chrono::minutes(6));
    int expected = 0;
    for (std::size_t i = live_.size(); i-- > 0;) {
      if (live_[i].confirmed) continue;
      ++ledger_.On(clock_.Now(), live_[i].booking.event.id).expirations;
      Release(i);
      ++expected;
    }
    EXPECT_EQ(bookings_->ExpireDue(), expected);
  }

  void CancelEvent(const std::string& event_id) {
    bookings_->CancelEventBookings(event_id);
    for (std::size_t i = live_.size(); i-- > 0;) {
      if (live_[i].booking.event.id != event_id) continue;
      if (live_[i].confirmed) {
        Refunded(i);
      } else {
        ++ledger_.On(clock_.Now(), event_id).abandoned;
      }
      Release(i);
    }
  }

  std::vector<TestEvent> events_;
  std::vector<domain::Principal> buyers_;
  std::map<std::string, std::vector<std::string>> free_;
  std::vector<Live> live_;
  Ledger ledger_;
};

TEST_F(RandomHistoryTest, EveryRangeMatchesTheBookings) {
  ExpectEveryRange(*analytics_, ledger_);
  for (const TestEvent& event : events_) {
    for (auto [first, last] : {std::pair{ledger_.FirstDay(), ledger_.LastDay()},
                               std::pair{AddDays(ledger_.FirstDay(), 3), ledger_.LastDay()}}) {
      auto a = analytics_->GetEvent(event.id, {first, last});
      ASSERT_TRUE(a.ok());
      ExpectEvent(*a, ledger_);
    }
  }
}

TEST_F(RandomHistoryTest, GlobalDayFiguresEqualThePerEventSums) {
  ExpectRollupsAgree(*db_, ledger_);
  // The global rows really are spread: one shard per event, as the events pick them.
  std::set<std::int64_t> shards;
  for (const TestEvent& event : events_) shards.insert(storage::RollupShard(event.id));
  Table expected;
  for (std::int64_t shard : shards) expected.push_back({std::to_string(shard)});
  EXPECT_EQ(Select(*db_, kShards), expected);
}

// The growth benchmark's bulk history writes the same roll-ups the booking path keeps.
class GeneratedHistoryTest : public AnalyticsWorld {
 protected:
  void SetUp() override {
    AnalyticsWorld::SetUp();
    if (IsSkipped() || HasFailure()) return;
    for (std::uint32_t seed : {3u, 4u}) {  // two runs add to the same days and shards
      storage::HistoryOptions options;
      options.bookings = 1200;
      options.events = 5;
      options.days = 20;
      options.until = clock_.Now();
      options.seed = seed;
      storage::GenerateHistory(*db_, options);
    }
    static constexpr storage::Statement kBookings{
        "test_history_bookings",
        "SELECT b.event_id, b.status, b.created_at, s.section_name, s.price FROM bookings b "
        "JOIN booking_seats s ON s.booking_id = b.id"};
    static constexpr storage::Statement kCapacity{"test_history_capacity",
                                                  "SELECT id, capacity FROM events"};
    db_->Read([&](storage::Connection& conn) {
      ledger_ = {};
      storage::Rows rows = conn.Exec(kBookings);
      for (std::size_t r = 0; r < rows.size(); ++r) {
        const std::string &event = rows.Text(r, 0), &status = rows.Text(r, 1);
        TimePoint at = domain::FromEpochMillis(rows.Int(r, 2));
        ActivityTotals& day = ledger_.On(at, event);
        ++day.holds;
        if (status == "confirmed") {
          ++day.confirmations;
          day.revenue += rows.Int(r, 4);
          ledger_.Sale(at, event, rows.Text(r, 3), rows.Int(r, 4), +1);
        } else {
          ++(status == "expired" ? day.expirations : day.abandoned);
        }
      }
      storage::Rows events = conn.Exec(kCapacity);
      for (std::size_t r = 0; r < events.size(); ++r) {
        ledger_.capacity[events.Text(r, 0)] = events.Int(r, 1);
      }
    });
  }
  Ledger ledger_;
};

TEST_F(GeneratedHistoryTest, RollupsMatchTheBookingRows) {
  ASSERT_EQ(ledger_.capacity.size(), 10u);
  ExpectRollupsAgree(*db_, ledger_);
  ExpectEveryRange(*analytics_, ledger_, 2);
}

// Migration 0007 fills the new roll-ups from the 0005 ones of a store already in use.
TEST_F(StoreTest, RollupMigrationBackfillsFromTheDayRows) {
  std::string url = FreshStoreUrl();
  auto db = storage::OpenDatabase(url, {1, 5000});
  auto now = domain::SystemClock().Now();
  storage::Migrate(*db, now, 6);
  auto start = *domain::ParseRfc3339("2030-06-01T18:00:00Z");
  TestEvent e1 = CreateEvent(*db, {{"VIP", 1, 4, 10000}}, start);
  TestEvent e2 = CreateEvent(*db, {{"GA", 1, 4, 2000}}, start);
  static constexpr storage::Statement kDay{
      "test_old_day",
      "INSERT INTO daily_event_stats (day, event_id, holds, confirmations, cancellations, "
      "abandoned, expirations, revenue, refunds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
  static constexpr storage::Statement kTier{
      "test_old_tier",
      "INSERT INTO daily_tier_stats (day, event_id, tier, seats_sold, seats_refunded, revenue, "
      "refunds) VALUES ($1, $2, $3, $4, $5, $6, $7)"};
  Ledger ledger;
  ledger.capacity = {{e1.id, e1.capacity}, {e2.id, e2.capacity}};
  struct Row {
    std::string day;
    const TestEvent* event;
    std::string tier;
    ActivityTotals t;
    std::int64_t sold, refunded;
  };
  std::vector<Row> rows = {{"2030-03-01", &e1, "VIP", {5, 3, 1, 1, 0, 30000, 10000}, 3, 1},
                           {"2030-03-03", &e1, "VIP", {2, 1, 0, 0, 1, 10000, 0}, 1, 0},
                           {"2030-03-02", &e2, "GA", {4, 2, 0, 1, 1, 4000, 0}, 2, 0},
                           {"2030-03-03", &e2, "GA", {1, 0, 1, 0, 1, 0, 2000}, 0, 1}};
  db->Write([&](storage::Connection& conn) {
    for (const Row& r : rows) {
      const ActivityTotals& t = r.t;
      conn.Exec(kDay, {r.day, r.event->id, t.holds, t.confirmations, t.cancellations, t.abandoned,
                       t.expirations, t.revenue, t.refunds});
      conn.Exec(kTier, {r.day, r.event->id, r.tier, r.sold, r.refunded, t.revenue, t.refunds});
    }
  });
  for (const Row& r : rows) {
    ledger.days[r.day][r.event->id] = r.t;
    ledger.sales[r.day][{r.event->id, r.tier}] = {r.tier, r.sold, r.refunded, r.t.revenue,
                                                  r.t.refunds};
  }
  EXPECT_EQ(storage::Migrate(*db, now, 7), 1);  // 0007 alone: the backfill
  ExpectRollupsAgree(*db, ledger);
  storage::AnalyticsStore store(*db);
  ManualClock clock;
  domain::AnalyticsService analytics(store, clock);
  ExpectEveryRange(analytics, ledger);
}

}  // namespace
}  // namespace evently::testing
