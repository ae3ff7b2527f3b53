// The live seat hub without sockets: snapshots read once and cached, every change after a
// subscription delivered, bursts batched, waiting clients woken once, clients that stop taking
// dropped, failures answered.
#include "realtime/seat_hub.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <condition_variable>
#include <map>
#include <thread>

namespace evently::realtime {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kEvent = "0190b4b2-7c5e-7a3c-8f00-1234567890ab";
constexpr const char* kOtherEvent = "0190b4b2-7c5e-7a3c-8f00-1234567890cd";

class FakeReader final : public domain::SeatAvailabilityReader {
 public:
  std::optional<domain::SeatAvailability> Read(const std::string& event_id) override {
    ++reads;
    if (failing) throw std::runtime_error("store down");
    if (event_id != kEvent && event_id != kOtherEvent) return std::nullopt;
    return domain::SeatAvailability{event_id, available, {{"GA", available}}, reads};
  }
  std::atomic<int> reads{0};
  std::atomic<bool> failing{false};
  std::atomic<std::int64_t> available{10};
};

// Appends to `seats` the seat ids a seat_update or seat_updates frame carries, in order.
void AppendSeatIds(const Frame& frame, std::vector<std::string>& seats) {
  json::value v = json::parse(frame.text);
  if (v.at("type") == "seat_update") {
    seats.emplace_back(v.at("data").at("seat_id").as_string());
    return;
  }
  for (const auto& u : v.at("data").as_array()) seats.emplace_back(u.at("seat_id").as_string());
}

// Takes its frames when woken, as a session does when its socket is free.
class FakeClient final : public Subscriber {
 public:
  explicit FakeClient(SeatHub& hub) : hub_(hub) {}
  void Wake(const std::string& event_id) override {
    ++wakes;
    if (taking) TakeAll(event_id);
  }
  void FellBehind(const std::string&) override { ++fell_behind; }
  void SnapshotReady(const std::string& event_id, SnapshotStatus status,
                     FramePtr snapshot) override {
    statuses.push_back(status);
    Add(snapshot ? snapshot->text : std::string("<none>"));
    if (status == SnapshotStatus::kReady) TakeAll(event_id);  // updates follow the snapshot
  }
  void Resync(const std::string&) override { ++resyncs; }
  // Returns how many frames there were.
  std::size_t TakeAll(const std::string& event_id = kEvent) {
    std::lock_guard take_lock(take_mu_);  // a wake may come while the last take is appended
    std::vector<FramePtr> frames;
    hub_.Take(this, event_id, frames);
    for (const auto& frame : frames) Add(frame->text);
    return frames.size();
  }

  std::vector<std::string> WaitFor(std::size_t n, std::chrono::milliseconds timeout = 3s) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return texts_.size() >= n; });
    return texts_;
  }
  std::vector<SnapshotStatus> statuses;
  std::atomic<int> resyncs{0}, wakes{0}, fell_behind{0};
  std::atomic<bool> taking{true};  // false: ignores wakes, like a client whose socket is stuck

 private:
  void Add(std::string text) {
    std::lock_guard lock(mu_);
    texts_.push_back(std::move(text));
    cv_.notify_all();
  }
  SeatHub& hub_;
  std::mutex take_mu_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> texts_;
};

// A hub of its own on `threads` workers, for the tests that race its cuts.
struct HubOnWorkers {
  HubOnWorkers(int threads, HubOptions options)
      : workers(static_cast<std::size_t>(threads)), hub(workers, reader, options) {}
  asio::thread_pool workers;
  FakeReader reader;
  SeatHub hub;
};

// Checks `done` every `step` until it holds or `timeout` has passed; returns whether it held.
template <class Done>
bool Eventually(Done done, std::chrono::milliseconds step = 10ms,
                std::chrono::milliseconds timeout = 5s) {
  for (auto waited = 0ms; waited < timeout; waited += step) {
    if (done()) return true;
    std::this_thread::sleep_for(step);
  }
  return done();
}

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
  auto a = std::make_shared<FakeClient>(hub_);
  auto b = std::make_shared<FakeClient>(hub_);
  hub_.Subscribe(a, kEvent);
  auto got = a->WaitFor(1);
  EXPECT_EQ(json::parse(got[0]).at("data").at("available_seats"), 10);
  hub_.Subscribe(b, kEvent);
  b->WaitFor(1);
  EXPECT_EQ(reader_.reads.load(), 1);
  EXPECT_EQ(hub_.subscriptions(), 2u);
  hub_.Publish(Change("s1", "held", 9));
  a->WaitFor(2);  // the hub has taken the change in (the order of the hub's work, not of calls)
  auto c = std::make_shared<FakeClient>(hub_);
  hub_.Subscribe(c, kEvent);
  c->WaitFor(1);
  EXPECT_EQ(reader_.reads.load(), 2);  // the change made the cached one stale
}

