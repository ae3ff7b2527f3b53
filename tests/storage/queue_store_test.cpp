// The waiting room against a real store, on each engine: one ticket per user, the random
// pre-queue and the FIFO after it, admissions that never pass the rate (from two nodes racing on
// PostgreSQL), leaving, lapsed windows and sold out.
#include "storage/queue_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "domain/ids.hpp"
#include "support/booking_fixture.hpp"
#include "support/manual_clock.hpp"
#include "support/test_store.hpp"

namespace evently::testing {
namespace {

using domain::ErrorCode;
using domain::TicketStatus;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

class QueueStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    store_ = std::make_unique<storage::QueueStoreSql>(*db_);
    sale_start_ = clock_.Now() + minutes(10);
    event_ = CreateEvent(*db_, {{"General", 2, 5, 5000}}, clock_.Now() + std::chrono::hours(48));
    SetQueue(event_.id, 600);
  }

  void SetQueue(const std::string& event_id, std::int64_t rate) {
    static constexpr storage::Statement kQueue{
        "test_queue",
        "UPDATE events SET sale_starts_at = $2, queue_enabled = 1, queue_admit_per_minute = $3, "
        "queue_window_seconds = 60, queue_opens_before_seconds = 1800 WHERE id = $1"};
    db_->Write([&](storage::Connection& c) {
      c.Exec(kQueue, {event_id, domain::ToEpochMillis(sale_start_), rate});
    });
  }

  std::vector<std::string> Users(int n) {
    std::vector<std::string> users;
    for (int i = 0; i < n; ++i) {
      users.push_back(
          CreateUser(*db_, "q" + std::to_string(i) + "_" + domain::RandomHex(3) + "@example.com"));
    }
    return users;
  }

  static domain::Result<domain::QueueJoinOutcome> JoinOn(storage::QueueStoreSql& store,
                                                         const std::string& event_id,
                                                         const std::string& user,
                                                         domain::TimePoint now) {
    std::promise<domain::Result<domain::QueueJoinOutcome>> answer;
    store.Join({domain::NewUuidV7(now), event_id, user, now, domain::RandomU64()},
               [&](domain::Result<domain::QueueJoinOutcome> r) { answer.set_value(std::move(r)); });
    return answer.get_future().get();
  }
  domain::Result<domain::QueueJoinOutcome> Join(const std::string& user) {
    return JoinOn(*store_, event_.id, user, clock_.Now());
  }

  // The waiting tickets' users, in admission order.
  std::vector<std::string> WaitingOrder() {
    static constexpr storage::Statement kOrder{
        "test_queue_order",
        "SELECT user_id FROM queue_tickets WHERE event_id = $1 AND status = 'waiting' "
        "ORDER BY order_key"};
    auto rows = db_->ReadOne(kOrder, {event_.id});
    std::vector<std::string> users;
    for (std::size_t r = 0; r < rows.size(); ++r) users.push_back(rows.Text(r, 0));
    return users;
  }

  std::int64_t CountStatus(const std::string& status) {
    static constexpr storage::Statement kCount{
        "test_queue_count",
        "SELECT COUNT(*) FROM queue_tickets WHERE event_id = $1 AND status = $2"};
    return db_->ReadOne(kCount, {event_.id, status}).Int(0, 0);
  }

  ManualClock clock_{domain::SystemClock().Now()};
  std::unique_ptr<storage::QueueStoreSql> store_;
  domain::TimePoint sale_start_{};
  TestEvent event_;
};

TEST_F(QueueStoreTest, JoiningTwiceGivesTheSameTicket) {
  auto users = Users(1);
  auto first = Join(users[0]);
  ASSERT_TRUE(first.ok()) << first.error().Message();
  EXPECT_TRUE(first->created);
  auto second = Join(users[0]);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->ticket.id, first->ticket.id);
  // Both in one batch: one ticket.
  std::vector<std::future<domain::Result<domain::QueueJoinOutcome>>> racing;
  auto more = Users(1);
  for (int i = 0; i < 8; ++i) {
    racing.push_back(std::async(std::launch::async, [&] { return Join(more[0]); }));
  }
  std::set<std::string> ids;
  int created = 0;
  for (auto& f : racing) {
    auto r = f.get();
    ASSERT_TRUE(r.ok());
    ids.insert(r->ticket.id);
    created += r->created ? 1 : 0;
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(created, 1);
  EXPECT_EQ(CountStatus("waiting"), 2);
}

