// Pure waiting-room rules: the order keys, the admission allowance, joins refused, the position
// snapshot and the admission token.
#include <gtest/gtest.h>

#include <algorithm>

#include "domain/queue/queue.hpp"
#include "domain/queue/waiting_order.hpp"
#include "security/admission_token.hpp"

namespace evently::domain {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kStart = FromEpochMillis(1'800'000'000'000);

TEST(QueueOrder, EarlyJoinsDrawRandomKeysBelowEveryLaterArrival) {
  EXPECT_LT(OrderKey(kStart, kStart - seconds(1), ~std::uint64_t{0}, 0), kArrivalKeyBase);
  EXPECT_EQ(OrderKey(kStart, kStart, 12345, 7), kArrivalKeyBase + 7);
  EXPECT_LT(OrderKey(kStart, kStart + seconds(1), 0, 1), OrderKey(kStart, kStart, 0, 2));
  EXPECT_FALSE(JoinsBeforeStart(std::nullopt, kStart));
}

TEST(QueueAdmission, AllowanceGrowsEvenlyWithTheRate) {
  EXPECT_EQ(AllowedAdmissions(600, kStart, kStart - seconds(5)), 0);
  EXPECT_EQ(AllowedAdmissions(600, kStart, kStart + milliseconds(99)), 0);
  EXPECT_EQ(AllowedAdmissions(600, kStart, kStart + milliseconds(100)), 1);
  EXPECT_EQ(AllowedAdmissions(600, kStart, kStart + seconds(1)), 10);
  EXPECT_EQ(AllowedAdmissions(1, kStart, kStart + seconds(59)), 0);
  EXPECT_EQ(AllowedAdmissions(1, kStart, kStart + minutes(3)), 3);
  EXPECT_EQ(AllowedAdmissions(kMaxAdmitPerMinute, kStart, kStart + std::chrono::hours(24 * 365)),
            kMaxAdmitPerMinute * 60 * 24 * 365);
  EXPECT_EQ(EstimatedWaitSeconds(120, 600), 12);
  EXPECT_EQ(EstimatedWaitSeconds(1, 600), 0);
}

TEST(QueueAdmission, UpdatesWhenThePositionMovesByOnePercent) {
  EXPECT_TRUE(PositionMovedEnough(1000, 990));
  EXPECT_FALSE(PositionMovedEnough(1000, 991));
  EXPECT_TRUE(PositionMovedEnough(2, 1));
  EXPECT_FALSE(PositionMovedEnough(5, 5));
}

TEST(QueueJoin, RefusalsInOrder) {
  QueueFacts facts;
  facts.start = kStart + std::chrono::hours(48);
  facts.sale_starts_at = kStart;
  EXPECT_EQ(RefuseJoin(facts, kStart)->code, ErrorCode::kQueueNotEnabled);
  facts.queue = QueueSettings{false, 60, 600, 1800};
  EXPECT_EQ(RefuseJoin(facts, kStart)->code, ErrorCode::kQueueNotEnabled);
  facts.queue->enabled = true;
  auto early = RefuseJoin(facts, kStart - minutes(31));
  ASSERT_TRUE(early);
  EXPECT_EQ(early->code, ErrorCode::kQueueNotOpen);
  EXPECT_EQ(early->details.strings.at(0).second, FormatRfc3339(kStart - minutes(30)));
  EXPECT_FALSE(RefuseJoin(facts, kStart - minutes(30)));
  facts.sold_out = true;
  EXPECT_EQ(RefuseJoin(facts, kStart)->code, ErrorCode::kEventSoldOut);
  facts.cancelled = true;
  EXPECT_EQ(RefuseJoin(facts, kStart)->code, ErrorCode::kEventNotBookable);
  facts.cancelled = false;
  facts.sold_out = false;
  EXPECT_EQ(RefuseJoin(facts, facts.start)->code, ErrorCode::kEventNotBookable);  // started
  EXPECT_FALSE(RefuseJoin(facts, facts.start - minutes(1)));
}

TEST(QueueSettingsCheck, NeedsASaleStartAndRanges) {
  std::vector<FieldIssue> issues;
  CheckQueueSettings(QueueSettings{true, 60, 600, 0}, std::nullopt, issues);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].field, "queue");
  issues.clear();
  CheckQueueSettings(QueueSettings{true, 0, 59, 86401}, kStart, issues);
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues[0].field, "queue.admit_per_minute");
  EXPECT_EQ(issues[1].field, "queue.window_seconds");
  EXPECT_EQ(issues[2].field, "queue.opens_before_seconds");
  issues.clear();
  CheckQueueSettings(QueueSettings{true, 600'000, 3600, 86400}, kStart, issues);  // the bounds
  EXPECT_TRUE(issues.empty());
  issues.clear();
  CheckQueueSettings(std::nullopt, std::nullopt, issues);
  EXPECT_TRUE(issues.empty());
}

TEST(WaitingOrderSnapshot, PositionsByBinarySearchReloadedAboutOnceASecond) {
  int loads = 0;
  std::vector<std::int64_t> stored = {10, 20, 30, 40};
  WaitingOrder order([&](const std::string&) {
    ++loads;
    return stored;
  });
  EXPECT_EQ(order.Position("e", 30, kStart, true), 3);
  EXPECT_EQ(order.Position("e", 10, kStart + milliseconds(500), true), 1);
  EXPECT_EQ(loads, 1);
  order.Joined("e", {25, 5});
  EXPECT_EQ(order.Position("e", 30, kStart + milliseconds(600), true), 5);
  order.Admitted("e", 2);  // 5 and 10
  EXPECT_EQ(order.Position("e", 30, kStart + milliseconds(700), true), 3);
  order.Left("e", 20);
  EXPECT_EQ(order.Position("e", 30, kStart + milliseconds(800), true), 2);
  EXPECT_EQ(order.Keys(), 3u);
  stored = {40};
  EXPECT_EQ(order.Position("e", 40, kStart + milliseconds(900), false), 3);  // no reload
  EXPECT_EQ(order.Position("e", 40, kStart + milliseconds(1100), true), 1);
  EXPECT_EQ(loads, 2);
}

TEST(AdmissionToken, BindsTicketUserEventAndWindow) {
  security::AdmissionTokenCodec codec("a-secret-of-at-least-thirty-two-bytes!!");
  security::AdmissionTokenCodec other("another-secret-of-thirty-two-bytes!!!!");
  QueueTicket t;
  t.id = "01a2185d-7000-7a00-8000-000000000001";
  t.user_id = "01a2185d-6000-7000-8000-0000000000aa";
  t.event_id = "01a2185d-6419-75ba-832b-0a85ced7e89a";
  t.admission_expires_at = kStart + minutes(10);
  std::string token = codec.Issue(t);
  EXPECT_TRUE(codec.Verify(token, t.user_id, t.event_id, kStart));
  EXPECT_FALSE(codec.Verify(token, t.user_id, t.event_id, kStart + minutes(10)));
  EXPECT_FALSE(codec.Verify(token, "01a2185d-6000-7000-8000-0000000000bb", t.event_id, kStart));
  EXPECT_FALSE(codec.Verify(token, t.user_id, "01a2185d-6419-75ba-832b-0a85ced7e89b", kStart));
  EXPECT_FALSE(other.Verify(token, t.user_id, t.event_id, kStart));
  std::string longer = token;
  longer.replace(longer.find("1800000600000"), 13, "1900000600000");
  EXPECT_FALSE(codec.Verify(longer, t.user_id, t.event_id, kStart));
  EXPECT_FALSE(codec.Verify("", t.user_id, t.event_id, kStart));
  EXPECT_FALSE(codec.Verify("q1.a.b.c.d.e.f", t.user_id, t.event_id, kStart));
}

}  // namespace
}  // namespace evently::domain
