// The waitlist against a real store, on each engine: joining, positions, offers of released
// seats, conversion, lapses, event cancellation, and the outbox rows each change writes.
#include "storage/waitlist_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "domain/ids.hpp"
#include "storage/hold_batch.hpp"
#include "support/waitlist_fixture.hpp"

namespace evently::testing {
namespace {

using domain::ErrorCode;
using domain::WaitlistStatus;

TEST_F(WaitlistTest, JoinOpensOnlyWhenNothingIsOnSale) {
  auto early = waitlist_->Join(bob_, event_.id, {});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kWaitlistNotAvailable);
  EXPECT_EQ(early.error().details.numbers[0].second, 4);
  SellOut();
  auto joined = waitlist_->Join(bob_, event_.id, {});
  ASSERT_TRUE(joined.ok());
  EXPECT_TRUE(joined->created);
  EXPECT_EQ(joined->entry.status, WaitlistStatus::kWaiting);
  EXPECT_EQ(joined->entry.position, 1);
  EXPECT_EQ(joined->entry.estimated_wait_time, "unknown");
  EXPECT_EQ(joined->entry.event_name, "Fixture Night");
  EXPECT_TRUE(joined->entry.preferences.email);
  EXPECT_FALSE(joined->entry.preferences.sms);
  auto again = waitlist_->Join(bob_, event_.id, {false, true});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->entry.id, joined->entry.id);
  EXPECT_TRUE(again->entry.preferences.email);  // the existing entry, unchanged
}

TEST_F(WaitlistTest, JoinRefusesUnknownStartedAndCancelledEvents) {
  EXPECT_EQ(waitlist_->Join(bob_, domain::NewUuidV7(clock_.Now()), {}).error().code,
            ErrorCode::kEventNotFound);
  EXPECT_EQ(waitlist_->Join(bob_, "not-a-uuid", {}).error().code, ErrorCode::kValidationError);
  auto soon = CreateEvent(*db_, {{"GA", 1, 1, 100}}, clock_.Now() + std::chrono::hours(1));
  ASSERT_TRUE(bookings_->Hold(alice_, soon.id, soon.seat_ids).ok());
  static constexpr storage::Statement kCancel{"test_cancel_event",
                                              "UPDATE events SET cancelled_at = 1 WHERE id = $1"};
  db_->Write([&](storage::Connection& c) { c.Exec(kCancel, {soon.id}); });
  EXPECT_EQ(waitlist_->Join(bob_, soon.id, {}).error().code, ErrorCode::kEventNotBookable);
  SellOut();
  clock_.Advance(std::chrono::hours(49));
  EXPECT_EQ(waitlist_->Join(bob_, event_.id, {}).error().code, ErrorCode::kEventNotBookable);
}

TEST_F(WaitlistTest, PositionsFollowJoinOrderAndOnlyTheOwnerLeaves) {
  SellOut();
  auto b = Join(bob_);
  clock_.Advance(std::chrono::milliseconds(5));
  auto c = Join(carol_);
  EXPECT_EQ(b.position, 1);
  EXPECT_EQ(c.position, 2);
  EXPECT_EQ(waitlist_->Leave(carol_, b.id).error().code, ErrorCode::kWaitlistEntryNotFound);
  EXPECT_EQ(waitlist_->Leave(admin_, b.id).error().code, ErrorCode::kWaitlistEntryNotFound);
  EXPECT_EQ(waitlist_->Get(carol_, b.id).error().code, ErrorCode::kWaitlistEntryNotFound);
  EXPECT_TRUE(waitlist_->Get(admin_, b.id).ok());
  EXPECT_EQ(waitlist_->Get(bob_, "nope").error().code, ErrorCode::kWaitlistEntryNotFound);
  auto left = waitlist_->Leave(bob_, b.id);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->status, WaitlistStatus::kLeft);
  EXPECT_FALSE(left->position.has_value());
  EXPECT_EQ(Entry(carol_, c.id).position, 1);
  EXPECT_EQ(waitlist_->Leave(bob_, b.id)->status, WaitlistStatus::kLeft);  // idempotent
  // Left: joining again makes a new entry at the back.
  clock_.Advance(std::chrono::milliseconds(5));
  auto back = waitlist_->Join(bob_, event_.id, {});
  ASSERT_TRUE(back.ok() && back->created);
  EXPECT_EQ(back->entry.position, 2);
  auto mine = waitlist_->ListMine(bob_, {1, 20});
  EXPECT_EQ(mine.total, 2);
  EXPECT_EQ(mine.items[0].id, back->entry.id);
}

