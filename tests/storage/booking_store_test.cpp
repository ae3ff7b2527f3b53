// The booking engine against a real store, on each engine: holds, confirms, cancels, expiry,
// refunds, and races that must never sell a seat twice.
#include "storage/booking_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "domain/booking/booking_service.hpp"
#include "domain/booking/payment_reconciler.hpp"
#include "domain/ids.hpp"
#include "payments/sandbox_gateway.hpp"
#include "storage/hold_batch.hpp"
#include "storage/invariants.hpp"
#include "storage/payment_ledger_store.hpp"
#include "support/booking_world.hpp"

namespace evently::testing {
namespace {

using domain::BookingStatus;
using domain::ErrorCode;
using domain::PaymentDetails;
using domain::Principal;
using domain::Role;

const PaymentDetails kGoodCard{"credit_card", std::nullopt,
                               domain::CardDetails{"4242424242424242", 12, 2025, "123"}};
const PaymentDetails kDeclinedToken{"credit_card", std::string("tok_chargeDeclined"), std::nullopt};

class BookingEngineTest : public BookingWorld {
 protected:
  BookingEngineTest() : BookingWorld({{"VIP", 2, 5, 50000}, {"General", 3, 10, 5000}}) {}
  void SetUp() override {
    BookingWorld::SetUp();
    if (IsSkipped() || HasFailure()) return;
    admin_ = {CreateUser(*db_, "admin@example.com"), Role::kAdmin};
  }

  Principal admin_;
};

TEST_F(BookingEngineTest, HoldTakesTheSeatsAndPricesThem) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[0], event_.seat_ids[10]});
  ASSERT_TRUE(held.ok()) << held.error().Message();
  EXPECT_EQ(held->status, BookingStatus::kPending);
  EXPECT_EQ(held->total_amount, 50000 + 5000);
  EXPECT_EQ(held->seats.size(), 2u);
  EXPECT_EQ(held->currency, "USD");
  EXPECT_EQ(held->expires_at, clock_.Now() + std::chrono::seconds(300));
  EXPECT_EQ(held->booking_code.size(), 16u);
  EXPECT_EQ(held->booking_code.substr(0, 3), "EVT");
  auto report = storage::CheckBookingInvariants(*db_, event_.id);
  EXPECT_EQ(report.held, 2);
  EXPECT_EQ(report.available, event_.capacity - 2);
  ExpectInvariants();
  std::vector<domain::SeatChange> changes = sink_.Take();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].status, "held");
  EXPECT_EQ(changes[0].available_seats, event_.capacity - 2);
}

TEST_F(BookingEngineTest, AConfirmationPublishesTheBookedSeatsWithTheEventsAvailability) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[0], event_.seat_ids[10]});
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(service_->Hold(bob_, event_.id, {event_.seat_ids[11]}).ok());
  auto confirmed = service_->Confirm(alice_, held->id, kGoodToken);
  ASSERT_TRUE(confirmed.ok()) << confirmed.error().Message();
  std::vector<domain::SeatChange> changes = sink_.Take();
  ASSERT_EQ(changes.size(), 3u);
  const domain::SeatChange& booked = changes.back();
  EXPECT_EQ(booked.status, "booked");
  EXPECT_EQ(booked.event_id, event_.id);
  std::vector<std::string> ids = booked.seat_ids;
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> want = {event_.seat_ids[0], event_.seat_ids[10]};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(ids, want);
  // Held and booked seats are both off sale: three of them.
  EXPECT_EQ(booked.available_seats, event_.capacity - 3);
  ExpectInvariants();
}

TEST_F(BookingEngineTest, BookingCodesAreUniqueAndSequentialPerDay) {
  auto a = service_->Hold(alice_, event_.id, {event_.seat_ids[0]});
  auto b = service_->Hold(bob_, event_.id, {event_.seat_ids[1]});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->booking_code, b->booking_code);
  EXPECT_EQ(std::stoi(b->booking_code.substr(11)), std::stoi(a->booking_code.substr(11)) + 1);
}

// A batch reserves a code for every hold it may grant, with the seat writes, and gives back what
// its refused holds leave: the granted ones are numbered one after the other, and so is the next
// batch's first.
TEST_F(BookingEngineTest, RefusedHoldsOfABatchLeaveNoGapInTheBookingCodes) {
  auto request = [&](const Principal& who, std::vector<std::string> seats) {
    return domain::HoldRequest{domain::NewUuidV7(clock_.Now()),
                               event_.id,
                               who.user_id,
                               std::move(seats),
                               clock_.Now(),
                               clock_.Now() + std::chrono::minutes(5)};
  };
  domain::HoldRequest first = request(alice_, {event_.seat_ids[0]});
  domain::HoldRequest clash = request(bob_, {event_.seat_ids[0], event_.seat_ids[1]});
  domain::HoldRequest refused = request(bob_, {event_.seat_ids[0]});
  domain::HoldRequest second = request(bob_, {event_.seat_ids[2]});
  std::vector<domain::Result<domain::BookingChange>> results;
  db_->Write([&](storage::Connection& conn) {
    results = storage::HoldBatch(conn, {&first, &clash, &refused, &second},
                                 storage::ReleaseRules{domain::OfferPolicy{}, true});
  });
  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(results[0].ok()) << results[0].error().Message();
  ASSERT_FALSE(results[1].ok());
  ASSERT_FALSE(results[2].ok());
  ASSERT_TRUE(results[3].ok()) << results[3].error().Message();
  // Each refusal names just the seat the batch's first hold took, not the free one beside it.
  for (std::size_t i : {1u, 2u}) {
    ASSERT_EQ(results[i].error().code, ErrorCode::kBookingSeatsUnavailable);
    ASSERT_EQ(results[i].error().details.string_lists.size(), 1u);
    EXPECT_EQ(results[i].error().details.string_lists[0].second,
              std::vector<std::string>{event_.seat_ids[0]});
  }
  auto number = [](const std::string& code) { return std::stoi(code.substr(11)); };
  int a = number(results[0].value().booking.booking_code);
  EXPECT_EQ(number(results[3].value().booking.booking_code), a + 1);
  auto next = service_->Hold(alice_, event_.id, {event_.seat_ids[3]});
  ASSERT_TRUE(next.ok()) << next.error().Message();
  EXPECT_EQ(number(next->booking_code), a + 2);
  ExpectInvariants();
}

