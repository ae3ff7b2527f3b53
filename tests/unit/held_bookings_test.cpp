// The pending holds a node remembers for their confirmations: bounded, and forgotten when decided.
#include "domain/booking/held_bookings.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evently::domain {
namespace {

Booking Pending(const std::string& id, const std::string& event_id, TimePoint expires_at) {
  Booking b;
  b.id = id;
  b.user_id = "user-" + id;
  b.event.id = event_id;
  b.total_amount = 1500;
  b.currency = "USD";
  b.expires_at = expires_at;
  return b;
}

TEST(HeldBookings, RemembersWhatTheChargeNeeds) {
  HeldBookings held(10);
  TimePoint now{};
  held.Remember(Pending("a", "e1", now + std::chrono::minutes(5)), now);
  auto facts = held.Find("a");
  ASSERT_TRUE(facts.has_value());
  EXPECT_EQ(facts->user_id, "user-a");
  EXPECT_EQ(facts->event_id, "e1");
  EXPECT_EQ(facts->total_amount, 1500);
  EXPECT_EQ(facts->currency, "USD");
  EXPECT_EQ(facts->expires_at, now + std::chrono::minutes(5));
  EXPECT_FALSE(held.Find("b").has_value());
  held.Forget("a");
  EXPECT_FALSE(held.Find("a").has_value());
}

TEST(HeldBookings, WhenFullHoldsPastTheirTimeMakeRoomElseNothingIsAdded) {
  HeldBookings held(2);
  TimePoint now{};
  held.Remember(Pending("old", "e1", now + std::chrono::seconds(1)), now);
  held.Remember(Pending("live", "e1", now + std::chrono::minutes(5)), now);
  now += std::chrono::seconds(2);
  held.Remember(Pending("new", "e1", now + std::chrono::minutes(5)), now);
  EXPECT_FALSE(held.Find("old").has_value());
  EXPECT_TRUE(held.Find("new").has_value());
  held.Remember(Pending("more", "e1", now + std::chrono::minutes(5)), now);
  EXPECT_FALSE(held.Find("more").has_value());
  EXPECT_TRUE(held.Find("live").has_value());
  EXPECT_EQ(held.size(), 2u);
}

// Full of live holds, the cache adds nothing until its earliest hold has passed; then that one
// makes room.
TEST(HeldBookings, AFullCacheMakesRoomOnceItsEarliestHoldHasPassed) {
  HeldBookings held(2);
  TimePoint now{};
  held.Remember(Pending("soon", "e1", now + std::chrono::minutes(5)), now);
  held.Remember(Pending("late", "e1", now + std::chrono::minutes(10)), now);
  held.Remember(Pending("early", "e1", now + std::chrono::minutes(5)),
                now + std::chrono::minutes(1));
  EXPECT_FALSE(held.Find("early").has_value());
  now += std::chrono::minutes(6);
  held.Remember(Pending("next", "e1", now + std::chrono::minutes(5)), now);
  EXPECT_TRUE(held.Find("next").has_value());
  EXPECT_FALSE(held.Find("soon").has_value());
  EXPECT_TRUE(held.Find("late").has_value());
  now += std::chrono::minutes(4);  // "late" has passed: it makes room in turn
  held.Remember(Pending("last", "e1", now + std::chrono::minutes(5)), now);
  EXPECT_TRUE(held.Find("last").has_value());
  EXPECT_FALSE(held.Find("late").has_value());
  EXPECT_TRUE(held.Find("next").has_value());
}

// Holds that lapse unpaid are never forgotten one by one: they must not stay until the cache is
// full (100,000 of them on a server, tens of MiB that a soak sees as a leak).
TEST(HeldBookings, HoldsPastTheirTimeGoWithoutWaitingForTheCacheToFill) {
  HeldBookings held(1000);
  TimePoint now{};
  for (int i = 0; i < 50; ++i) {
    held.Remember(Pending("lapsed-" + std::to_string(i), "e1", now + std::chrono::seconds(1)), now);
  }
  held.Remember(Pending("live", "e1", now + std::chrono::minutes(5)), now);
  EXPECT_EQ(held.size(), 51u);
  now += std::chrono::seconds(11);
  held.Remember(Pending("next", "e1", now + std::chrono::minutes(5)), now);
  EXPECT_EQ(held.size(), 2u);
  EXPECT_TRUE(held.Find("live").has_value());
  EXPECT_TRUE(held.Find("next").has_value());
  EXPECT_FALSE(held.Find("lapsed-0").has_value());
  // Not on every hold, though: a sweep is O(entries), so the next one waits ten seconds.
  held.Remember(Pending("brief", "e1", now + std::chrono::seconds(1)), now);
  now += std::chrono::seconds(2);
  held.Remember(Pending("later", "e1", now + std::chrono::minutes(5)), now);
  EXPECT_TRUE(held.Find("brief").has_value());
  now += std::chrono::seconds(9);
  held.Remember(Pending("last", "e1", now + std::chrono::minutes(5)), now);
  EXPECT_FALSE(held.Find("brief").has_value());
  EXPECT_EQ(held.size(), 4u);
}

TEST(HeldBookings, AnEventsCancellationForgetsItsHoldsOnly) {
  HeldBookings held(10);
  TimePoint now{};
  held.Remember(Pending("a", "e1", now + std::chrono::minutes(5)), now);
  held.Remember(Pending("b", "e2", now + std::chrono::minutes(5)), now);
  held.ForgetEvent("e1");
  EXPECT_FALSE(held.Find("a").has_value());
  EXPECT_TRUE(held.Find("b").has_value());
}

TEST(HeldBookings, CapacityZeroRemembersNothing) {
  HeldBookings held(0);
  held.Remember(Pending("a", "e1", TimePoint{} + std::chrono::minutes(5)), TimePoint{});
  EXPECT_EQ(held.size(), 0u);
}

}  // namespace
}  // namespace evently::domain