TEST_F(WaitlistTest, ReleasedSeatsAreHeldForTheFirstWaitingEntryOnly) {
  auto [first, second] = SellOut();
  auto b = Join(bob_);
  clock_.Advance(std::chrono::milliseconds(5));
  auto c = Join(carol_);
  ASSERT_TRUE(bookings_->Cancel(alice_, first.id).ok());

  auto changes = sink_.Take();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].status, "held");
  EXPECT_EQ(changes[0].available_seats, 0);
  auto offered = Entry(bob_, b.id);
  EXPECT_EQ(offered.status, WaitlistStatus::kOffered);
  EXPECT_EQ(offered.offer_expires_at, clock_.Now() + kOfferWindow);
  std::vector<std::string> expected{event_.seat_ids[0], event_.seat_ids[1]};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(offered.offered_seat_ids, expected);
  EXPECT_EQ(Entry(carol_, c.id).position, 1);
  ExpectInvariants();

  // Invisible to everyone else: not on sale, not bookable by carol.
  auto report = storage::CheckBookingInvariants(*db_, event_.id);
  EXPECT_EQ(report.available, 0);
  EXPECT_EQ(bookings_->Hold(carol_, event_.id, {event_.seat_ids[0]}).error().code,
            ErrorCode::kEventSoldOut);
  // The waitlist stays open: nothing is on sale.
  clock_.Advance(std::chrono::milliseconds(5));
  EXPECT_TRUE(waitlist_->Join(admin_, event_.id, {}).ok());

  // Bob books one of the two; his entry converts and the other seat goes on to carol.
  auto held = bookings_->Hold(bob_, event_.id, {event_.seat_ids[1]});
  ASSERT_TRUE(held.ok()) << held.error().Message();
  changes = sink_.Take();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].seat_ids, std::vector<std::string>{event_.seat_ids[1]});
  EXPECT_EQ(changes[1].seat_ids, std::vector<std::string>{event_.seat_ids[0]});
  EXPECT_EQ(changes[1].status, "held");
  EXPECT_EQ(Entry(bob_, b.id).status, WaitlistStatus::kConverted);
  auto carols = Entry(carol_, c.id);
  EXPECT_EQ(carols.status, WaitlistStatus::kOffered);
  EXPECT_EQ(carols.offered_seat_ids, std::vector<std::string>{event_.seat_ids[0]});
  ASSERT_TRUE(bookings_->Confirm(bob_, held->id, kGoodToken).ok());
  ExpectInvariants();

  // Both offers and bob's confirmation were written to the outbox with their changes.
  EXPECT_EQ(Outbox(bob_), (OutboxRows{Pending("waitlist_offer", "email", "bob@example.com"),
                                      Pending("booking_confirmed", "email", "bob@example.com")}));
  EXPECT_EQ(Kinds(carol_), std::vector<std::string>{"waitlist_offer"});
  EXPECT_EQ(Kinds(alice_), std::vector<std::string>{"booking_cancelled"});
}

