// Idempotency keys answered in the transaction of their change (CONTRACT.md, Idempotency), and a
// batch whose member fails on its own row: on each engine.
#include <gtest/gtest.h>

#include <barrier>
#include <thread>

#include "domain/booking/booking_service.hpp"
#include "domain/ids.hpp"
#include "payments/sandbox_gateway.hpp"
#include "storage/booking_store.hpp"
#include "storage/hold_batch.hpp"
#include "storage/invariants.hpp"
#include "support/booking_world.hpp"

namespace evently::testing {
namespace {

using domain::BookingAnswer;
using domain::ErrorCode;
using domain::Principal;
using domain::Role;
using Found = BookingAnswer::Found;

class KeyedWritesTest : public BookingWorld {
 protected:
  KeyedWritesTest() : BookingWorld({{"GA", 4, 10, 2500}}) {}

  // A keyed request of `who` whose answer is its status and booking id (or error code).
  BookingAnswer Keyed(const Principal& who, const std::string& key, const std::string& request) {
    BookingAnswer keyed;
    keyed.request = {who.user_id, key, request, clock_.Now(),
                     clock_.Now() + std::chrono::hours(24)};
    keyed.render = [](const domain::Result<domain::Booking>& outcome) {
      if (!outcome.ok()) {
        return domain::StoredResponse{
            409, {}, std::string(domain::Describe(outcome.error().code).api_code)};
      }
      return domain::StoredResponse{201, {{"Location", "/b/" + outcome->id}}, outcome->id};
    };
    return keyed;
  }

  std::int64_t BookingsOf(const Principal& who) {
    return service_->ListMine(who, std::nullopt, domain::PageRequest{1, 100}).total;
  }
};

TEST_F(KeyedWritesTest, AKeyedHoldKeepsItsAnswerWithTheBookingAndARetryChangesNothing) {
  BookingAnswer first = Keyed(alice_, "k1", "hold seat 0");
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[0]}, &first);
  ASSERT_TRUE(held.ok()) << held.error().Message();
  ASSERT_TRUE(first.answer.has_value());
  EXPECT_EQ(first.found, Found::kNone);
  EXPECT_EQ(first.answer->body, held->id);

  BookingAnswer retry = Keyed(alice_, "k1", "hold seat 0");
  auto again = service_->Hold(alice_, event_.id, {event_.seat_ids[0]}, &retry);
  ASSERT_TRUE(retry.decided());
  EXPECT_EQ(retry.found, Found::kReplay);
  EXPECT_EQ(retry.answer->status, 201);
  EXPECT_EQ(retry.answer->body, held->id);
  EXPECT_EQ(retry.answer->headers, first.answer->headers);
  EXPECT_FALSE(again.ok());  // nothing was done: the answer is the kept one
  EXPECT_EQ(BookingsOf(alice_), 1);

  // The same key for another request: refused, and nothing taken.
  BookingAnswer other = Keyed(alice_, "k1", "hold seat 5");
  (void)service_->Hold(alice_, event_.id, {event_.seat_ids[5]}, &other);
  EXPECT_EQ(other.found, Found::kMismatch);
  EXPECT_EQ(BookingsOf(alice_), 1);
  EXPECT_TRUE(service_->Hold(bob_, event_.id, {event_.seat_ids[5]}).ok());
  // Keys are the user's own: bob's "k1" is a new request.
  BookingAnswer bobs = Keyed(bob_, "k1", "hold seat 0");
  auto refused = service_->Hold(bob_, event_.id, {event_.seat_ids[0]}, &bobs);
  EXPECT_EQ(refused.error().code, ErrorCode::kBookingSeatsUnavailable);
  EXPECT_EQ(bobs.found, Found::kNone);
  ASSERT_TRUE(bobs.answer.has_value());
  EXPECT_EQ(bobs.answer->body, "BOOKING_SEATS_UNAVAILABLE");
  ExpectInvariants();
}

TEST_F(KeyedWritesTest, ARefusalIsKeptAsTheAnswerEvenOnceTheSeatsAreFree) {
  auto theirs = service_->Hold(bob_, event_.id, {event_.seat_ids[1]});
  ASSERT_TRUE(theirs.ok());
  BookingAnswer first = Keyed(alice_, "k2", "hold seat 1");
  EXPECT_FALSE(service_->Hold(alice_, event_.id, {event_.seat_ids[1]}, &first).ok());
  ASSERT_TRUE(service_->Cancel(bob_, theirs->id).ok());
  BookingAnswer retry = Keyed(alice_, "k2", "hold seat 1");
  (void)service_->Hold(alice_, event_.id, {event_.seat_ids[1]}, &retry);
  EXPECT_EQ(retry.found, Found::kReplay);
  EXPECT_EQ(retry.answer->body, "BOOKING_SEATS_UNAVAILABLE");
  EXPECT_EQ(BookingsOf(alice_), 0);
  // Past its 24 hours the key is free again.
  clock_.Advance(std::chrono::hours(25));
  BookingAnswer later = Keyed(alice_, "k2", "hold seat 1");
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[1]}, &later);
  ASSERT_TRUE(held.ok()) << held.error().Message();
  EXPECT_EQ(later.found, Found::kNone);
  ExpectInvariants();
}

