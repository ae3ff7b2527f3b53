// An event's terms of sale against a real store, on each engine: nothing is held before the sale
// starts, and no user's live seats pass the per-user limit, however their holds race.
#include <gtest/gtest.h>

#include <atomic>
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

using domain::ErrorCode;
using domain::Principal;

class SaleTermsTest : public BookingWorld {
 protected:
  SaleTermsTest() : BookingWorld({{"General", 4, 10, 5000}}) {}

  void SetTerms(std::optional<domain::TimePoint> sale_starts_at,
                std::optional<std::int64_t> limit) {
    static constexpr storage::Statement kTerms{
        "test_sale_terms",
        "UPDATE events SET sale_starts_at = $2, max_tickets_per_user = $3 WHERE id = $1"};
    storage::Param sale = nullptr, max = nullptr;
    if (sale_starts_at) sale = domain::ToEpochMillis(*sale_starts_at);
    if (limit) max = *limit;
    db_->Write([&](storage::Connection& c) { c.Exec(kTerms, {event_.id, sale, max}); });
  }

  // The seats of the user's pending and confirmed bookings of the event, as the store has them.
  std::int64_t LiveSeats(const Principal& who) {
    static constexpr storage::Statement kLive{
        "test_live_seats",
        "SELECT COUNT(*) FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id "
        "WHERE b.event_id = $1 AND b.user_id = $2 AND b.status IN ('pending', 'confirmed')"};
    return db_->ReadOne(kLive, {event_.id, who.user_id}).Int(0, 0);
  }

  domain::HoldRequest Request(const Principal& who, std::vector<std::string> seats) {
    return domain::HoldRequest{domain::NewUuidV7(clock_.Now()),
                               event_.id,
                               who.user_id,
                               std::move(seats),
                               clock_.Now(),
                               clock_.Now() + std::chrono::minutes(5)};
  }
};

TEST_F(SaleTermsTest, NothingIsHeldBeforeTheSaleStarts) {
  domain::TimePoint opens = clock_.Now() + std::chrono::hours(1);
  SetTerms(opens, std::nullopt);
  auto early = service_->Hold(alice_, event_.id, Seats(0, 2));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kEventNotOnSale);
  ASSERT_EQ(early.error().details.strings.size(), 1u);
  EXPECT_EQ(early.error().details.strings[0].first, "sale_starts_at");
  EXPECT_EQ(early.error().details.strings[0].second, domain::FormatRfc3339(opens));
  EXPECT_EQ(storage::CheckBookingInvariants(*db_, event_.id).available, event_.capacity);
  clock_.Advance(std::chrono::hours(1));
  auto on_time = service_->Hold(alice_, event_.id, Seats(0, 2));
  ASSERT_TRUE(on_time.ok()) << on_time.error().Message();
  ExpectInvariants();
}

// Within one batch the fast path cannot see the store's count: every hold must be decided by
// the seats granted before it, including those of the same batch.
TEST_F(SaleTermsTest, ABatchCountsWhatItsEarlierHoldsGrantedTheSameUser) {
  SetTerms(std::nullopt, 4);
  ASSERT_TRUE(service_->Hold(bob_, event_.id, Seats(0, 1)).ok());
  domain::HoldRequest clash = Request(alice_, Seats(0, 2));   // bob has seat 0: refused
  domain::HoldRequest three = Request(alice_, Seats(10, 3));  // granted: 3 of 4
  domain::HoldRequest two = Request(alice_, Seats(20, 2));    // 3 + 2 > 4: refused
  domain::HoldRequest other = Request(bob_, Seats(30, 3));    // bob's own count: 1 + 3
  domain::HoldRequest one = Request(alice_, Seats(25, 1));    // 3 + 1: granted
  std::vector<domain::Result<domain::BookingChange>> results;
  db_->Write([&](storage::Connection& conn) {
    results = storage::HoldBatch(conn, {&clash, &three, &two, &other, &one},
                                 storage::ReleaseRules{domain::OfferPolicy{}, true});
  });
  ASSERT_EQ(results.size(), 5u);
  ASSERT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].error().code, ErrorCode::kBookingSeatsUnavailable);
  ASSERT_TRUE(results[1].ok()) << results[1].error().Message();
  ASSERT_FALSE(results[2].ok());
  EXPECT_EQ(results[2].error().code, ErrorCode::kBookingLimitExceeded);
  const auto& numbers = results[2].error().details.numbers;
  ASSERT_EQ(numbers.size(), 2u);
  EXPECT_EQ(numbers[0], (std::pair<std::string, std::int64_t>{"limit", 4}));
  EXPECT_EQ(numbers[1], (std::pair<std::string, std::int64_t>{"held", 3}));
  ASSERT_TRUE(results[3].ok()) << results[3].error().Message();
  ASSERT_TRUE(results[4].ok()) << results[4].error().Message();
  EXPECT_EQ(LiveSeats(alice_), 4);
  EXPECT_EQ(LiveSeats(bob_), 4);
  ExpectInvariants();
}