// In one batch, a refused hold served from its offers lets the offer's other seat go back on
// sale; a later refused hold of that seat in the same batch sees it open and gets it (its seats
// are read again, not taken from the batch's earlier read).
TEST_F(WaitlistTest, InOneBatchASeatAnOfferLetGoIsHeldByTheNextHold) {
  auto [first, second] = SellOut();
  auto b = Join(bob_);
  ASSERT_TRUE(bookings_->Cancel(alice_, first.id).ok());  // seats 0 and 1 offered to bob
  ASSERT_EQ(Entry(bob_, b.id).status, WaitlistStatus::kOffered);
  sink_.Take();
  auto request = [&](const domain::Principal& who, const std::string& seat) {
    return domain::HoldRequest{
        domain::NewUuidV7(clock_.Now()),       event_.id, who.user_id, {seat}, clock_.Now(),
        clock_.Now() + std::chrono::minutes(5)};
  };
  domain::HoldRequest bobs = request(bob_, event_.seat_ids[1]);
  domain::HoldRequest carols = request(carol_, event_.seat_ids[0]);
  std::vector<domain::Result<domain::BookingChange>> results;
  db_->Write([&](storage::Connection& conn) {
    results = storage::HoldBatch(conn, {&bobs, &carols},
                                 storage::ReleaseRules{domain::OfferPolicy{kOfferWindow}, true});
  });
  ASSERT_EQ(results.size(), 2u);
  ASSERT_TRUE(results[0].ok()) << results[0].error().Message();
  ASSERT_TRUE(results[1].ok()) << results[1].error().Message();
  EXPECT_EQ(results[1].value().booking.seats.at(0).seat_id, event_.seat_ids[0]);
  EXPECT_EQ(Entry(bob_, b.id).status, WaitlistStatus::kConverted);
  ExpectInvariants();
}

TEST_F(WaitlistTest, LapsedOffersPassToTheNextEntryThenBackToSale) {
  auto [first, second] = SellOut();
  auto b = Join(bob_);
  clock_.Advance(std::chrono::milliseconds(5));
  auto c = Join(carol_);
  clock_.Advance(std::chrono::seconds(301));  // alice's holds expire
  EXPECT_EQ(bookings_->ExpireDue(), 2);
  // Two batches, two offers: bob gets the first, carol the second.
  EXPECT_EQ(Entry(bob_, b.id).status, WaitlistStatus::kOffered);
  EXPECT_EQ(Entry(carol_, c.id).status, WaitlistStatus::kOffered);
  EXPECT_EQ(Entry(bob_, b.id).offered_seat_ids.size(), 2u);
  sink_.Take();
  EXPECT_EQ(waitlist_->LapseDueOffers(), 0);  // not yet
  clock_.Advance(kOfferWindow);
  EXPECT_EQ(waitlist_->LapseDueOffers(), 2);
  EXPECT_EQ(Entry(bob_, b.id).status, WaitlistStatus::kLapsed);
  EXPECT_EQ(Entry(carol_, c.id).status, WaitlistStatus::kLapsed);
  auto changes = sink_.Take();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].status, "available");
  EXPECT_EQ(changes[1].available_seats, 4);
  EXPECT_EQ(storage::CheckBookingInvariants(*db_, event_.id).available, 4);
  EXPECT_EQ(Kinds(bob_), (std::vector<std::string>{"waitlist_offer_lapsed", "waitlist_offer"}));
  // An in-app-only lapse notice: bob's outbox holds just the offer email.
  EXPECT_EQ(Outbox(bob_).size(), 1u);
  EXPECT_TRUE(bookings_->Hold(carol_, event_.id, {event_.seat_ids[0]}).ok());
  ExpectInvariants();
}

TEST_F(WaitlistTest, ALapsedOfferGoesToWhoeverWaitsNext) {
  auto [first, second] = SellOut();
  auto b = Join(bob_);
  ASSERT_TRUE(bookings_->Cancel(alice_, first.id).ok());
  clock_.Advance(std::chrono::milliseconds(5));
  auto c = Join(carol_);
  clock_.Advance(kOfferWindow + std::chrono::seconds(1));
  EXPECT_EQ(waitlist_->LapseDueOffers(), 1);
  auto carols = Entry(carol_, c.id);
  EXPECT_EQ(carols.status, WaitlistStatus::kOffered);
  EXPECT_EQ(carols.offered_seat_ids.size(), 2u);
  EXPECT_EQ(bookings_->Hold(bob_, event_.id, {event_.seat_ids[0]}).error().code,
            ErrorCode::kEventSoldOut);
  ExpectInvariants();
}

