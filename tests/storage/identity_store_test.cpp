// Users and refresh tokens in the store, on both engines.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "domain/ids.hpp"
#include "storage/refresh_token_store.hpp"
#include "storage/user_store.hpp"
#include "support/identity_support.hpp"
#include "support/test_store.hpp"

namespace evently::testing {
namespace {

using domain::ErrorCode;
using domain::RefreshState;
using domain::RefreshTokenRecord;
using domain::Role;
using domain::User;
using storage::Connection;
using storage::Statement;
using namespace std::chrono_literals;

const domain::TimePoint kT0 = domain::FromEpochMillis(1'700'000'000'000);

User MakeUser(std::string email, domain::TimePoint created = kT0) {
  return User{domain::NewUuidV7(created),
              std::move(email),
              "hash",
              "Some One",
              std::nullopt,
              Role::kUser,
              created,
              created};
}

class UserStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (db_) users_ = std::make_unique<storage::UserStore>(*db_);
  }
  std::unique_ptr<storage::UserStore> users_;
};

TEST_F(UserStoreTest, StoresAndFindsUsersByEmailAndId) {
  User user = MakeUser("ana@example.com");
  user.phone = "+14155550123";
  ASSERT_TRUE(users_->Insert(user).ok());
  auto by_email = users_->FindByEmail("ana@example.com");
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, user.id);
  EXPECT_EQ(by_email->phone, user.phone);
  EXPECT_EQ(by_email->created_at, kT0);
  auto by_id = users_->FindById(user.id);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->email, "ana@example.com");
  EXPECT_FALSE(users_->FindByEmail("nobody@example.com"));
  EXPECT_FALSE(users_->FindById(domain::NewUuidV7(kT0)));
}

TEST_F(UserStoreTest, ASecondAccountWithTheSameEmailIsRefused) {
  ASSERT_TRUE(users_->Insert(MakeUser("dup@example.com")).ok());
  auto second = users_->Insert(MakeUser("dup@example.com"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kEmailAlreadyRegistered);
}

TEST_F(UserStoreTest, ProfileChangesTouchOnlyWhatWasGiven) {
  User user = MakeUser("bo@example.com");
  user.phone = "+441234567890";
  ASSERT_TRUE(users_->Insert(user).ok());
  auto renamed = users_->UpdateProfile(user.id, {"Bo Renamed", std::nullopt, false}, kT0 + 1s);
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->full_name, "Bo Renamed");
  EXPECT_EQ(renamed->phone, "+441234567890");
  EXPECT_EQ(renamed->updated_at, kT0 + 1s);
  auto cleared = users_->UpdateProfile(user.id, {std::nullopt, std::nullopt, true}, kT0 + 2s);
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(cleared->full_name, "Bo Renamed");
  EXPECT_FALSE(cleared->phone);
  auto missing = users_->UpdateProfile(domain::NewUuidV7(kT0), {"X", std::nullopt, false}, kT0);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUserNotFound);
}

TEST_F(UserStoreTest, RoleChangesAreStoredAndUnknownUsersReported) {
  User user = MakeUser("cy@example.com");
  ASSERT_TRUE(users_->Insert(user).ok());
  auto promoted = users_->SetRole(user.id, Role::kAdmin, kT0 + 1s);
  ASSERT_TRUE(promoted.ok());
  EXPECT_EQ(promoted->role, Role::kAdmin);
  EXPECT_EQ(users_->FindById(user.id)->role, Role::kAdmin);
  auto missing = users_->SetRole(domain::NewUuidV7(kT0), Role::kAdmin, kT0);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUserNotFound);
}

TEST_F(UserStoreTest, ListSearchesEmailSubstringsLiterallyNewestFirstAndPages) {
  const char* emails[] = {"alpha@example.com", "beta@example.com", "a_b@example.com",
                          "a%c@example.com", "gamma@other.org"};
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(users_->Insert(MakeUser(emails[i], kT0 + std::chrono::seconds(i))).ok());
  }
  auto all = users_->List("", {1, 20});
  EXPECT_EQ(all.total, 5);
  ASSERT_EQ(all.items.size(), 5u);
  EXPECT_EQ(all.items.front().email, "gamma@other.org");  // newest first
  EXPECT_EQ(all.items.back().email, "alpha@example.com");

  auto example = users_->List("example", {1, 2});
  EXPECT_EQ(example.total, 4);
  ASSERT_EQ(example.items.size(), 2u);
  EXPECT_EQ(example.items[0].email, "a%c@example.com");
  auto second_page = users_->List("example", {2, 2});
  ASSERT_EQ(second_page.items.size(), 2u);
  EXPECT_EQ(second_page.items[1].email, "alpha@example.com");
  auto past_end = users_->List("example", {9, 2});
  EXPECT_EQ(past_end.total, 4);
  EXPECT_TRUE(past_end.items.empty());

  // LIKE wildcards in the search are plain characters.
  auto underscore = users_->List("a_b", {1, 20});
  ASSERT_EQ(underscore.total, 1);
  EXPECT_EQ(underscore.items[0].email, "a_b@example.com");
  EXPECT_EQ(users_->List("a%c", {1, 20}).total, 1);
  EXPECT_EQ(users_->List("%", {1, 20}).total, 1);
  EXPECT_EQ(users_->List("nothing-like-this", {1, 20}).total, 0);
}