// The store counts what its batches did (bench/hold_store prints it): one at a time, a hold and
// its confirmation are two batches of one write each.
TEST_F(BookingEngineTest, TheStoreCountsItsBatchesBySize) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[7]});
  ASSERT_TRUE(held.ok()) << held.error().Message();
  ASSERT_TRUE(service_->Confirm(alice_, held->id, kGoodToken).ok());
  storage::BatchStats stats = store_->Stats();
  ASSERT_EQ(stats.by_size.size(), 1u);
  EXPECT_EQ(stats.by_size[0].batches, 2u);
  EXPECT_EQ(stats.by_size[0].writes, 2u);
  EXPECT_EQ(stats.by_size[0].holds, 1u);
  EXPECT_GT(stats.by_size[0].busy.count(), 0);
}

TEST_F(BookingEngineTest, HoldIsAllOrNothing) {
  ASSERT_TRUE(service_->Hold(alice_, event_.id, {event_.seat_ids[1]}).ok());
  auto clash = service_->Hold(bob_, event_.id, {event_.seat_ids[0], event_.seat_ids[1]});
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::kBookingSeatsUnavailable);
  ASSERT_EQ(clash.error().details.string_lists.size(), 1u);
  EXPECT_EQ(clash.error().details.string_lists[0].second,
            std::vector<std::string>{event_.seat_ids[1]});
  // The free seat of the failed request is still free.
  EXPECT_TRUE(service_->Hold(bob_, event_.id, {event_.seat_ids[0]}).ok());
  ExpectInvariants();
}

TEST_F(BookingEngineTest, BadSeatListsAreValidationErrors) {
  auto other = CreateEvent(*db_, {{"GA", 1, 2, 100}}, clock_.Now() + std::chrono::hours(5));
  std::vector<std::vector<std::string>> bad = {
      {},
      {event_.seat_ids[0], event_.seat_ids[0]},
      {"not-a-uuid"},
      {other.seat_ids[0]},
      std::vector<std::string>(event_.seat_ids.begin(), event_.seat_ids.begin() + 11),
  };
  for (const auto& seats : bad) {
    auto result = service_->Hold(alice_, event_.id, seats);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kValidationError);
  }
  auto unknown_event =
      service_->Hold(alice_, domain::NewUuidV7(clock_.Now()), {event_.seat_ids[0]});
  EXPECT_EQ(unknown_event.error().code, ErrorCode::kEventNotFound);
  EXPECT_EQ(storage::CheckBookingInvariants(*db_, event_.id).held, 0);
}

TEST_F(BookingEngineTest, FreeBookingsConfirmWithoutAChargeAndCancelWithoutARefund) {
  auto free = CreateEvent(*db_, {{"Community", 1, 4, 0}}, clock_.Now() + std::chrono::hours(24));
  auto held = service_->Hold(alice_, free.id, {free.seat_ids[0], free.seat_ids[1]});
  ASSERT_TRUE(held.ok()) << held.error().Message();
  EXPECT_EQ(held->total_amount, 0);
  // The sandbox refuses to charge 0, so this succeeds only if no charge is attempted.
  auto confirmed = service_->Confirm(alice_, held->id, kGoodToken);
  ASSERT_TRUE(confirmed.ok()) << confirmed.error().Message();
  EXPECT_EQ(confirmed->status, BookingStatus::kConfirmed);
  auto report = storage::CheckBookingInvariants(*db_, free.id);
  EXPECT_EQ(report.booked, 2);
  for (const auto& v : report.violations) ADD_FAILURE() << v;

  auto cancelled = service_->Cancel(alice_, held->id);
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().Message();
  EXPECT_EQ(cancelled->status, BookingStatus::kCancelled);
  EXPECT_EQ(cancelled->refund_status, domain::RefundStatus::kNotApplicable);
  EXPECT_EQ(cancelled->refund_amount, 0);
  EXPECT_EQ(service_->ProcessRefunds(10), 0);
  report = storage::CheckBookingInvariants(*db_, free.id);
  EXPECT_EQ(report.available, free.capacity);
  for (const auto& v : report.violations) ADD_FAILURE() << v;
}

