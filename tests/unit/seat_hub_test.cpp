// The live seat hub without sockets: snapshots read once and cached, every change after a
// subscription delivered, bursts batched, failures answered.
#include "realtime/seat_hub.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <condition_variable>
#include <thread>

namespace evently::realtime {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kEvent = "0190b4b2-7c5e-7a3c-8f00-1234567890ab";

class FakeReader final : public domain::SeatAvailabilityReader {
 public:
  std::optional<domain::SeatAvailability> Read(const std::string& event_id) override {
    ++reads;
    if (failing) throw std::runtime_error("store down");
    if (event_id != kEvent) return std::nullopt;
    return domain::SeatAvailability{event_id, available, {{"GA", available}}, reads};
  }
  std::atomic<int> reads{0};
  std::atomic<bool> failing{false};
  std::atomic<std::int64_t> available{10};
};

class FakeClient final : public Subscriber {
 public:
  void Deliver(FramePtr frame) override { Add(frame->text); }
  void SnapshotReady(const std::string&, SnapshotStatus status, FramePtr snapshot) override {
    statuses.push_back(status);
    Add(snapshot ? snapshot->text : std::string("<none>"));
  }
  void Resync(const std::string&) override { ++resyncs; }

  std::vector<std::string> WaitFor(std::size_t n, std::chrono::milliseconds timeout = 3s) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return texts_.size() >= n; });
    return texts_;
  }
  std::vector<SnapshotStatus> statuses;
  std::atomic<int> resyncs{0};

 private:
  void Add(std::string text) {
    std::lock_guard lock(mu_);
    texts_.push_back(std::move(text));
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> texts_;
};

class SeatHubTest : public ::testing::Test {
 protected:
  ~SeatHubTest() override { workers_.join(); }
  domain::SeatChange Change(std::string seat, std::string status, std::int64_t available) {
    return {kEvent, {std::move(seat)}, std::move(status), available};
  }

  asio::thread_pool workers_{1};
  FakeReader reader_;
  SeatHub hub_{workers_, reader_, HubOptions{std::chrono::milliseconds(80), 500}};
};

TEST_F(SeatHubTest, SnapshotsAreReadOnceAndCachedUntilAChange) {
  auto a = std::make_shared<FakeClient>();
  auto b = std::make_shared<FakeClient>();
  hub_.Subscribe(a, kEvent);
  auto got = a->WaitFor(1);
  EXPECT_EQ(json::parse(got[0]).at("data").at("available_seats"), 10);
  hub_.Subscribe(b, kEvent);
  b->WaitFor(1);
  EXPECT_EQ(reader_.reads.load(), 1);
  EXPECT_EQ(hub_.subscriptions(), 2u);
  hub_.Publish(Change("s1", "held", 9));
  a->WaitFor(2);  // the hub has taken the change in (the order of the hub's work, not of calls)
  auto c = std::make_shared<FakeClient>();
  hub_.Subscribe(c, kEvent);
  c->WaitFor(1);
  EXPECT_EQ(reader_.reads.load(), 2);  // the change made the cached one stale
}

TEST_F(SeatHubTest, ChangesReachEverySubscriberAndBurstsAreBatched) {
  auto a = std::make_shared<FakeClient>();
  hub_.Subscribe(a, kEvent);
  a->WaitFor(1);
  hub_.Publish(Change("s1", "held", 9));
  auto got = a->WaitFor(2);
  EXPECT_EQ(json::parse(got[1]).at("type"), "seat_update");  // the first goes at once
  for (int i = 0; i < 20; ++i) hub_.Publish(Change("s" + std::to_string(i + 2), "held", 8 - i));
  got = a->WaitFor(3);
  std::this_thread::sleep_for(150ms);
  got = a->WaitFor(3);
  ASSERT_EQ(got.size(), 3u);  // twenty changes, one frame
  json::value batch = json::parse(got[2]);
  EXPECT_EQ(batch.at("type"), "seat_updates");
  EXPECT_EQ(batch.at("data").as_array().size(), 20u);
  EXPECT_EQ(batch.at("data").at(19).at("seat_id"), "s21");
}