// Rows another issue's code will write; only what the profile figures read is filled in.
constexpr Statement kInsertVenue{
    "test_identity_venue",
    "INSERT INTO venues (id, name, capacity, created_at, updated_at) VALUES ($1, 'V', 100, 0, 0)"};
constexpr Statement kInsertEvent{
    "test_identity_event",
    "INSERT INTO events (id, venue_id, name, start_time, end_time, capacity, cancelled_at, "
    "created_at, updated_at) VALUES ($1, $2, 'E', $3, $4, 100, $5, 0, 0)"};
constexpr Statement kInsertBooking{
    "test_identity_booking",
    "INSERT INTO bookings (id, event_id, user_id, booking_code, status, total_amount, currency, "
    "expires_at, created_at, updated_at, confirmed_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, 'USD', 0, 0, 0, $7)"};
constexpr Statement kInsertPayment{
    "test_identity_payment",
    "INSERT INTO payments (id, booking_id, event_id, amount, currency, method, status, created_at) "
    "VALUES ($1, $2, $3, $4, 'USD', 'card', $5, 0)"};
constexpr Statement kInsertRefund{
    "test_identity_refund",
    "INSERT INTO refunds (id, booking_id, payment_id, event_id, amount, status, next_attempt_at, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, 0)"};

TEST_F(UserStoreTest, StatsCountConfirmedBookingsUpcomingEventsAndNetSpending) {
  User user = MakeUser("stats@example.com");
  User other = MakeUser("other@example.com");
  ASSERT_TRUE(users_->Insert(user).ok());
  ASSERT_TRUE(users_->Insert(other).ok());
  const domain::TimePoint now = kT0 + 24h;
  const std::int64_t past = domain::ToEpochMillis(now - 2h);
  const std::int64_t future = domain::ToEpochMillis(now + 48h);
  std::string venue = domain::NewUuidV7(kT0);
  std::string upcoming = domain::NewUuidV7(kT0), upcoming2 = domain::NewUuidV7(kT0);
  std::string started = domain::NewUuidV7(kT0), cancelled = domain::NewUuidV7(kT0);
  int code = 0;
  db_->Write([&](Connection& c) {
    c.Exec(kInsertVenue, {venue});
    auto event = [&](const std::string& id, std::int64_t start, storage::Param cancelled_at) {
      c.Exec(kInsertEvent, {id, venue, start, start + 3'600'000, cancelled_at});
    };
    event(upcoming, future, nullptr);
    event(upcoming2, future, nullptr);
    event(started, past, nullptr);
    event(cancelled, future, std::int64_t{1});
    // Returns the booking id; `confirmed` says whether it was ever confirmed, and then it was paid.
    auto booking = [&](const std::string& event_id, const User& who, const char* status,
                       std::int64_t amount, bool confirmed) {
      std::string id = domain::NewUuidV7(kT0);
      c.Exec(kInsertBooking,
             {id, event_id, who.id, "EVT" + std::to_string(++code), std::string(status), amount,
              confirmed ? storage::Param{std::int64_t{5}} : storage::Param{}});
      return id;
    };
    auto payment = [&](const std::string& booking_id, const std::string& event_id,
                       std::int64_t amount, const char* status = "succeeded") {
      std::string id = domain::NewUuidV7(kT0);
      c.Exec(kInsertPayment, {id, booking_id, event_id, amount, std::string(status)});
      return id;
    };
    auto paid = [&](const std::string& event_id, const User& who, const char* status,
                    std::int64_t amount) {
      std::string id = booking(event_id, who, status, amount, true);
      return std::pair{id, payment(id, event_id, amount)};
    };
    auto refund = [&](const std::pair<std::string, std::string>& charged,
                      const std::string& event_id, std::int64_t amount, const char* status) {
      c.Exec(kInsertRefund, {domain::NewUuidV7(kT0), charged.first, charged.second, event_id,
                             amount, std::string(status)});
    };
    paid(upcoming, user, "confirmed", 10'000);
    paid(upcoming, user, "confirmed", 5'050);  // same event: counted once as upcoming
    paid(upcoming2, user, "confirmed", 2'000);
    paid(started, user, "confirmed", 3'000);            // not upcoming any more
    paid(cancelled, user, "confirmed", 1'000);          // event called off: not upcoming
    booking(upcoming, user, "pending", 99'999, false);  // not paid
    booking(upcoming, user, "expired", 99'999, false);  // never paid
    std::string back = booking(upcoming2, user, "cancelled", 4'000, true);
    refund({back, payment(back, upcoming2, 4'000, "refunded")}, upcoming2, 4'000, "completed");
    // A refund counts from the cancellation's commit, money back yet or not.
    refund(paid(upcoming2, user, "cancelled", 700), upcoming2, 700, "processing");
    // A refund the gateway refused for good: the money stayed spent.
    refund(paid(upcoming2, user, "cancelled", 300), upcoming2, 300, "failed");
    // A charge that lost its race to expiry is refunded at once: never spent.
    std::string lost = booking(upcoming, user, "expired", 800, false);
    refund({lost, payment(lost, upcoming, 800)}, upcoming, 800, "processing");
    // A second charge of one confirmed booking, refunded: the booking is paid once.
    auto twice = paid(upcoming2, user, "confirmed", 600);
    refund({twice.first, payment(twice.first, upcoming2, 600, "refunded")}, upcoming2, 600,
           "completed");
    payment(booking(upcoming, user, "pending", 900, false), upcoming, 900, "failed");  // declined
    paid(upcoming, other, "confirmed", 50'000);  // someone else's
  });
  domain::UserStats stats = users_->Stats(user.id, now);
  EXPECT_EQ(stats.total_bookings, 6);
  EXPECT_EQ(stats.upcoming_events, 2);
  EXPECT_EQ(stats.total_spent, 10'000 + 5'050 + 2'000 + 3'000 + 1'000 + 300 + 600);
  auto profile = users_->FindProfile(user.id, now);
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->user.email, "stats@example.com");
  EXPECT_EQ(profile->stats.total_spent, stats.total_spent);
  EXPECT_FALSE(users_->FindProfile(domain::NewUuidV7(kT0), now));
  domain::UserStats none = users_->Stats(MakeUser("x@example.com").id, now);
  EXPECT_EQ(none.total_bookings, 0);
  EXPECT_EQ(none.total_spent, 0);
}

class RefreshTokenStoreTest : public UserStoreTest {
 protected:
  void SetUp() override {
    UserStoreTest::SetUp();
    if (!db_) return;
    tokens_ = std::make_unique<storage::RefreshTokenStore>(*db_);
    ASSERT_TRUE(users_->Insert(owner_).ok());
  }
  RefreshTokenRecord Token(std::string digest, std::string family,
                           domain::TimePoint expires = kT0 + 14 * 24h) {
    return RefreshTokenRecord{domain::NewUuidV7(kT0), owner_.id, std::move(family),
                              std::move(digest),      kT0,       expires};
  }
  RefreshTokenRecord Successor(std::string digest) { return Token(std::move(digest), ""); }

  User owner_ = MakeUser("owner@example.com");
  std::string family_ = domain::NewUuidV7(kT0);
  std::unique_ptr<storage::RefreshTokenStore> tokens_;
};

TEST_F(RefreshTokenStoreTest, RotationSpendsTheTokenAndKeepsTheFamily) {
  tokens_->Insert(Token("d1", family_));
  auto first = tokens_->Rotate("d1", Successor("d2"), kT0 + 1s);
  EXPECT_EQ(first.state, RefreshState::kRotated);
  EXPECT_EQ(first.user_id, owner_.id);
  EXPECT_EQ(first.family_id, family_);
  auto next = tokens_->Rotate("d2", Successor("d3"), kT0 + 2s);
  EXPECT_EQ(next.state, RefreshState::kRotated);
  EXPECT_EQ(next.family_id, family_);
  EXPECT_EQ(tokens_->Rotate("d1", Successor("d4"), kT0 + 3s).state, RefreshState::kAlreadyUsed);
  EXPECT_EQ(tokens_->Rotate("nope", Successor("d5"), kT0).state, RefreshState::kUnknown);
}

TEST_F(RefreshTokenStoreTest, ExpiredAndRevokedTokensDoNotRotate) {
  tokens_->Insert(Token("old", family_, kT0 + 10s));
  EXPECT_EQ(tokens_->Rotate("old", Successor("x1"), kT0 + 10s).state, RefreshState::kExpired);
  std::string family2 = domain::NewUuidV7(kT0);
  tokens_->Insert(Token("a", family2));
  tokens_->Insert(Token("b", family2));
  tokens_->RevokeFamily(family2, kT0 + 1s);
  EXPECT_EQ(tokens_->Rotate("a", Successor("x2"), kT0 + 2s).state, RefreshState::kRevoked);
  EXPECT_EQ(tokens_->Rotate("b", Successor("x3"), kT0 + 2s).state, RefreshState::kRevoked);
  // Nothing was stored for the refused rotations.
  EXPECT_EQ(tokens_->Rotate("x1", Successor("y"), kT0).state, RefreshState::kUnknown);
}

TEST_F(RefreshTokenStoreTest, RevokingByTokenEndsItsWholeFamilyOnly) {
  std::string other_family = domain::NewUuidV7(kT0);
  tokens_->Insert(Token("s1", family_));
  ASSERT_EQ(tokens_->Rotate("s1", Successor("s2"), kT0 + 1s).state, RefreshState::kRotated);
  tokens_->Insert(Token("o1", other_family));
  EXPECT_TRUE(tokens_->RevokeFamilyOf("s1", kT0 + 2s));
  EXPECT_TRUE(tokens_->RevokeFamilyOf("s1", kT0 + 3s));  // again: still known
  EXPECT_FALSE(tokens_->RevokeFamilyOf("never-issued", kT0));
  EXPECT_EQ(tokens_->Rotate("s2", Successor("s3"), kT0 + 4s).state, RefreshState::kRevoked);
  EXPECT_EQ(tokens_->Rotate("o1", Successor("o2"), kT0 + 4s).state, RefreshState::kRotated);
}

// The purge deletes only what expired (spent, revoked or unused), in slices of `limit`, oldest
// first; a token still live, and its family's reuse detection, are untouched.
TEST_F(RefreshTokenStoreTest, PurgeDeletesOnlyExpiredTokensInSlices) {
  tokens_->Insert(Token("gone-1", family_, kT0 + 10s));
  tokens_->Insert(Token("gone-2", family_, kT0 + 20s));
  std::string revoked = domain::NewUuidV7(kT0);
  tokens_->Insert(Token("gone-3", revoked, kT0 + 30s));
  tokens_->RevokeFamily(revoked, kT0 + 1s);
  tokens_->Insert(Token("spent", family_, kT0 + 1h));
  ASSERT_EQ(tokens_->Rotate("spent", Successor("live"), kT0 + 1s).state, RefreshState::kRotated);
  tokens_->Insert(Token("edge", family_, kT0 + 60s));

  EXPECT_EQ(tokens_->PurgeExpired(kT0 + 60s, 2), 2);  // the two oldest
  EXPECT_EQ(tokens_->Rotate("gone-1", Successor("z"), kT0).state, RefreshState::kUnknown);
  EXPECT_EQ(tokens_->Rotate("gone-2", Successor("z"), kT0).state, RefreshState::kUnknown);
  EXPECT_EQ(tokens_->PurgeExpired(kT0 + 60s, 2), 1);  // then the rest; "edge" is not past
  EXPECT_EQ(tokens_->PurgeExpired(kT0 + 60s, 2), 0);
  // The spent token is kept while it could still be presented: reusing it is still detected.
  EXPECT_EQ(tokens_->Rotate("spent", Successor("z2"), kT0 + 2s).state, RefreshState::kAlreadyUsed);
  EXPECT_TRUE(tokens_->RevokeFamilyOf("edge", kT0 + 3s));  // still known
}

TEST_F(RefreshTokenStoreTest, OfConcurrentUsesOfOneTokenExactlyOneRotates) {
  tokens_->Insert(Token("race", family_));
  constexpr int kThreads = 6;
  std::vector<RefreshState> states(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      states[i] = tokens_->Rotate("race", Successor("next" + std::to_string(i)), kT0 + 1s).state;
    });
  }
  for (auto& t : threads) t.join();
  int rotated = 0;
  for (RefreshState s : states) {
    if (s == RefreshState::kRotated) {
      ++rotated;
    } else {
      EXPECT_EQ(s, RefreshState::kAlreadyUsed);
    }
  }
  EXPECT_EQ(rotated, 1);
}

}  // namespace
}  // namespace evently::testing