// Two holds under one key in one batch (a client that sent it twice at once): one booking, and
// the second is answered with the first's answer.
TEST_F(KeyedWritesTest, TwinsInOneBatchMakeOneBookingAndShareItsAnswer) {
  auto request = [&](BookingAnswer* keyed, const std::string& seat) {
    return domain::HoldRequest{
        domain::NewUuidV7(clock_.Now()),        event_.id, alice_.user_id, {seat}, clock_.Now(),
        clock_.Now() + std::chrono::minutes(5), keyed};
  };
  BookingAnswer a = Keyed(alice_, "twin", "hold seat 2");
  BookingAnswer b = Keyed(alice_, "twin", "hold seat 2");
  BookingAnswer c = Keyed(alice_, "twin", "hold seat 3");  // same key, other request
  domain::HoldRequest ra = request(&a, event_.seat_ids[2]);
  domain::HoldRequest rb = request(&b, event_.seat_ids[2]);
  domain::HoldRequest rc = request(&c, event_.seat_ids[3]);
  std::vector<domain::Result<domain::BookingChange>> results;
  db_->Write([&](storage::Connection& conn) {
    results = storage::HoldBatch(conn, {&ra, &rb, &rc},
                                 storage::ReleaseRules{domain::OfferPolicy{}, true});
  });
  ASSERT_TRUE(results[0].ok()) << results[0].error().Message();
  EXPECT_FALSE(results[1].ok());
  EXPECT_FALSE(results[2].ok());
  EXPECT_EQ(b.found, Found::kReplay);
  EXPECT_EQ(b.answer->body, results[0].value().booking.id);
  EXPECT_EQ(c.found, Found::kMismatch);
  EXPECT_EQ(BookingsOf(alice_), 1);
  ExpectInvariants();
}

TEST_F(KeyedWritesTest, AKeyedConfirmationAndCancellationReplayWithoutASecondChange) {
  auto held = service_->Hold(alice_, event_.id, {event_.seat_ids[4]});
  ASSERT_TRUE(held.ok());
  BookingAnswer pay = Keyed(alice_, "pay", "confirm");
  auto paid = service_->Confirm(alice_, held->id, kGoodToken, &pay);
  ASSERT_TRUE(paid.ok()) << paid.error().Message();
  BookingAnswer pay_again = Keyed(alice_, "pay", "confirm");
  (void)service_->Confirm(alice_, held->id, kGoodToken, &pay_again);
  EXPECT_EQ(pay_again.found, Found::kReplay);
  EXPECT_EQ(pay_again.answer->status, 201);

  BookingAnswer cancel = Keyed(alice_, "cancel", "cancel");
  ASSERT_TRUE(service_->Cancel(alice_, held->id, &cancel).ok());
  BookingAnswer cancel_again = Keyed(alice_, "cancel", "cancel");
  (void)service_->Cancel(alice_, held->id, &cancel_again);
  EXPECT_EQ(cancel_again.found, Found::kReplay);
  EXPECT_EQ(cancel_again.answer->status, 201);  // the first cancellation's answer, not a 409
  auto booking = service_->Get(alice_, held->id);
  ASSERT_TRUE(booking.ok());
  EXPECT_EQ(booking->refund_amount, 2500);  // refunded once
  ExpectInvariants();
}

// A member whose own row fails (here: a user the store does not have) fails alone; every other
// hold that shared its batches commits.
TEST_F(KeyedWritesTest, AHoldThatFailsOnItsOwnRowFailsAloneInItsBatch) {
  constexpr int kReal = 12, kGhosts = 4;
  std::vector<Principal> who;
  for (int i = 0; i < kReal; ++i) {
    who.push_back({CreateUser(*db_, "buyer" + std::to_string(i) + "@example.com"), Role::kUser});
  }
  for (int i = 0; i < kGhosts; ++i) {
    who.push_back({domain::NewUuidV7(clock_.Now()), Role::kUser});
  }
  std::barrier start(kReal + kGhosts);
  std::vector<int> outcome(who.size(), -1);  // 1 held, 0 refused, 2 threw
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < who.size(); ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        outcome[i] = service_->Hold(who[i], event_.id, {event_.seat_ids[10 + i]}).ok() ? 1 : 0;
      } catch (const std::exception&) {
        outcome[i] = 2;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kReal; ++i) EXPECT_EQ(outcome[i], 1) << "real buyer " << i;
  for (int i = kReal; i < kReal + kGhosts; ++i) EXPECT_EQ(outcome[i], 2) << "ghost " << i;
  auto report = storage::CheckBookingInvariants(*db_, event_.id);
  EXPECT_EQ(report.held, kReal);
  ExpectInvariants();
}

}  // namespace
}  // namespace evently::testing