TEST_F(BookingEngineTest, SoldOutAndStartedEventsRefuse) {
  auto tiny = CreateEvent(*db_, {{"GA", 1, 2, 100}}, clock_.Now() + std::chrono::hours(1));
  ASSERT_TRUE(service_->Hold(alice_, tiny.id, tiny.seat_ids).ok());
  auto sold_out = service_->Hold(bob_, tiny.id, {tiny.seat_ids[0]});
  EXPECT_EQ(sold_out.error().code, ErrorCode::kEventSoldOut);
  clock_.Advance(std::chrono::hours(2));
  auto started = service_->Hold(bob_, tiny.id, {tiny.seat_ids[0]});
  EXPECT_EQ(started.error().code, ErrorCode::kEventNotBookable);
}

TEST_F(BookingEngineTest, AStartedEventRefusesEvenFreeSeatsAndKeepsThemOnSale) {
  auto soon = CreateEvent(*db_, {{"GA", 1, 3, 100}}, clock_.Now() + std::chrono::hours(1));
  clock_.Advance(std::chrono::hours(2));
  // Free seats, held at once so that they share a batch: each refused, and nothing taken.
  std::vector<std::thread> racers;
  std::vector<std::string> outcomes(soon.seat_ids.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    racers.emplace_back([&, i] {
      try {
        auto result = service_->Hold(alice_, soon.id, {soon.seat_ids[i]});
        outcomes[i] =
            result.ok() ? "held" : std::string(domain::Describe(result.error().code).api_code);
      } catch (const std::exception& e) {
        outcomes[i] = e.what();
      }
    });
  }
  for (auto& t : racers) t.join();
  for (const auto& outcome : outcomes) EXPECT_EQ(outcome, "EVENT_NOT_BOOKABLE");
  auto report = storage::CheckBookingInvariants(*db_, soon.id);
  EXPECT_EQ(report.held, 0);
  EXPECT_EQ(report.available, 3);
  for (const auto& v : report.violations) ADD_FAILURE() << v;
}

TEST_F(BookingEngineTest, ConfirmPaysOnceAndBooksTheSeats) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[2], event_.seat_ids[3]});
  ASSERT_TRUE(held.ok());
  auto confirmed = service_->Confirm(alice_, held->id, kGoodCard);
  ASSERT_TRUE(confirmed.ok()) << confirmed.error().Message();
  EXPECT_EQ(confirmed->status, BookingStatus::kConfirmed);
  auto report = storage::CheckBookingInvariants(*db_, event_.id);
  EXPECT_EQ(report.booked, 2);
  ExpectInvariants();
  auto again = service_->Confirm(alice_, held->id, kGoodCard);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kBookingNotPending);
  EXPECT_EQ(again.error().details.strings[0].second, "confirmed");
}

// A pending booking whose seat was taken from it behind the engine's back (a broken invariant):
// its confirmation fails whole, writes nothing, and the charge it took is refunded.
TEST_F(BookingEngineTest, AConfirmationMissingASeatFailsWholeAndItsChargeIsRefunded) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[2], event_.seat_ids[3]});
  ASSERT_TRUE(held.ok());
  static constexpr storage::Statement kTakeAway{
      "test_take_seat_away",
      "UPDATE seats SET status = 'available', booking_id = NULL WHERE id = $1"};
  static constexpr storage::Statement kPaymentsOf{
      "test_payments_of", "SELECT COUNT(*) FROM payments WHERE booking_id = $1"};
  db_->Write([&](storage::Connection& conn) { conn.Exec(kTakeAway, {event_.seat_ids[3]}); });
  try {
    (void)service_->Confirm(alice_, held->id, kGoodToken);
    ADD_FAILURE() << "the confirmation went through";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("lost seats while pending"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(service_->Get(alice_, held->id)->status, BookingStatus::kPending);
  EXPECT_EQ(db_->ReadOne(kPaymentsOf, {held->id}).Int(0, 0), 0);
  // Its attempt is still started: once its lease is out the reconciler gives the money back.
  storage::PaymentLedgerStore ledger(*db_);
  domain::PaymentReconciler reconciler(ledger, gateway_, clock_);
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(reconciler.SettleStale(), 1);
  EXPECT_EQ(service_->ProcessRefunds(), 1);
  EXPECT_EQ(gateway_.refunded_count(), 1u);
}

TEST_F(BookingEngineTest, DeclineLeavesTheBookingPending) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[4]});
  auto declined = service_->Confirm(alice_, held->id, kDeclinedToken);
  ASSERT_FALSE(declined.ok());
  EXPECT_EQ(declined.error().code, ErrorCode::kPaymentFailed);
  EXPECT_EQ(service_->Get(alice_, held->id)->status, BookingStatus::kPending);
  EXPECT_TRUE(service_->Confirm(alice_, held->id, kGoodToken).ok());
  ExpectInvariants();
}