TEST_F(WaitlistTest, DecliningAnOfferPassesItsSeatsOn) {
  auto [first, second] = SellOut();
  auto b = Join(bob_);
  clock_.Advance(std::chrono::milliseconds(5));
  auto c = Join(carol_);
  ASSERT_TRUE(bookings_->Cancel(alice_, first.id).ok());
  sink_.Take();
  auto left = waitlist_->Leave(bob_, b.id);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->status, WaitlistStatus::kLeft);
  EXPECT_EQ(sink_.Take().size(), 1u);
  EXPECT_EQ(Entry(carol_, c.id).offered_seat_ids.size(), 2u);
  ExpectInvariants();
}

TEST_F(WaitlistTest, ConfirmedBookingCancelledOffersItsSeatsAndRefunds) {
  auto [first, second] = SellOut();
  ASSERT_TRUE(bookings_->Confirm(alice_, second.id, kGoodToken).ok());
  auto b = Join(bob_);
  clock_.Advance(std::chrono::milliseconds(5));
  auto cancelled = bookings_->Cancel(alice_, second.id);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->refund_amount, 5000);
  EXPECT_EQ(Entry(bob_, b.id).offered_seat_ids.size(), 2u);
  clock_.Advance(std::chrono::milliseconds(5));
  EXPECT_EQ(bookings_->ProcessRefunds(), 1);
  EXPECT_EQ(Kinds(alice_), (std::vector<std::string>{"refund_completed", "booking_cancelled",
                                                     "booking_confirmed"}));
  ExpectInvariants();
}

TEST_F(WaitlistTest, PreferencesChooseTheChannels) {
  SetPhone(*db_, bob_.user_id, "+14155550100");
  auto [first, second] = SellOut();
  Join(bob_, {false, true});
  clock_.Advance(std::chrono::milliseconds(5));
  Join(carol_, {true, true});  // no phone: email only
  ASSERT_TRUE(bookings_->Cancel(alice_, first.id).ok());
  ASSERT_TRUE(bookings_->Cancel(alice_, second.id).ok());
  EXPECT_EQ(Outbox(bob_), OutboxRows{Pending("waitlist_offer", "sms", "+14155550100")});
  EXPECT_EQ(Outbox(carol_), OutboxRows{Pending("waitlist_offer", "email", "carol@example.com")});
  EXPECT_EQ(Kinds(bob_), std::vector<std::string>{"waitlist_offer"});  // in-app always
}

TEST_F(WaitlistTest, CancellingTheEventClosesTheWaitlistWithoutOffers) {
  auto [first, second] = SellOut();
  auto b = Join(bob_);
  ASSERT_TRUE(bookings_->Cancel(alice_, first.id).ok());  // bob holds an offer
  clock_.Advance(std::chrono::milliseconds(5));
  auto c = Join(carol_);
  sink_.Take();
  bookings_->CancelEventBookings(event_.id);
  EXPECT_EQ(Entry(bob_, b.id).status, WaitlistStatus::kCancelled);
  EXPECT_EQ(Entry(carol_, c.id).status, WaitlistStatus::kCancelled);
  auto report = storage::CheckBookingInvariants(*db_, event_.id);
  EXPECT_EQ(report.available, 4);
  EXPECT_EQ(report.held, 0);
  for (const auto& change : sink_.Take()) EXPECT_EQ(change.status, "available");
  EXPECT_EQ(Kinds(carol_), std::vector<std::string>{"event_cancelled"});
  EXPECT_EQ(Kinds(alice_).front(), "event_cancelled");
  ExpectInvariants();
}