TEST_F(SeatHubTest, ChangesReachEverySubscriberAndBurstsAreBatched) {
  auto a = std::make_shared<FakeClient>(hub_);
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
    explicit SlowClient(SeatHub& hub) : hub(hub) {}
    void Wake(const std::string& event_id) override {
      // Every other take is slow: flushes overlap it on the other workers.
      if (calls++ % 2 == 0) std::this_thread::sleep_for(3ms);
      std::lock_guard lock(mu);
      std::vector<FramePtr> frames;
      hub.Take(this, event_id, frames);
      for (const auto& frame : frames) AppendSeatIds(*frame, seats);
    }
    void FellBehind(const std::string&) override { ADD_FAILURE() << "dropped"; }
    void SnapshotReady(const std::string& event_id, SnapshotStatus, FramePtr) override {
      Wake(event_id);
      ready = true;
    }
    void Resync(const std::string&) override {}
    SeatHub& hub;
    std::mutex mu;
    std::vector<std::string> seats;
    std::atomic<bool> ready{false};
    std::atomic<int> calls{0};
  };
  HubOnWorkers setup(4, HubOptions{std::chrono::milliseconds(0), 500});
  auto client = std::make_shared<SlowClient>(setup.hub);
  setup.hub.Subscribe(client, kEvent);
  ASSERT_TRUE(Eventually([&] { return client->ready.load(); }, 1ms));
  constexpr int kChanges = 300;
  for (int i = 0; i < kChanges; ++i) {
    setup.hub.Publish({kEvent, {"s" + std::to_string(i)}, "held", kChanges - i});
    if (i % 3 == 0) std::this_thread::sleep_for(200us);
  }
  Eventually([&] {
    std::lock_guard lock(client->mu);
    return client->seats.size() >= kChanges;
  });
  setup.workers.join();
  std::vector<std::string> expected;
  for (int i = 0; i < kChanges; ++i) expected.push_back("s" + std::to_string(i));
  EXPECT_EQ(client->seats, expected);
}

// A cut wakes a client once per wait; what is cut until it takes comes in one take, in order.
TEST_F(SeatHubTest, AWaitingClientIsWokenOnceAndTakesEverythingCutSince) {
  auto a = std::make_shared<FakeClient>(hub_);
  hub_.Subscribe(a, kEvent);
  a->WaitFor(1);
  a->taking = false;
  hub_.Publish(Change("s1", "held", 9));
  ASSERT_TRUE(Eventually([&] { return a->wakes > 0; }, 5ms));
  hub_.Publish(Change("s2", "held", 8));
  std::this_thread::sleep_for(200ms);  // two batch windows: s2 is cut as well
  hub_.Publish(Change("s3", "held", 7));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(a->wakes.load(), 1);  // not once per cut: it has not taken since
  EXPECT_EQ(a->TakeAll(), 3u);    // three cuts, one take
  auto got = a->WaitFor(4);
  ASSERT_EQ(got.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(std::string(json::parse(got[1 + i]).at("data").at("seat_id").as_string()),
              "s" + std::to_string(i + 1));
  }
  a->taking = true;
  hub_.Publish(Change("s4", "held", 6));  // it waits again: the next cut wakes it
  got = a->WaitFor(5);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(a->wakes.load(), 2);
}

// A client that stops taking is dropped once it is max_behind frames behind; the others get
// every change.
TEST(SeatHubBehind, AClientThatStopsTakingIsDroppedAndTheOthersKeepReceiving) {
  HubOptions options{std::chrono::milliseconds(0), 500};
  options.max_behind = 4;
  HubOnWorkers setup(1, options);
  SeatHub& hub = setup.hub;
  auto stuck = std::make_shared<FakeClient>(hub);
  auto reading = std::make_shared<FakeClient>(hub);
  hub.Subscribe(stuck, kEvent);
  stuck->WaitFor(1);
  hub.Subscribe(reading, kEvent);
  reading->WaitFor(1);
  stuck->taking = false;
  for (int i = 0; i < 6; ++i) {
    hub.Publish({kEvent, {"s" + std::to_string(i)}, "held", 10 - i});
    ASSERT_EQ(reading->WaitFor(2 + i).size(), 2u + i);  // one cut per change
    if (i < 4) {
      EXPECT_EQ(stuck->fell_behind.load(), 0) << i;
    }
  }
  setup.workers.join();  // the last cuts are done
  EXPECT_EQ(stuck->fell_behind.load(), 1);
  EXPECT_EQ(hub.subscriptions(), 1u);
  EXPECT_EQ(stuck->TakeAll(), 0u);  // no longer in the audience
}