TEST_F(BookingEngineTest, OthersCannotSeeOrConfirmAndAdminsCanSee) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[5]});
  EXPECT_EQ(service_->Get(bob_, held->id).error().code, ErrorCode::kBookingNotFound);
  EXPECT_EQ(service_->Confirm(bob_, held->id, kGoodCard).error().code, ErrorCode::kBookingNotFound);
  EXPECT_EQ(service_->Cancel(bob_, held->id).error().code, ErrorCode::kBookingNotFound);
  EXPECT_TRUE(service_->Get(admin_, held->id).ok());
}

TEST_F(BookingEngineTest, ExpiryReturnsSeatsAndConfirmAfterwardsIsGone) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[6], event_.seat_ids[7]});
  clock_.Advance(std::chrono::seconds(301));
  EXPECT_EQ(service_->Confirm(alice_, held->id, kGoodCard).error().code,
            ErrorCode::kBookingExpired);
  EXPECT_EQ(service_->ExpireDue(), 1);
  EXPECT_EQ(service_->Get(alice_, held->id)->status, BookingStatus::kExpired);
  EXPECT_EQ(storage::CheckBookingInvariants(*db_, event_.id).available, event_.capacity);
  EXPECT_TRUE(service_->Hold(bob_, event_.id, {event_.seat_ids[6]}).ok());
  ExpectInvariants();
}

// Counts the bookings read, around the real store.
class CountingStore final : public domain::BookingStore {
 public:
  explicit CountingStore(domain::BookingStore& inner) : inner_(inner) {}
  domain::Result<domain::BookingChange> Hold(const domain::HoldRequest& r) override {
    return inner_.Hold(r);
  }
  std::optional<domain::Booking> Find(const std::string& id) override {
    ++finds;
    return inner_.Find(id);
  }
  domain::Page<domain::Booking> ListForUser(const std::string& user,
                                            std::optional<BookingStatus> status,
                                            domain::PageRequest page) override {
    return inner_.ListForUser(user, status, page);
  }
  domain::Result<domain::BookingChange> ConfirmPaid(const domain::SucceededCharge& c) override {
    if (fail_confirmations > 0) {
      --fail_confirmations;
      if (commit_then_fail) (void)inner_.ConfirmPaid(c);
      throw domain::StoreUnavailable("the store went away");
    }
    return inner_.ConfirmPaid(c);
  }
  void FindAnswer(domain::BookingAnswer& keyed) override { inner_.FindAnswer(keyed); }
  void BeginPaymentAttempt(const domain::PaymentAttempt& attempt) override {
    inner_.BeginPaymentAttempt(attempt);
  }
  void RecordFailedPayment(const std::string& id, const std::string& attempt_id,
                           const std::string& method, std::int64_t amount,
                           const std::string& currency, const domain::Error& error,
                           domain::TimePoint now, domain::BookingAnswer* keyed) override {
    inner_.RecordFailedPayment(id, attempt_id, method, amount, currency, error, now, keyed);
  }
  domain::Result<domain::BookingChange> Cancel(const std::string& id, domain::TimePoint now,
                                               domain::BookingAnswer* keyed) override {
    return inner_.Cancel(id, now, keyed);
  }
  std::vector<domain::SeatChange> ExpireDue(domain::TimePoint now, int limit) override {
    return inner_.ExpireDue(now, limit);
  }
  std::vector<domain::SeatChange> CancelEventBookings(const std::string& event_id,
                                                      domain::TimePoint now) override {
    return inner_.CancelEventBookings(event_id, now);
  }
  std::vector<domain::DueRefund> ClaimDueRefunds(domain::TimePoint now, domain::Millis lease,
                                                 int limit) override {
    return inner_.ClaimDueRefunds(now, lease, limit);
  }
  void CompleteRefund(const std::string& id, domain::TimePoint now) override {
    inner_.CompleteRefund(id, now);
  }
  void RetryRefundLater(const std::string& id, domain::TimePoint next, bool give_up) override {
    inner_.RetryRefundLater(id, next, give_up);
  }
  std::atomic<int> finds{0};
  int fail_confirmations = 0;     // the next ones throw, as a store outage would
  bool commit_then_fail = false;  // ... after the confirmation committed (its answer lost)

 private:
  domain::BookingStore& inner_;
};

// A confirmation on the node that made the hold charges from what the hold learned, without
// reading the booking; on another node, or for someone else, it reads as before.
TEST_F(BookingEngineTest, AConfirmationWhereTheHoldWasMadeReadsNoBooking) {
  CountingStore counting(*store_);
  domain::BookingService here(counting, gateway_, sink_, clock_, domain::BookingPolicy{});
  domain::BookingService there(counting, gateway_, sink_, clock_, domain::BookingPolicy{});
  auto mine = here.Hold(alice_, event_.id, {event_.seat_ids[0], event_.seat_ids[10]});
  auto theirs = there.Hold(bob_, event_.id, {event_.seat_ids[1]});
  ASSERT_TRUE(mine.ok() && theirs.ok());
  EXPECT_EQ(here.Confirm(bob_, mine->id, kGoodToken).error().code, ErrorCode::kBookingNotFound);
  EXPECT_EQ(counting.finds.load(), 1);
  auto confirmed = here.Confirm(alice_, mine->id, kGoodToken);
  ASSERT_TRUE(confirmed.ok()) << confirmed.error().Message();
  EXPECT_EQ(counting.finds.load(), 1);
  EXPECT_EQ(confirmed->status, BookingStatus::kConfirmed);
  EXPECT_EQ(confirmed->total_amount, 50000 + 5000);
  ASSERT_TRUE(here.Confirm(bob_, theirs->id, kGoodToken).ok());
  EXPECT_EQ(counting.finds.load(), 2);
  // Confirmed: no longer remembered, so a second confirmation reads and is refused unpaid.
  auto again = here.Confirm(alice_, mine->id, kGoodToken);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kBookingNotPending);
  EXPECT_EQ(counting.finds.load(), 3);
  // A remembered hold past its time is refused without a read or a charge.
  auto late = here.Hold(alice_, event_.id, {event_.seat_ids[2]});
  ASSERT_TRUE(late.ok());
  clock_.Advance(std::chrono::seconds(301));
  EXPECT_EQ(here.Confirm(alice_, late->id, kGoodToken).error().code, ErrorCode::kBookingExpired);
  EXPECT_EQ(counting.finds.load(), 3);
  EXPECT_EQ(service_->ProcessRefunds(), 0);
  ExpectInvariants();
}