// An event's cancellation notifies every holder and every waiter in one write of several rows:
// each gets one in-app notice and the deliveries its preferences ask for, to its own address.
TEST_F(WaitlistTest, CancellingTheEventNotifiesEveryoneByTheirChannels) {
  SetPhone(*db_, bob_.user_id, "+14155550100");
  auto [first, second] = SellOut();
  Join(bob_, {true, true});  // email and SMS
  clock_.Advance(std::chrono::milliseconds(5));
  Join(carol_, {false, true});  // SMS only, but no phone: nothing to send
  bookings_->CancelEventBookings(event_.id);
  EXPECT_EQ(Kinds(alice_), (std::vector<std::string>{"event_cancelled", "event_cancelled"}));
  EXPECT_EQ(Kinds(bob_), std::vector<std::string>{"event_cancelled"});
  EXPECT_EQ(Kinds(carol_), std::vector<std::string>{"event_cancelled"});
  OutboxRow to_alice = Pending("event_cancelled", "email", "alice@example.com");
  EXPECT_EQ(Outbox(alice_), (OutboxRows{to_alice, to_alice}));  // one per booking
  EXPECT_EQ(Outbox(bob_), (OutboxRows{Pending("event_cancelled", "email", "bob@example.com"),
                                      Pending("event_cancelled", "sms", "+14155550100")}));
  EXPECT_TRUE(Outbox(carol_).empty());
  ExpectInvariants();
}

TEST_F(WaitlistTest, TheEstimateFollowsTheRecentReleaseRate) {
  auto [first, second] = SellOut();
  ASSERT_TRUE(bookings_->Cancel(alice_, first.id).ok());  // one release, nobody waiting
  ASSERT_TRUE(bookings_->Hold(alice_, event_.id, {event_.seat_ids[0], event_.seat_ids[1]}).ok());
  auto b = Join(bob_);
  // One release in 24 h: the first in line waits about a day.
  EXPECT_EQ(b.estimated_wait_time, "1-2 days");
}

// Offers run on several nodes at once: two stores racing to release and lapse never give one
// seat to two entries, and every offer keeps its seats.
TEST_F(WaitlistTest, ConcurrentReleasesOfferEachBatchOnce) {
  auto big = CreateEvent(*db_, {{"GA", 2, 10, 100}}, clock_.Now() + std::chrono::hours(24));
  std::vector<domain::Booking> held;
  for (std::size_t i = 0; i < big.seat_ids.size(); i += 2) {
    held.push_back(*bookings_->Hold(alice_, big.id, {big.seat_ids[i], big.seat_ids[i + 1]}));
  }
  std::vector<domain::Principal> people;
  for (int i = 0; i < 6; ++i) {
    people.push_back(
        {CreateUser(*db_, "w" + std::to_string(i) + "@example.com"), domain::Role::kUser});
    ASSERT_TRUE(waitlist_->Join(people.back(), big.id, {}).ok());
    clock_.Advance(std::chrono::milliseconds(2));
  }
  auto other_db = storage::OpenDatabase(url_, {4, 10000});
  storage::BookingStore other_store(*other_db, {64, {kOfferWindow}});
  domain::BookingService other(other_store, gateway_, sink_, clock_, domain::BookingPolicy{});
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < held.size(); ++i) {
    threads.emplace_back([&, i] {
      domain::BookingService& node = i % 2 ? other : *bookings_;
      ASSERT_TRUE(node.Cancel(alice_, held[i].id).ok());
    });
  }
  for (auto& t : threads) t.join();
  auto report = storage::CheckBookingInvariants(*db_, big.id);
  for (const auto& v : report.violations) ADD_FAILURE() << v;
  EXPECT_EQ(report.held, 12);  // six offers of two seats
  EXPECT_EQ(report.available, 8);
  for (const auto& who : people) {
    auto entries = waitlist_->ListMine(who, {1, 5});
    ASSERT_EQ(entries.items.size(), 1u);
    EXPECT_EQ(entries.items[0].status, WaitlistStatus::kOffered);
    EXPECT_EQ(entries.items[0].offered_seat_ids.size(), 2u);
  }
}

}  // namespace
}  // namespace evently::testing