TEST_F(QueueStoreTest, ThePreQueueIsAPermutationNotArrivalOrderAndLaterJoinsQueueBehindInOrder) {
  auto early = Users(200);
  for (const auto& u : early) ASSERT_TRUE(Join(u).ok());
  std::vector<std::string> order = WaitingOrder();
  ASSERT_EQ(order.size(), early.size());
  EXPECT_TRUE(std::is_permutation(order.begin(), order.end(), early.begin()));
  EXPECT_NE(order, early) << "200 joins kept their arrival order: not shuffled";
  clock_.Advance(minutes(11));  // the sale has started
  auto late = Users(20);
  for (const auto& u : late) ASSERT_TRUE(Join(u).ok());
  order = WaitingOrder();
  ASSERT_EQ(order.size(), 220u);
  EXPECT_TRUE(std::is_permutation(order.begin(), order.begin() + 200, early.begin()));
  EXPECT_EQ(std::vector<std::string>(order.begin() + 200, order.end()), late);
}

TEST_F(QueueStoreTest, JoinsAreRefusedOnEventsWithoutAQueueOrBeforeItOpens) {
  auto users = Users(1);
  auto plain = CreateEvent(*db_, {{"General", 1, 2, 5000}}, clock_.Now() + std::chrono::hours(48));
  auto refused = JoinOn(*store_, plain.id, users[0], clock_.Now());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kQueueNotEnabled);
  auto early = JoinOn(*store_, event_.id, users[0], sale_start_ - minutes(31));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kQueueNotOpen);
  auto unknown = JoinOn(*store_, domain::NewUuidV7(clock_.Now()), users[0], clock_.Now());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kEventNotFound);
  auto ghost = JoinOn(*store_, event_.id, domain::NewUuidV7(clock_.Now()), clock_.Now());
  ASSERT_FALSE(ghost.ok());
  EXPECT_EQ(ghost.error().code, ErrorCode::kAuthTokenInvalid);
  EXPECT_EQ(CountStatus("waiting"), 0);
}