// A node whose store fails around the confirmation of a booking it held: the gateway takes the
// money and the confirmation ends in a store error. Its payment attempt was recorded before the
// charge, so the reconciler (on any node, after a restart too) settles it once its lease is out.
class UnansweredChargeTest : public BookingEngineTest {
 protected:
  std::string HoldThenConfirmIntoAFailure(const std::string& seat_id, bool committed) {
    auto held = node().Hold(alice_, event_.id, {seat_id});
    EXPECT_TRUE(held.ok());
    flaky().fail_confirmations = 1;
    flaky().commit_then_fail = committed;
    EXPECT_THROW((void)node().Confirm(alice_, held->id, kGoodToken), domain::StoreUnavailable);
    return held->id;
  }
  void SetUp() override {
    BookingEngineTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    counting_ = std::make_unique<CountingStore>(*store_);
    node_ = std::make_unique<domain::BookingService>(*counting_, gateway_, sink_, clock_,
                                                     domain::BookingPolicy{});
    ledger_ = std::make_unique<storage::PaymentLedgerStore>(*db_);
    reconciler_ = std::make_unique<domain::PaymentReconciler>(*ledger_, gateway_, clock_);
  }
  CountingStore& flaky() { return *counting_; }
  domain::BookingService& node() { return *node_; }
  domain::PaymentReconciler& reconciler() { return *reconciler_; }

 private:
  std::unique_ptr<CountingStore> counting_;
  std::unique_ptr<domain::BookingService> node_;
  std::unique_ptr<storage::PaymentLedgerStore> ledger_;
  std::unique_ptr<domain::PaymentReconciler> reconciler_;
};

// It never committed: within its lease the attempt may still be recorded and is left alone;
// then its charge is recorded as lost and refunded, once.
TEST_F(UnansweredChargeTest, AChargeWhoseConfirmationNeverCommittedIsRefunded) {
  std::string id = HoldThenConfirmIntoAFailure(event_.seat_ids[4], /*committed=*/false);
  EXPECT_EQ(reconciler().SettleStale(), 0);
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(reconciler().SettleStale(), 1);
  EXPECT_EQ(reconciler().SettleStale(), 0);  // settled once
  EXPECT_EQ(node().ProcessRefunds(), 1);
  EXPECT_EQ(gateway_.refunded_count(), 1u);
  EXPECT_EQ(node().ProcessRefunds(), 0);
  // The booking is still pending (its hold was 5 minutes), unpaid, and can be paid again.
  auto pending = node().Get(alice_, id);
  EXPECT_EQ(pending->status, BookingStatus::kPending);
  EXPECT_EQ(pending->refund_status, domain::RefundStatus::kCompleted);
  ASSERT_TRUE(node().Confirm(alice_, id, kGoodToken).ok());
  EXPECT_EQ(gateway_.refunded_count(), 1u);
  ExpectInvariants();
}

// It committed but its answer was lost: the attempt was recorded with the booking, so the charge
// paid for it and stays.
TEST_F(UnansweredChargeTest, AChargeWhoseConfirmationCommittedUnansweredIsKept) {
  std::string id = HoldThenConfirmIntoAFailure(event_.seat_ids[5], /*committed=*/true);
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(reconciler().SettleStale(), 0);
  EXPECT_EQ(node().ProcessRefunds(), 0);
  EXPECT_EQ(gateway_.refunded_count(), 0u);
  EXPECT_EQ(node().Get(alice_, id)->status, BookingStatus::kConfirmed);
  ExpectInvariants();
}

