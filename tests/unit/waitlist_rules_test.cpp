// Pure waitlist and notification rules: the wait estimate, backoff, notices.
#include <gtest/gtest.h>

#include "domain/notifications/notification.hpp"
#include "domain/waitlist/waitlist.hpp"

namespace evently::domain {
namespace {

using std::chrono::hours;

TEST(WaitEstimate, UnknownWithoutReleases) {
  EXPECT_EQ(EstimateWaitTime(1, 0), "unknown");
  EXPECT_EQ(EstimateWaitTime(0, 5), "unknown");
}

TEST(WaitEstimate, ScalesWithPositionOverTheReleaseRate) {
  EXPECT_EQ(EstimateWaitTime(1, 48), "less than an hour");  // two releases an hour
  EXPECT_EQ(EstimateWaitTime(5, 24), "5-6 hours");
  EXPECT_EQ(EstimateWaitTime(42, 24), "1-2 days");  // 42 h
  EXPECT_EQ(EstimateWaitTime(60, 24), "2-3 days");
  EXPECT_EQ(EstimateWaitTime(10, 1), "1-2 weeks");  // 240 h
  EXPECT_EQ(EstimateWaitTime(1000, 1), "more than 4 weeks");
  EXPECT_EQ(EstimateWaitTime(3, 6, hours(6)), "3-4 hours");
}

TEST(DeliveryBackoff, DoublesUpToTheCap) {
  DeliveryPolicy policy;
  policy.max_backoff = std::chrono::seconds(600);
  EXPECT_EQ(policy.Backoff(1), std::chrono::seconds(1));
  EXPECT_EQ(policy.Backoff(2), std::chrono::seconds(2));
  EXPECT_EQ(policy.Backoff(5), std::chrono::seconds(16));
  EXPECT_EQ(policy.Backoff(11), std::chrono::seconds(600));
  EXPECT_EQ(policy.Backoff(1000), std::chrono::seconds(600));
  policy.max_attempts = 3;
  EXPECT_FALSE(policy.GivesUpAfter(2));
  EXPECT_TRUE(policy.GivesUpAfter(3));
}

TEST(Notices, SayWhatHappenedAndUntilWhen) {
  Notice offer = WaitlistOfferNotice("Summer Fest", 2, FromEpochMillis(1705314600000));
  EXPECT_EQ(offer.kind, NotificationKind::kWaitlistOffer);
  EXPECT_NE(offer.body.find("2 seats for Summer Fest"), std::string::npos);
  EXPECT_NE(offer.body.find("2024-01-15T10:30:00Z"), std::string::npos);
  EXPECT_LE(offer.sms.size(), 160u);
  Notice refund = BookingCancelledNotice("Summer Fest", "EVT2024011500001", 50000, "USD");
  EXPECT_NE(refund.body.find("USD 500.00"), std::string::npos);
  EXPECT_EQ(BookingCancelledNotice("X", "C", 0, "USD").body.find("refund"), std::string::npos);
  EXPECT_EQ(NotificationKindName(EventCancelledNotice("X", true).kind), "event_cancelled");
}

}  // namespace
}  // namespace evently::domain
