// Analytics figures are exact: a known history across days, tiers and outcomes, on each engine.
#include <gtest/gtest.h>

#include "support/analytics_fixture.hpp"

namespace evently::testing {
namespace {

class AnalyticsTest : public AnalyticsWorld {
 protected:
  void SetUp() override {
    AnalyticsWorld::SetUp();
    if (IsSkipped() || HasFailure()) return;
    auto start = *domain::ParseRfc3339("2030-06-01T18:00:00Z");
    e1_ = CreateEvent(*db_, {{"VIP", 2, 5, 10000}, {"GA", 3, 10, 2000}}, start);
    e2_ = CreateEvent(*db_, {{"GA", 1, 10, 1000}}, start);
    BuildHistory();
  }

  // Day 1: two confirmed sales (VIP 200.00, GA 20.00) and an abandoned hold.
  // Day 2: the VIP sale is cancelled and refunded, an E2 hold expires, E2 sells 20.00.
  void BuildHistory() {
    auto vip = bookings_->Hold(alice_, e1_.id, {e1_.seat_ids[0], e1_.seat_ids[1]});
    ASSERT_TRUE(bookings_->Confirm(alice_, vip->id, kGoodToken).ok());
    auto ga = bookings_->Hold(bob_, e1_.id, {e1_.seat_ids[10]});
    ASSERT_TRUE(bookings_->Confirm(bob_, ga->id, kGoodToken).ok());
    auto dropped = bookings_->Hold(carol_, e1_.id, {e1_.seat_ids[2]});
    ASSERT_TRUE(bookings_->Cancel(carol_, dropped->id).ok());

    clock_.Advance(std::chrono::hours(24));
    ASSERT_TRUE(bookings_->Cancel(alice_, vip->id).ok());
    ASSERT_TRUE(bookings_->Hold(bob_, e2_.id, {e2_.seat_ids[0]}).ok());
    clock_.Advance(std::chrono::minutes(6));
    ASSERT_EQ(bookings_->ExpireDue(), 1);
    auto two = bookings_->Hold(dave_, e2_.id, {e2_.seat_ids[1], e2_.seat_ids[2]});
    ASSERT_TRUE(bookings_->Confirm(dave_, two->id, kGoodToken).ok());
  }

  TestEvent e1_, e2_;
};

TEST_F(AnalyticsTest, DashboardFiguresAreExact) {
  domain::Dashboard d = analytics_->GetDashboard(Range("2030-03-01", "2030-03-03"));
  EXPECT_EQ(d.total_events, 2);
  EXPECT_EQ(d.figures.bookings, 3);
  EXPECT_EQ(d.figures.revenue, 20000 + 2000 + 2000 - 20000);
  EXPECT_EQ(d.figures.holds, 5);
  EXPECT_EQ(d.figures.expired_holds, 1);
  EXPECT_NEAR(d.figures.cancellation_rate, 100.0 / 3.0, 1e-9);
  EXPECT_NEAR(d.figures.conversion_rate, 60.0, 1e-9);
  ASSERT_EQ(d.figures.trends.size(), 3u);
  EXPECT_EQ(d.figures.trends[0].day, "2030-03-01");
  EXPECT_EQ(d.figures.trends[0].totals.confirmations, 2);
  EXPECT_EQ(d.figures.trends[0].totals.revenue - d.figures.trends[0].totals.refunds, 22000);
  EXPECT_EQ(d.figures.trends[1].totals.revenue - d.figures.trends[1].totals.refunds, -18000);
  EXPECT_EQ(d.figures.trends[2].totals.confirmations, 0);
  // E1: 1 of 40 seats sold now (2.5%); E2: 2 of 10 (20%).
  EXPECT_NEAR(d.average_capacity_utilization, (2.5 + 20.0) / 2, 1e-9);
  ASSERT_EQ(d.top_events.size(), 2u);
  EXPECT_EQ(d.top_events[0].event_id, e1_.id);
  EXPECT_EQ(d.top_events[0].bookings, 2);
  EXPECT_EQ(d.top_events[0].revenue, 2000);
  EXPECT_EQ(d.top_events[1].bookings, 1);
  ASSERT_EQ(d.revenue_by_category.size(), 2u);
  EXPECT_EQ(d.revenue_by_category[0].tier, "GA");
  EXPECT_EQ(d.revenue_by_category[0].revenue - d.revenue_by_category[0].refunds, 4000);
  EXPECT_EQ(d.revenue_by_category[1].tier, "VIP");
  EXPECT_EQ(d.revenue_by_category[1].revenue - d.revenue_by_category[1].refunds, 0);
}

TEST_F(AnalyticsTest, RangesCutByDay) {
  domain::Dashboard day2 = analytics_->GetDashboard(Range("2030-03-02", "2030-03-02"));
  EXPECT_EQ(day2.figures.bookings, 1);
  EXPECT_EQ(day2.figures.revenue, -18000);
  EXPECT_EQ(day2.figures.holds, 2);
  domain::Dashboard before = analytics_->GetDashboard(Range("2030-01-01", "2030-02-28"));
  EXPECT_EQ(before.total_events, 0);
  EXPECT_EQ(before.figures.bookings, 0);
  EXPECT_EQ(before.figures.trends.size(), 59u);
}

TEST_F(AnalyticsTest, EventFiguresPerTier) {
  auto a = analytics_->GetEvent(e1_.id, Range("2030-03-01", "2030-03-03"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->figures.bookings, 2);
  EXPECT_EQ(a->seats_held, 0);
  EXPECT_NEAR(a->utilization, 2.5, 1e-9);
  ASSERT_EQ(a->tiers.size(), 2u);
  EXPECT_EQ(a->tiers[0].state.tier, "VIP");
  EXPECT_EQ(a->tiers[0].state.sold, 0);
  EXPECT_EQ(a->tiers[0].activity.seats_sold, 2);
  EXPECT_EQ(a->tiers[0].activity.seats_refunded, 2);
  EXPECT_EQ(a->tiers[1].state.sold, 1);
  EXPECT_EQ(a->tiers[1].state.available, 29);
  EXPECT_EQ(a->tiers[1].activity.revenue, 2000);
  EXPECT_EQ(analytics_->GetEvent(domain::NewUuidV7(clock_.Now()), Range("2030-03-01", "2030-03-01"))
                .error()
                .code,
            domain::ErrorCode::kEventNotFound);
}

TEST_F(AnalyticsTest, RangeValidation) {
  using S = std::optional<std::string>;
  EXPECT_FALSE(analytics_->ResolveRange(S("2030-13-01"), S()).ok());
  EXPECT_FALSE(analytics_->ResolveRange(S("2030-03-05"), S("2030-03-01")).ok());
  EXPECT_FALSE(analytics_->ResolveRange(S("2029-01-01"), S("2030-03-01")).ok());
  auto defaults = analytics_->ResolveRange(S(), S());
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->last_day, "2030-03-02");
  EXPECT_EQ(defaults->first_day, "2030-02-01");
}

}  // namespace
}  // namespace evently::testing