// A confirmation slower than its lease: the reconciler settled its attempt first, so the
// confirmation records nothing and says so; the money went back, the booking stays pending.
TEST_F(UnansweredChargeTest, AConfirmationOutlivedByItsLeaseConfirmsNothing) {
  auto held = node().Hold(alice_, event_.id, {event_.seat_ids[6]});
  ASSERT_TRUE(held.ok());
  std::string attempt = domain::NewUuidV7(clock_.Now());
  store_->BeginPaymentAttempt({attempt, held->id, alice_.user_id, held->total_amount, "USD",
                               "sandbox", "credit_card", clock_.Now(),
                               clock_.Now() + std::chrono::seconds(60)});
  auto charge = gateway_.Charge({attempt, held->id, held->total_amount, "USD", kGoodToken});
  ASSERT_TRUE(charge.ok());
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(reconciler().SettleStale(), 1);
  domain::SucceededCharge late{domain::NewUuidV7(clock_.Now()),
                               held->id,
                               event_.id,
                               alice_.user_id,
                               "credit_card",
                               charge->reference,
                               held->total_amount,
                               "USD",
                               clock_.Now()};
  late.attempt_id = attempt;
  auto lost = store_->ConfirmPaid(late);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, ErrorCode::kPaymentFailed);
  EXPECT_EQ(node().Get(alice_, held->id)->status, BookingStatus::kPending);
  EXPECT_EQ(node().ProcessRefunds(), 1);  // the reconciler's refund, once
  EXPECT_EQ(gateway_.refunded_count(), 1u);
  ExpectInvariants();
}

// The hold was remembered here, then the booking was cancelled through another node: the charge
// taken on the stale facts loses in the batch and its money goes back.
TEST_F(BookingEngineTest, AConfirmationOfABookingCancelledElsewhereIsRefunded) {
  domain::BookingService here(*store_, gateway_, sink_, clock_, domain::BookingPolicy{});
  domain::BookingService there(*store_, gateway_, sink_, clock_, domain::BookingPolicy{});
  auto held = here.Hold(alice_, event_.id, {event_.seat_ids[3]});
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(there.Cancel(alice_, held->id).ok());
  auto confirmed = here.Confirm(alice_, held->id, kGoodToken);
  ASSERT_FALSE(confirmed.ok());
  EXPECT_EQ(confirmed.error().code, ErrorCode::kBookingNotPending);
  EXPECT_EQ(here.ProcessRefunds(), 1);
  auto after = here.Get(alice_, held->id);
  EXPECT_EQ(after->status, BookingStatus::kCancelled);
  EXPECT_EQ(after->refund_status, domain::RefundStatus::kCompleted);
  EXPECT_EQ(storage::CheckBookingInvariants(*db_, event_.id).available, event_.capacity);
  ExpectInvariants();
}

TEST_F(BookingEngineTest, ACheckoutThatLosesToExpiryIsRefunded) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[8]});
  // The charge succeeded, but the hold ran out before the confirmation committed.
  domain::SucceededCharge late{domain::NewUuidV7(clock_.Now()),
                               held->id,
                               event_.id,
                               alice_.user_id,
                               "credit_card",
                               "ch_sandbox_late",
                               held->total_amount,
                               "USD",
                               clock_.Now() + std::chrono::seconds(301)};
  auto lost = store_->ConfirmPaid(late);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, ErrorCode::kBookingExpired);
  clock_.Advance(std::chrono::seconds(302));
  service_->ExpireDue();
  EXPECT_EQ(service_->ProcessRefunds(), 1);
  auto after = service_->Get(alice_, held->id);
  EXPECT_EQ(after->status, BookingStatus::kExpired);
  EXPECT_EQ(after->refund_status, domain::RefundStatus::kCompleted);
  ExpectInvariants();
}

// Confirmations are written in batches as JSON rows: whatever text the gateway returns is kept
// exactly.
TEST_F(BookingEngineTest, AGatewayReferenceIsStoredExactlyAsGiven) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[12]});
  ASSERT_TRUE(held.ok());
  const std::string reference = "ch_\"quoted\"\\back\nline\t\x01 é";
  domain::SucceededCharge charge{domain::NewUuidV7(clock_.Now()),
                                 held->id,
                                 event_.id,
                                 alice_.user_id,
                                 "credit_card",
                                 reference,
                                 held->total_amount,
                                 "USD",
                                 clock_.Now()};
  ASSERT_TRUE(store_->ConfirmPaid(charge).ok());
  std::string stored;
  db_->Read([&](storage::Connection& conn) {
    stored = conn.Exec({"test_payment_reference",
                        "SELECT gateway_reference FROM payments WHERE booking_id = $1"},
                       {held->id})
                 .Text(0, 0);
  });
  EXPECT_EQ(stored, reference);
  ExpectInvariants();
}

// A client that sends its confirmation several times at once: the charges arrive together (and
// so, mostly, in one batch). One confirms the booking; every other charge is refunded.
TEST_F(BookingEngineTest, ChargesRacingForOneBookingConfirmItOnceAndRefundTheRest) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[10], event_.seat_ids[11]});
  ASSERT_TRUE(held.ok());
  constexpr int kCharges = 8;
  std::vector<domain::SucceededCharge> charges;
  for (int i = 0; i < kCharges; ++i) {
    charges.push_back({domain::NewUuidV7(clock_.Now()), held->id, event_.id, alice_.user_id,
                       "credit_card", "ch_sandbox_dup" + std::to_string(i), held->total_amount,
                       "USD", clock_.Now()});
  }
  std::vector<std::optional<domain::Result<domain::BookingChange>>> results(kCharges);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kCharges; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < kCharges) std::this_thread::yield();
      results[static_cast<std::size_t>(i)].emplace(store_->ConfirmPaid(charges[i]));
    });
  }
  for (auto& t : threads) t.join();
  int confirmed = 0;
  for (const auto& result : results) {
    if (result->ok()) {
      ++confirmed;
      EXPECT_EQ(result->value().booking.status, BookingStatus::kConfirmed);
    } else {
      EXPECT_EQ(result->error().code, ErrorCode::kBookingNotPending);
    }
  }
  EXPECT_EQ(confirmed, 1);
  EXPECT_EQ(service_->ProcessRefunds(), kCharges - 1);
  EXPECT_EQ(storage::CheckBookingInvariants(*db_, event_.id).booked, 2);
  ExpectInvariants();
}

