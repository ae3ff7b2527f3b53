// Group commit on its own: batches per key, member isolation, fairness between keys.
#include "storage/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>

namespace evently::storage {
namespace {

struct FakeWrite {
  int value = 0;
  bool bad = false;  // its own row fails
  std::optional<int> result;
  std::exception_ptr failure;
};

// The first batch waits at `gate` until every later write is queued behind it, so those form
// one batch together.
class GroupCommitTest : public ::testing::Test {
 protected:
  StoreThreads threads_{1};
  std::latch gate_{1};
  std::atomic<int> runs_{0};
  std::vector<std::size_t> sizes_;
  std::mutex mu_;
  GroupCommit<FakeWrite> commit_{threads_, 16, [this](const std::vector<FakeWrite*>& batch) {
                                   if (runs_++ == 0) gate_.wait();
                                   {
                                     std::lock_guard lock(mu_);
                                     sizes_.push_back(batch.size());
                                   }
                                   for (FakeWrite* w : batch) {
                                     if (w->bad) {
                                       throw SqlError(SqlError::Kind::kOther,
                                                      "violates foreign key constraint");
                                     }
                                     w->result = w->value * 2;
                                   }
                                 }};
};

TEST_F(GroupCommitTest, AMemberFailingOnItsOwnRowFailsAloneAndTheOthersCommit) {
  FakeWrite opener{.value = 1};
  std::vector<FakeWrite> writes(6);
  for (int i = 0; i < 6; ++i) writes[i].value = 10 + i;
  writes[3].bad = true;
  std::atomic<int> done{0};
  commit_.Submit("event", opener, [&] { ++done; });
  while (runs_.load() == 0) std::this_thread::yield();  // the opener's batch is running
  for (auto& w : writes) commit_.Submit("event", w, [&] { ++done; });
  gate_.count_down();
  while (done.load() < 7) std::this_thread::yield();
  EXPECT_EQ(opener.result, 2);
  for (int i = 0; i < 6; ++i) {
    if (i == 3) {
      EXPECT_FALSE(writes[i].result.has_value());
      EXPECT_TRUE(writes[i].failure);
    } else {
      EXPECT_EQ(writes[i].result, (10 + i) * 2) << i;
      EXPECT_FALSE(writes[i].failure) << i;
    }
  }
  // The opener alone, the six together (which failed), then each of the six alone.
  ASSERT_EQ(sizes_.size(), 8u) << ::testing::PrintToString(sizes_);
  EXPECT_EQ(sizes_[1], 6u) << ::testing::PrintToString(sizes_);
  EXPECT_EQ(commit_.Stats().isolated, 1u);
  EXPECT_EQ(commit_.Queues(), 0u);
}

TEST_F(GroupCommitTest, AStoreFailureFailsTheWholeBatchWithoutRerunningIt) {
  StoreThreads threads(1);
  int runs = 0;
  GroupCommit<FakeWrite> down(threads, 16, [&](const std::vector<FakeWrite*>&) {
    ++runs;
    throw SqlError(SqlError::Kind::kConnection, "server closed the connection");
  });
  FakeWrite a, b;
  std::atomic<int> done{0};
  down.Submit("event", a, [&] { ++done; });
  down.Submit("event", b, [&] { ++done; });
  while (done.load() < 2) std::this_thread::yield();
  EXPECT_TRUE(a.failure);
  EXPECT_TRUE(b.failure);
  EXPECT_LE(runs, 2);  // one batch of two, or two of one: never a rerun member by member
  EXPECT_EQ(down.Stats().isolated, 0u);
}

TEST_F(GroupCommitTest, SubmitAndWaitReturnsWithTheOutcome) {
  gate_.count_down();
  FakeWrite w{.value = 21};
  commit_.SubmitAndWait("other", w);
  EXPECT_EQ(w.result, 42);
}

// In an outage the store threads sit on batches that each take up to the store timeout; a write
// of another event queued behind them is answered 503 once it waited the timeout, unrun, instead
// of waiting one timeout for every batch ahead of it.
TEST_F(GroupCommitTest, AWriteQueuedLongerThanMaxWaitFailsUnavailableWithoutRunning) {
  StoreThreads threads(1);
  std::latch stuck{1};
  std::vector<int> ran;
  GroupCommit<FakeWrite> slow(
      threads, 16,
      [&](const std::vector<FakeWrite*>& batch) {
        if (batch.front()->value == 1) stuck.wait();
        for (FakeWrite* w : batch) {
          ran.push_back(w->value);
          w->result = w->value;
        }
      },
      {}, std::chrono::milliseconds(50));
  FakeWrite first{.value = 1}, queued{.value = 2};
  std::atomic<int> done{0};
  slow.Submit("stuck event", first, [&] { ++done; });
  slow.Submit("other event", queued, [&] { ++done; });
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  stuck.count_down();
  while (done.load() < 2) std::this_thread::yield();
  EXPECT_EQ(first.result, 1);
  ASSERT_TRUE(queued.failure);
  EXPECT_THROW(std::rethrow_exception(queued.failure), domain::StoreUnavailable);
  EXPECT_FALSE(queued.result.has_value());
  EXPECT_EQ(ran, std::vector<int>{1});
  EXPECT_EQ(slow.Stats().late, 1u);
  EXPECT_EQ(slow.Queues(), 0u);
  FakeWrite fresh{.value = 3};  // in time again: runs
  slow.SubmitAndWait("other event", fresh);
  EXPECT_EQ(fresh.result, 3);
}

}  // namespace
}  // namespace evently::storage