// One client follows two events whose changes interleave, cut by several workers at once: it
// gets each event's changes once and in order, whichever event's cut woke it.
TEST(SeatHubEvents, AClientOfTwoEventsGetsEachInOrder) {
  class TwoEventClient final : public Subscriber {
   public:
    explicit TwoEventClient(SeatHub& hub) : hub(hub) {}
    void Wake(const std::string& event_id) override { TakeAll(event_id); }
    void FellBehind(const std::string&) override { ADD_FAILURE() << "dropped"; }
    void SnapshotReady(const std::string& event_id, SnapshotStatus, FramePtr) override {
      TakeAll(event_id);
      ++ready;
    }
    void Resync(const std::string&) override {}
    void TakeAll(const std::string& event_id) {
      std::lock_guard lock(mu);
      std::vector<FramePtr> frames;
      hub.Take(this, event_id, frames);
      for (const auto& frame : frames) {
        EXPECT_EQ(frame->event_id, event_id);
        AppendSeatIds(*frame, seats[event_id]);
      }
    }
    std::size_t Count() {
      std::lock_guard lock(mu);
      return seats[kEvent].size() + seats[kOtherEvent].size();
    }
    SeatHub& hub;
    std::mutex mu;
    std::map<std::string, std::vector<std::string>> seats;
    std::atomic<int> ready{0};
  };
  HubOnWorkers setup(3, HubOptions{std::chrono::milliseconds(1), 500});
  auto client = std::make_shared<TwoEventClient>(setup.hub);
  setup.hub.Subscribe(client, kEvent);
  setup.hub.Subscribe(client, kOtherEvent);
  ASSERT_TRUE(Eventually([&] { return client->ready == 2; }, 1ms));
  constexpr int kChanges = 200;
  std::vector<std::string> expected;
  for (int i = 0; i < kChanges; ++i) {
    expected.push_back("s" + std::to_string(i));
    setup.hub.Publish({kEvent, {expected.back()}, "held", kChanges - i});
    setup.hub.Publish({kOtherEvent, {expected.back()}, "booked", kChanges - i});
    if (i % 4 == 0) std::this_thread::sleep_for(300us);
  }
  Eventually([&] { return client->Count() >= 2 * kChanges; });
  setup.workers.join();
  EXPECT_EQ(client->seats[kEvent], expected);
  EXPECT_EQ(client->seats[kOtherEvent], expected);
}

TEST_F(SeatHubTest, UnsubscribedAndUnknownEventsGetNothing) {
  auto a = std::make_shared<FakeClient>(hub_);
  hub_.Subscribe(a, "0190b4b2-7c5e-7a3c-8f00-000000000000");
  a->WaitFor(1);
  EXPECT_EQ(a->statuses, std::vector<SnapshotStatus>{SnapshotStatus::kNotFound});
  hub_.Unsubscribe(a.get(), "0190b4b2-7c5e-7a3c-8f00-000000000000");
  auto b = std::make_shared<FakeClient>(hub_);
  hub_.Subscribe(b, kEvent);
  b->WaitFor(1);
  hub_.Unsubscribe(b.get(), kEvent);
  EXPECT_EQ(hub_.subscriptions(), 0u);
  hub_.Publish(Change("s1", "held", 9));
  EXPECT_EQ(b->WaitFor(2, 200ms).size(), 1u);
}

TEST_F(SeatHubTest, AStoreFailureIsAnsweredAndAGoneClientIsSkipped) {
  reader_.failing = true;
  auto a = std::make_shared<FakeClient>(hub_);
  hub_.Subscribe(a, kEvent);
  a->WaitFor(1);
  EXPECT_EQ(a->statuses, std::vector<SnapshotStatus>{SnapshotStatus::kUnavailable});
  reader_.failing = false;
  auto gone = std::make_shared<FakeClient>(hub_);
  hub_.Subscribe(gone, kEvent);
  gone->WaitFor(1);
  gone.reset();  // destroyed without unsubscribing: its weak pointer simply expires
  hub_.Publish(Change("s1", "held", 9));
  hub_.ResyncAll();
  EXPECT_EQ(a->resyncs.load(), 1);
}

}  // namespace
}  // namespace evently::realtime