TEST_F(QueueStoreTest, AdmissionFollowsTheRateInOrder) {
  SetQueue(event_.id, 60);  // one a second
  auto users = Users(30);
  for (const auto& u : users) ASSERT_TRUE(Join(u).ok());
  std::vector<std::string> order = WaitingOrder();
  EXPECT_EQ(store_->Admit(event_.id, sale_start_ - seconds(1)).admitted, 0);
  EXPECT_EQ(store_->Admit(event_.id, sale_start_ + milliseconds(10'500)).admitted, 10);
  EXPECT_EQ(store_->Admit(event_.id, sale_start_ + milliseconds(10'900)).admitted, 0);
  EXPECT_EQ(store_->Admit(event_.id, sale_start_ + seconds(12)).admitted, 2);
  EXPECT_EQ(CountStatus("admitted"), 12);
  std::vector<std::string> waiting = WaitingOrder();
  EXPECT_EQ(waiting, std::vector<std::string>(order.begin() + 12, order.end()));
  auto ticket = store_->FindForUser(event_.id, order[0]);
  ASSERT_TRUE(ticket);
  EXPECT_EQ(ticket->status, TicketStatus::kAdmitted);
  EXPECT_EQ(*ticket->admission_expires_at, sale_start_ + milliseconds(10'500) + seconds(60));
  // The window lapses: expired.
  store_->Admit(event_.id, sale_start_ + seconds(71));
  EXPECT_EQ(store_->FindForUser(event_.id, order[0])->status, TicketStatus::kExpired);
}

TEST_F(QueueStoreTest, AllowanceNobodyWaitedForIsNotSpentLaterInABurst) {
  SetQueue(event_.id, 60);
  EXPECT_EQ(store_->Admit(event_.id, sale_start_ + seconds(100)).admitted, 0);
  auto users = Users(20);
  clock_.Advance(minutes(10) + seconds(100));  // 100 s into the sale
  for (const auto& u : users) ASSERT_TRUE(Join(u).ok());
  EXPECT_EQ(store_->Admit(event_.id, sale_start_ + milliseconds(103'500)).admitted, 3);
}

TEST_F(QueueStoreTest, TwoNodesRacingNeverAdmitMoreThanTheRate) {
  SetQueue(event_.id, 600);  // ten a second
  auto users = Users(150);
  for (const auto& u : users) ASSERT_TRUE(Join(u).ok());
  auto other_db = storage::OpenDatabase(url_, {4, 10000});
  storage::QueueStoreSql other(*other_db);
  std::atomic<std::int64_t> admitted{0};
  auto node = [&](storage::QueueStoreSql& store) {
    for (int tick = 0; tick < 60; ++tick) {
      auto now = sale_start_ + milliseconds(tick * 173);
      admitted += store.Admit(event_.id, now).admitted;
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back(node, std::ref(*store_));
    threads.emplace_back(node, std::ref(other));
  }
  for (auto& t : threads) t.join();
  // The latest instant any round used: 59 × 173 ms.
  std::int64_t allowed =
      domain::AllowedAdmissions(600, sale_start_, sale_start_ + milliseconds(59 * 173));
  EXPECT_EQ(admitted.load(), allowed);
  EXPECT_EQ(CountStatus("admitted"), allowed);
}

TEST_F(QueueStoreTest, LeavingFreesThePlace) {
  auto users = Users(5);
  for (const auto& u : users) ASSERT_TRUE(Join(u).ok());
  std::vector<std::string> order = WaitingOrder();
  auto left = store_->Leave(event_.id, order[0], clock_.Now());
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->status, TicketStatus::kLeft);
  EXPECT_EQ(store_->WaitingKeys(event_.id).size(), 4u);
  SetQueue(event_.id, 60);
  EXPECT_EQ(store_->Admit(event_.id, sale_start_ + milliseconds(1'500)).admitted, 1);
  EXPECT_EQ(store_->FindForUser(event_.id, order[1])->status, TicketStatus::kAdmitted);
  EXPECT_EQ(store_->FindForUser(event_.id, order[0])->status, TicketStatus::kLeft);
  auto stranger = store_->Leave(event_.id, Users(1)[0], clock_.Now());
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, ErrorCode::kQueueTicketNotFound);
}

TEST_F(QueueStoreTest, NoSeatLeftTurnsWaitingTicketsSoldOutAndRefusesJoins) {
  auto users = Users(4);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Join(users[static_cast<std::size_t>(i)]).ok());
  static constexpr storage::Statement kSell{
      "test_sell_all", "UPDATE seats SET status = 'booked' WHERE event_id = $1"};
  static constexpr storage::Statement kNone{
      "test_none_available", "UPDATE event_sections SET available = 0 WHERE event_id = $1"};
  static constexpr storage::Statement kHoldOne{
      "test_hold_one",
      "UPDATE seats SET status = 'held' WHERE id = "
      "(SELECT id FROM seats WHERE event_id = $1 ORDER BY id LIMIT 1)"};
  // None available but one held: a pending booking may still give it back, so nobody is told
  // sold out yet (before the start, so that nobody is admitted either).
  db_->Write([&](storage::Connection& c) {
    c.Exec(kSell, {event_.id});
    c.Exec(kHoldOne, {event_.id});
    c.Exec(kNone, {event_.id});
  });
  auto waiting = store_->Admit(event_.id, sale_start_ - seconds(1));
  EXPECT_EQ(waiting.sold_out, 0);
  EXPECT_EQ(CountStatus("waiting"), 3);
  ASSERT_TRUE(JoinOn(*store_, event_.id, users[3], sale_start_ - seconds(1)).ok());  // still open
  db_->Write([&](storage::Connection& c) { c.Exec(kSell, {event_.id}); });  // the hold was sold
  auto round = store_->Admit(event_.id, sale_start_ + seconds(5));
  EXPECT_EQ(round.sold_out, 4);
  EXPECT_EQ(round.admitted, 0);
  EXPECT_EQ(CountStatus("sold_out"), 4);
  auto late = JoinOn(*store_, event_.id, Users(1)[0], sale_start_ + seconds(6));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kEventSoldOut);
  auto again = JoinOn(*store_, event_.id, users[0], sale_start_ + seconds(6));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ticket.status, TicketStatus::kSoldOut);
}

}  // namespace
}  // namespace evently::testing