TEST_F(SaleTermsTest, PendingAndConfirmedCountCancelledAndExpiredDoNot) {
  SetTerms(std::nullopt, 3);
  auto confirmed = service_->Hold(alice_, event_.id, Seats(0, 1));
  ASSERT_TRUE(confirmed.ok());
  ASSERT_TRUE(service_->Confirm(alice_, confirmed->id, kGoodToken).ok());
  auto pending = service_->Hold(alice_, event_.id, Seats(1, 2));
  ASSERT_TRUE(pending.ok()) << pending.error().Message();
  auto over = service_->Hold(alice_, event_.id, Seats(3, 1));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kBookingLimitExceeded);
  EXPECT_EQ(over.error().details.numbers[1].second, 3);
  EXPECT_TRUE(service_->Hold(bob_, event_.id, Seats(3, 3)).ok()) << "the limit is per user";

  ASSERT_TRUE(service_->Cancel(alice_, pending->id).ok());
  auto again = service_->Hold(alice_, event_.id, Seats(10, 2));
  ASSERT_TRUE(again.ok()) << again.error().Message();
  clock_.Advance(std::chrono::seconds(301));
  EXPECT_EQ(service_->ExpireDue(), 2);  // alice's and bob's
  auto after_expiry = service_->Hold(alice_, event_.id, Seats(12, 2));
  ASSERT_TRUE(after_expiry.ok()) << after_expiry.error().Message();
  EXPECT_EQ(LiveSeats(alice_), 3);
  ExpectInvariants();
}

// `threads` threads of one user race one-seat holds, each for a seat of its own, spread over
// `nodes` (one booking service each); every refusal must be the limit's. Returns the grants.
int RaceOneUser(const std::vector<domain::BookingService*>& nodes, const Principal& who,
                const std::string& event_id, const std::vector<std::string>& seats, int threads) {
  std::atomic<int> granted{0};
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      domain::BookingService& node = *nodes[static_cast<std::size_t>(t) % nodes.size()];
      for (std::size_t i = next++; i < seats.size(); i = next++) {
        auto held = node.Hold(who, event_id, {seats[i]});
        if (held.ok()) {
          ++granted;
        } else {
          EXPECT_EQ(held.error().code, ErrorCode::kBookingLimitExceeded) << held.error().Message();
        }
      }
    });
  }
  for (auto& t : pool) t.join();
  return granted.load();
}

TEST_F(SaleTermsTest, RacingHoldsOfOneUserNeverPassTheLimit) {
  SetTerms(std::nullopt, 7);
  EXPECT_EQ(RaceOneUser({service_.get()}, alice_, event_.id, Seats(0, 30), 10), 7);
  EXPECT_EQ(LiveSeats(alice_), 7);
  ExpectInvariants();
}

// Two "nodes" (independent pools and group-commit queues) on one store: the count is taken under
// the event's lock, so holds the nodes batch apart still see each other.
TEST_F(SaleTermsTest, RacingHoldsOfOneUserOnTwoNodesNeverPassTheLimit) {
  SetTerms(std::nullopt, 6);
  auto other_db = storage::OpenDatabase(url_, {4, 10000});
  storage::BookingStore other_store(*other_db);
  domain::BookingService other(other_store, gateway_, sink_, clock_, domain::BookingPolicy{});
  EXPECT_EQ(RaceOneUser({service_.get(), &other}, alice_, event_.id, Seats(0, 32), 12), 6);
  EXPECT_EQ(LiveSeats(alice_), 6);
  ExpectInvariants();
}

}  // namespace
}  // namespace evently::testing