TEST_F(BookingEngineTest, CancelPendingReleasesAndConfirmedIsRefunded) {
  auto pending = service_->Hold(alice_, event_.id, {event_.seat_ids[9]});
  auto cancelled = service_->Cancel(alice_, pending->id);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->refund_status, domain::RefundStatus::kNotApplicable);
  EXPECT_EQ(cancelled->refund_amount, 0);

  auto paid = service_->Hold(bob_, event_.id, {event_.seat_ids[9], event_.seat_ids[11]});
  ASSERT_TRUE(service_->Confirm(bob_, paid->id, kGoodCard).ok());
  auto refunded = service_->Cancel(admin_, paid->id);
  ASSERT_TRUE(refunded.ok());
  EXPECT_EQ(refunded->status, BookingStatus::kCancelled);
  EXPECT_EQ(refunded->refund_status, domain::RefundStatus::kProcessing);
  EXPECT_EQ(refunded->refund_amount, 50000 + 5000);
  EXPECT_EQ(service_->Cancel(bob_, paid->id).error().code, ErrorCode::kBookingNotCancellable);
  gateway_.FailNextRefunds(1);
  EXPECT_EQ(service_->ProcessRefunds(), 1);  // fails, retried later
  EXPECT_EQ(service_->Get(bob_, paid->id)->refund_status, domain::RefundStatus::kProcessing);
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_EQ(service_->ProcessRefunds(), 1);
  EXPECT_EQ(service_->Get(bob_, paid->id)->refund_status, domain::RefundStatus::kCompleted);
  EXPECT_EQ(storage::CheckBookingInvariants(*db_, event_.id).available, event_.capacity);
  ExpectInvariants();
}

TEST_F(BookingEngineTest, NoCancellationAfterTheEventStarted) {
  auto paid = service_->Hold(alice_, event_.id, {event_.seat_ids[12]});
  ASSERT_TRUE(service_->Confirm(alice_, paid->id, kGoodCard).ok());
  clock_.Advance(std::chrono::hours(49));
  EXPECT_EQ(service_->Cancel(alice_, paid->id).error().code, ErrorCode::kBookingNotCancellable);
}

TEST_F(BookingEngineTest, CancellingTheEventReleasesHoldsAndRefundsEveryone) {
  auto pending = service_->Hold(alice_, event_.id, {event_.seat_ids[0]});
  auto paid = service_->Hold(bob_, event_.id, {event_.seat_ids[1], event_.seat_ids[2]});
  ASSERT_TRUE(service_->Confirm(bob_, paid->id, kGoodCard).ok());
  EXPECT_EQ(service_->CancelEventBookings(event_.id), 2);
  EXPECT_EQ(service_->Get(alice_, pending->id)->status, BookingStatus::kCancelled);
  auto refunded = service_->Get(bob_, paid->id);
  EXPECT_EQ(refunded->status, BookingStatus::kCancelled);
  EXPECT_EQ(refunded->refund_amount, 100000);
  EXPECT_EQ(service_->ProcessRefunds(), 1);
  ExpectInvariants();
}

TEST_F(BookingEngineTest, ListsNewestFirstWithStatusFilter) {
  auto first = service_->Hold(alice_, event_.id, {event_.seat_ids[0]});
  clock_.Advance(std::chrono::seconds(1));
  auto second = service_->Hold(alice_, event_.id, {event_.seat_ids[1]});
  ASSERT_TRUE(service_->Confirm(alice_, second->id, kGoodCard).ok());
  auto all = service_->ListMine(alice_, std::nullopt, {1, 20});
  ASSERT_EQ(all.total, 2);
  EXPECT_EQ(all.items[0].id, second->id);
  auto confirmed = service_->ListMine(alice_, BookingStatus::kConfirmed, {1, 20});
  ASSERT_EQ(confirmed.total, 1);
  EXPECT_EQ(confirmed.items[0].seats.size(), 1u);
  EXPECT_EQ(service_->ListMine(bob_, std::nullopt, {1, 20}).total, 0);
}