// Flushes run on a pool of several threads with no batch window, and handing out is slow: an
// event's batches still reach a client in the order they were cut, each change once.
TEST(SeatHubOrder, BatchesOfAnEventArriveInOrderWhenFlushesCouldOverlap) {
  class SlowClient final : public Subscriber {
   public:
    void Deliver(FramePtr frame) override {
      // Every other hand-over is slow: a flush that overlapped the slow one would overtake it.
      if (calls++ % 2 == 0) std::this_thread::sleep_for(3ms);
      json::value v = json::parse(frame->text);
      std::lock_guard lock(mu);
      if (v.at("type") == "seat_update") {
        seats.emplace_back(v.at("data").at("seat_id").as_string());
      } else {
        for (const auto& u : v.at("data").as_array())
          seats.emplace_back(u.at("seat_id").as_string());
      }
    }
    void SnapshotReady(const std::string&, SnapshotStatus, FramePtr) override { ready = true; }
    void Resync(const std::string&) override {}
    std::mutex mu;
    std::vector<std::string> seats;
    std::atomic<bool> ready{false};
    std::atomic<int> calls{0};
  };
  asio::thread_pool workers{4};
  FakeReader reader;
  SeatHub hub{workers, reader, HubOptions{std::chrono::milliseconds(0), 500}};
  auto client = std::make_shared<SlowClient>();
  hub.Subscribe(client, kEvent);
  while (!client->ready) std::this_thread::sleep_for(1ms);
  constexpr int kChanges = 300;
  for (int i = 0; i < kChanges; ++i) {
    hub.Publish({kEvent, {"s" + std::to_string(i)}, "held", kChanges - i});
    if (i % 3 == 0) std::this_thread::sleep_for(200us);
  }
  for (int waited = 0; waited < 500; ++waited) {
    {
      std::lock_guard lock(client->mu);
      if (client->seats.size() >= kChanges) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  workers.join();
  std::vector<std::string> expected;
  for (int i = 0; i < kChanges; ++i) expected.push_back("s" + std::to_string(i));
  EXPECT_EQ(client->seats, expected);
}

TEST_F(SeatHubTest, UnsubscribedAndUnknownEventsGetNothing) {
  auto a = std::make_shared<FakeClient>();
  hub_.Subscribe(a, "0190b4b2-7c5e-7a3c-8f00-000000000000");
  a->WaitFor(1);
  EXPECT_EQ(a->statuses, std::vector<SnapshotStatus>{SnapshotStatus::kNotFound});
  hub_.Unsubscribe(a.get(), "0190b4b2-7c5e-7a3c-8f00-000000000000");
  auto b = std::make_shared<FakeClient>();
  hub_.Subscribe(b, kEvent);
  b->WaitFor(1);
  hub_.Unsubscribe(b.get(), kEvent);
  EXPECT_EQ(hub_.subscriptions(), 0u);
  hub_.Publish(Change("s1", "held", 9));
  EXPECT_EQ(b->WaitFor(2, 200ms).size(), 1u);
}

TEST_F(SeatHubTest, AStoreFailureIsAnsweredAndAGoneClientIsSkipped) {
  reader_.failing = true;
  auto a = std::make_shared<FakeClient>();
  hub_.Subscribe(a, kEvent);
  a->WaitFor(1);
  EXPECT_EQ(a->statuses, std::vector<SnapshotStatus>{SnapshotStatus::kUnavailable});
  reader_.failing = false;
  auto gone = std::make_shared<FakeClient>();
  hub_.Subscribe(gone, kEvent);
  gone->WaitFor(1);
  gone.reset();  // destroyed without unsubscribing: its weak pointer simply expires
  hub_.Publish(Change("s1", "held", 9));
  hub_.ResyncAll();
  EXPECT_EQ(a->resyncs.load(), 1);
}

}  // namespace
}  // namespace evently::realtime
