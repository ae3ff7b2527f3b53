// Live seat data from the store: availability snapshots on each engine, and the cross-node
// change feed on PostgreSQL (NOTIFY in the committing transaction, a listener that reconnects).
#include "storage/seat_feed.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <thread>

#include "storage/availability_store.hpp"
#include "support/waitlist_fixture.hpp"

namespace evently::testing {
namespace {

using namespace std::chrono_literals;

// Collects published changes and lets a test wait for them.
class WaitingSink final : public domain::SeatChangeSink {
 public:
  void Publish(const domain::SeatChange& change) override {
    std::lock_guard lock(mu_);
    changes_.push_back(change);
    cv_.notify_all();
  }
  std::vector<domain::SeatChange> WaitFor(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return changes_.size() >= n; });
    return changes_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<domain::SeatChange> changes_;
};

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

class SeatFeedTest : public WaitlistTest {};

TEST_F(SeatFeedTest, AvailabilityCountsPerTierAndFollowsChanges) {
  auto tiers = CreateEvent(*db_, {{"VIP", 1, 2, 9000}, {"Floor", 2, 3, 2500}},
                           clock_.Now() + std::chrono::hours(5));
  storage::AvailabilityStore reader(*db_);
  auto before = reader.Read(tiers.id);
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->available_seats, 8);
  ASSERT_EQ(before->by_tier.size(), 2u);
  EXPECT_EQ(before->by_tier[0], (std::pair<std::string, std::int64_t>{"VIP", 2}));
  EXPECT_EQ(before->by_tier[1], (std::pair<std::string, std::int64_t>{"Floor", 6}));
  ASSERT_TRUE(bookings_->Hold(bob_, tiers.id, {tiers.seat_ids[0], tiers.seat_ids[3]}).ok());
  auto after = reader.Read(tiers.id);
  EXPECT_EQ(after->available_seats, 6);
  EXPECT_EQ(after->by_tier[0].second, 1);
  EXPECT_GT(after->seat_version, before->seat_version);
  EXPECT_FALSE(reader.Read(domain::NewUuidV7(clock_.Now())).has_value());
}

TEST(SeatNotice, RoundTripsAndSplitsLargeChanges) {
  domain::SeatChange change{domain::NewUuidV7(domain::SystemClock().Now()), {}, "available", 1234};
  for (int i = 0; i < 500; ++i) change.seat_ids.push_back(domain::NewUuidV7({}));
  auto notices = storage::EncodeSeatNotices("node1", change);
  ASSERT_GT(notices.size(), 1u);
  std::vector<std::string> ids;
  for (const auto& payload : notices) {
    EXPECT_LT(payload.size(), 8000u);
    auto decoded = storage::DecodeSeatNotice(payload);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->origin, "node1");
    EXPECT_EQ(decoded->change.event_id, change.event_id);
    EXPECT_EQ(decoded->change.available_seats, 1234);
    ids.insert(ids.end(), decoded->change.seat_ids.begin(), decoded->change.seat_ids.end());
  }
  EXPECT_EQ(ids, change.seat_ids);
  for (const std::string& bad : std::vector<std::string>{"", "a|b", "n|not-a-uuid|held|1|",
                                                         "n|" + change.event_id + "|held|x|",
                                                         "n|" + change.event_id + "|held|1|zz"}) {
    EXPECT_FALSE(storage::DecodeSeatNotice(bad).has_value()) << bad;
  }
}

class PgFeedTest : public SeatFeedTest {
 protected:
  void SetUp() override {
    if (TestEngine() != "postgres") GTEST_SKIP() << "the cross-node feed is PostgreSQL's";
    SeatFeedTest::SetUp();
  }
};

// A change committed through another store (another node) reaches this node's listener; this
// node's own changes and rolled-back ones do not.
TEST_F(PgFeedTest, CommittedChangesOfOtherNodesArrive) {
  WaitingSink sink;
  storage::SeatChangeListener theirs(url_, sink, nullptr, "someone-else");
  storage::SeatChangeListener ours(url_, sink, nullptr);  // skips this process's notices
  theirs.Start();
  ours.Start();
  ASSERT_TRUE(WaitUntil([&] { return theirs.connected() && ours.connected(); }, 5000ms));
  auto held = bookings_->Hold(bob_, event_.id, {event_.seat_ids[0]});
  ASSERT_TRUE(held.ok());
  auto got = sink.WaitFor(1, 3000ms);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].event_id, event_.id);
  EXPECT_EQ(got[0].seat_ids, std::vector<std::string>{event_.seat_ids[0]});
  EXPECT_EQ(got[0].status, "held");
  EXPECT_EQ(got[0].available_seats, 3);
  // All or nothing: a hold refused inside its transaction announces nothing.
  EXPECT_FALSE(bookings_->Hold(carol_, event_.id, {event_.seat_ids[0]}).ok());
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(sink.WaitFor(2, 10ms).size(), 1u);
}

TEST_F(PgFeedTest, TheListenerReconnectsByItselfAndAsksForAResync) {
  WaitingSink sink;
  std::atomic<int> resyncs{0};
  storage::SeatChangeListener listener(
      url_, sink, [&] { ++resyncs; }, "someone-else");
  listener.Start();
  ASSERT_TRUE(WaitUntil([&] { return listener.connected(); }, 5000ms));
  static constexpr storage::Statement kKill{
      "test_kill_listener",
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE application_name = 'evently-seat-listener' AND pid <> pg_backend_pid()"};
  db_->Write([](storage::Connection& c) { c.Exec(kKill); });
  ASSERT_TRUE(WaitUntil([&] { return resyncs.load() >= 1 && listener.connected(); }, 10000ms));
  EXPECT_GE(listener.reconnects(), 1u);
  ASSERT_TRUE(bookings_->Hold(bob_, event_.id, {event_.seat_ids[1]}).ok());
  EXPECT_EQ(sink.WaitFor(1, 3000ms).size(), 1u);
}

}  // namespace
}  // namespace evently::testing