// Many threads race for the same few seats; every seat ends in at most one live booking.
TEST_F(BookingEngineTest, RacingHoldsNeverSellASeatTwice) {
  constexpr int kThreads = 12;
  std::vector<Principal> users;
  for (int i = 0; i < kThreads; ++i) {
    users.push_back({CreateUser(*db_, "racer" + std::to_string(i) + "@example.com"), Role::kUser});
  }
  std::vector<std::string> contested(event_.seat_ids.begin(), event_.seat_ids.begin() + 8);
  std::atomic<int> seats_won{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      for (int i = 0; i < 25; ++i) {
        std::vector<std::string> pick = contested;
        std::shuffle(pick.begin(), pick.end(), rng);
        pick.resize(1 + rng() % 3);
        auto held = service_->Hold(users[t], event_.id, pick);
        if (held.ok()) {
          seats_won += static_cast<int>(held->seats.size());
          if (rng() % 2) (void)service_->Confirm(users[t], held->id, kGoodCard);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seats_won.load(), 8);
  auto report = storage::CheckBookingInvariants(*db_, event_.id);
  EXPECT_EQ(report.held + report.booked, 8);
  ExpectInvariants();
}

// Two "nodes" (independent pools and group-commit queues) on one store race for one event.
TEST_F(BookingEngineTest, TwoNodesOnOneStoreNeverSellASeatTwice) {
  auto other_db = storage::OpenDatabase(url_, {4, 10000});
  storage::BookingStore other_store(*other_db);
  domain::BookingService other(other_store, gateway_, sink_, clock_, domain::BookingPolicy{});
  std::vector<std::string> contested(event_.seat_ids.begin(), event_.seat_ids.begin() + 6);
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      domain::BookingService& node = t % 2 ? other : *service_;
      Principal who = t % 2 ? bob_ : alice_;
      std::mt19937 rng(static_cast<unsigned>(100 + t));
      for (int i = 0; i < 20; ++i) {
        std::vector<std::string> pick = contested;
        std::shuffle(pick.begin(), pick.end(), rng);
        pick.resize(1 + rng() % 2);
        auto held = node.Hold(who, event_.id, pick);
        if (held.ok()) won += static_cast<int>(held->seats.size());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 6);
  ExpectInvariants();
}

// A random walk of holds, confirms, declines, cancels, expiries and refunds; the store's
// invariants hold after every step.
TEST_F(BookingEngineTest, RandomizedLifecycleKeepsInvariants) {
  std::mt19937 rng(20261126);
  std::vector<std::pair<Principal, std::string>> bookings;
  Principal people[] = {alice_, bob_};
  for (int step = 0; step < 120; ++step) {
    int action = static_cast<int>(rng() % 6);
    if (action <= 1 || bookings.empty()) {
      std::vector<std::string> pick;
      for (int k = 0; k < 1 + static_cast<int>(rng() % 3); ++k) {
        pick.push_back(event_.seat_ids[rng() % event_.seat_ids.size()]);
      }
      std::sort(pick.begin(), pick.end());
      pick.erase(std::unique(pick.begin(), pick.end()), pick.end());
      Principal who = people[rng() % 2];
      auto held = service_->Hold(who, event_.id, pick);
      if (held.ok()) bookings.emplace_back(who, held->id);
    } else {
      auto& [who, id] = bookings[rng() % bookings.size()];
      if (action == 2) (void)service_->Confirm(who, id, rng() % 4 ? kGoodCard : kDeclinedToken);
      if (action == 3) (void)service_->Cancel(who, id);
      if (action == 4) {
        clock_.Advance(std::chrono::seconds(rng() % 200));
        service_->ExpireDue();
      }
      if (action == 5) service_->ProcessRefunds();
    }
    auto report = storage::CheckBookingInvariants(*db_, event_.id);
    ASSERT_TRUE(report.ok()) << "step " << step << ": " << report.violations.front();
  }
}

// Migration 0009's promise: a hold and a release change no indexed column of seats, so
// PostgreSQL writes every seat row in place (a HOT update, no new index entries). The counts are
// the transaction's own (pg_stat_xact_user_tables); an index on booking_id or status, or full
// pages, would make them differ.
TEST_F(BookingEngineTest, HoldsAndReleasesUpdateSeatsInPlaceOnPostgres) {
  if (TestEngine() != "postgres") GTEST_SKIP() << "PostgreSQL only";
  static constexpr storage::Statement kSeatWrites{
      "test_seat_writes",
      "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
      "WHERE relname = 'seats' AND schemaname = current_schema()"};
  domain::HoldRequest hold{domain::NewUuidV7(clock_.Now()),
                           event_.id,
                           alice_.user_id,
                           {event_.seat_ids[0], event_.seat_ids[1], event_.seat_ids[12]},
                           clock_.Now(),
                           clock_.Now() + std::chrono::minutes(5)};
  storage::ReleaseRules no_offers{domain::OfferPolicy{}, /*offers_allowed=*/false};
  db_->Write([&](storage::Connection& conn) {
    auto results = storage::HoldBatch(conn, {&hold}, no_offers);
    ASSERT_EQ(results.size(), 1u);
    ASSERT_TRUE(results[0].ok()) << results[0].error().Message();
    auto released = storage::ReleaseSeats(conn, event_.id,
                                          {storage::SeatHolder::Kind::kBooking, hold.booking_id},
                                          clock_.Now(), no_offers);
    ASSERT_TRUE(released.has_value());
    EXPECT_EQ(released->seat_ids.size(), 3u);
    storage::Rows writes = conn.Exec(kSeatWrites);
    ASSERT_EQ(writes.size(), 1u);
    EXPECT_EQ(writes.Int(0, 0), 6);  // three seats held, then released
    EXPECT_EQ(writes.Int(0, 1), 6);
  });
}

}  // namespace
}  // namespace evently::testing
