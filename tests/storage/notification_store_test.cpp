// Notifications against a real store, on each engine: the in-app list, and outbox delivery with
// leases, retries, backoff and giving up.
#include "storage/notification_store.hpp"

#include <gtest/gtest.h>

#include "support/waitlist_fixture.hpp"

namespace evently::testing {
namespace {

using domain::Channel;
using domain::ErrorCode;

// A transport that records what it was asked to send and fails while told to.
class FakeTransport final : public domain::DeliveryTransport {
 public:
  std::vector<domain::Status> SendAll(const std::vector<domain::Delivery>& deliveries) override {
    std::vector<domain::Status> out;
    for (const auto& d : deliveries) {
      sent.push_back(d);
      out.push_back(failing ? domain::Status(domain::MakeError(ErrorCode::kServiceUnavailable,
                                                               "smtp: connection refused"))
                            : domain::Ok());
    }
    return out;
  }
  bool failing = false;
  std::vector<domain::Delivery> sent;
};

class NotificationTest : public WaitlistTest {
 protected:
  // Two cancelled holds: alice gets two "booking_cancelled" notices, each with one email.
  void TwoNotices() {
    auto a = bookings_->Hold(alice_, event_.id, {event_.seat_ids[0]});
    clock_.Advance(std::chrono::milliseconds(10));
    auto b = bookings_->Hold(alice_, event_.id, {event_.seat_ids[1]});
    ASSERT_TRUE(bookings_->Cancel(alice_, a->id).ok());
    clock_.Advance(std::chrono::milliseconds(10));
    ASSERT_TRUE(bookings_->Cancel(alice_, b->id).ok());
  }
  FakeTransport email_;
};

TEST_F(NotificationTest, ListsNewestFirstAndMarksRead) {
  TwoNotices();
  auto all = notifications_->ListMine(alice_, {1, 1}, false);
  EXPECT_EQ(all.total, 2);
  ASSERT_EQ(all.items.size(), 1u);
  EXPECT_EQ(all.items[0].kind, "booking_cancelled");
  EXPECT_EQ(all.items[0].event_id, event_.id);
  EXPECT_FALSE(all.items[0].read_at.has_value());
  auto read = notifications_->MarkRead(alice_, all.items[0].id);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->read_at.has_value());
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_EQ(notifications_->MarkRead(alice_, all.items[0].id)->read_at, read->read_at);
  EXPECT_EQ(notifications_->ListMine(alice_, {1, 20}, true).total, 1);
  EXPECT_EQ(notifications_->MarkRead(bob_, all.items[0].id).error().code,
            ErrorCode::kNotificationNotFound);
  EXPECT_EQ(notifications_->MarkRead(alice_, "x").error().code, ErrorCode::kNotificationNotFound);
  EXPECT_EQ(notifications_->ListMine(bob_, {1, 20}, false).total, 0);
}

TEST_F(NotificationTest, DeliversEachOutboxRowOnce) {
  TwoNotices();
  EXPECT_EQ(notifications_->Deliver(Channel::kEmail, email_), 2);
  ASSERT_EQ(email_.sent.size(), 2u);
  EXPECT_EQ(email_.sent[0].recipient, "alice@example.com");
  EXPECT_EQ(email_.sent[0].subject, "Booking cancelled: Fixture Night");
  EXPECT_EQ(notifications_->Deliver(Channel::kEmail, email_), 0);
  EXPECT_EQ(notifications_->Deliver(Channel::kSms, email_), 0);
  for (const auto& row : Outbox(alice_)) EXPECT_EQ(row.status, "delivered");
}

TEST_F(NotificationTest, FailuresBackOffThenGiveUp) {
  TwoNotices();
  email_.failing = true;
  EXPECT_EQ(notifications_->Deliver(Channel::kEmail, email_), 2);
  EXPECT_EQ(notifications_->Deliver(Channel::kEmail, email_), 0);  // backing off for 1 s
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(notifications_->Deliver(Channel::kEmail, email_), 2);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(notifications_->Deliver(Channel::kEmail, email_), 0);  // 2 s this time
  clock_.Advance(std::chrono::seconds(1));
  email_.failing = false;  // the server is back, but max_attempts is 3: one more try
  EXPECT_EQ(notifications_->Deliver(Channel::kEmail, email_), 2);
  for (const auto& row : Outbox(alice_)) {
    EXPECT_EQ(row.status, "delivered");
    EXPECT_EQ(row.attempts, 3);
  }
  // Beyond the attempts allowed a delivery is marked failed, kept for operators.
  auto c = bookings_->Hold(bob_, event_.id, {event_.seat_ids[2]});
  ASSERT_TRUE(bookings_->Cancel(bob_, c->id).ok());
  email_.failing = true;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(notifications_->Deliver(Channel::kEmail, email_), 1);
    clock_.Advance(std::chrono::seconds(10));
  }
  EXPECT_EQ(notifications_->Deliver(Channel::kEmail, email_), 0);
  EXPECT_EQ(Outbox(bob_)[0].status, "failed");
}

// Several nodes run the worker: a claimed delivery is leased to one of them; another takes it
// only when that lease ran out (the first node died mid-send).
TEST_F(NotificationTest, LeasesKeepNodesFromSendingTwice) {
  TwoNotices();
  auto other_db = storage::OpenDatabase(url_, {2, 10000});
  storage::NotificationStore other(*other_db);
  auto claimed =
      notification_store_->ClaimDue(Channel::kEmail, clock_.Now(), std::chrono::seconds(30), 10);
  EXPECT_EQ(claimed.size(), 2u);
  EXPECT_TRUE(other.ClaimDue(Channel::kEmail, clock_.Now(), std::chrono::seconds(30), 10).empty());
  clock_.Advance(std::chrono::seconds(31));
  auto taken_over = other.ClaimDue(Channel::kEmail, clock_.Now(), std::chrono::seconds(30), 10);
  ASSERT_EQ(taken_over.size(), 2u);
  EXPECT_EQ(taken_over[0].attempts, 1);  // the dead node's attempt counts
}

}  // namespace
}  // namespace evently::testing
