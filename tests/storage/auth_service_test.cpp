// The identity services over the real store (both engines), with a clock the test controls.
#include "domain/identity/auth_service.hpp"

#include <gtest/gtest.h>

#include "domain/identity/account_service.hpp"
#include "security/jwt.hpp"
#include "security/token_digest.hpp"
#include "storage/refresh_token_store.hpp"
#include "storage/user_store.hpp"
#include "support/identity_support.hpp"
#include "support/test_store.hpp"

namespace evently::testing {
namespace {

using domain::ErrorCode;
using domain::NewAccount;
using domain::Role;
using namespace std::chrono_literals;

class AuthServiceTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!db_) return;
    users_ = std::make_unique<storage::UserStore>(*db_);
    tokens_ = std::make_unique<storage::RefreshTokenStore>(*db_);
    accounts_ = std::make_unique<domain::AccountService>(*users_, hasher_, clock_);
    auth_ = std::make_unique<domain::AuthService>(
        domain::AuthService::Ports{*accounts_, *users_, *tokens_, hasher_, digest_, jwt_, clock_});
    hasher_.hashes = 0;  // the service hashed its dummy password once
  }

  domain::Registration RegisterAna() {
    auto registration =
        auth_->Register({"  Ana@Example.COM ", "correct1horse", "Ana", "+15550001"});
    EXPECT_TRUE(registration.ok()) << registration.error().Message();
    return std::move(registration).value();
  }

  ManualClock clock_;
  CountingHasher hasher_;
  security::Sha256TokenDigest digest_;
  security::JwtCodec jwt_{"test-secret-test-secret-test-secret", 1800s};
  std::unique_ptr<storage::UserStore> users_;
  std::unique_ptr<storage::RefreshTokenStore> tokens_;
  std::unique_ptr<domain::AccountService> accounts_;
  std::unique_ptr<domain::AuthService> auth_;
};

TEST_F(AuthServiceTest, RegistrationNormalizesTheEmailAndStartsASession) {
  domain::Registration r = RegisterAna();
  EXPECT_EQ(r.user.email, "ana@example.com");
  EXPECT_EQ(r.user.role, Role::kUser);
  EXPECT_EQ(r.tokens.expires_in, 1800s);
  EXPECT_TRUE(domain::LooksLikeRefreshToken(r.tokens.refresh_token));
  auto principal = jwt_.Verify(r.tokens.access_token, clock_.Now());
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->user_id, r.user.id);
  EXPECT_NE(users_->FindByEmail("ana@example.com")->password_hash, "correct1horse");

  auto again = auth_->Register({"ANA@example.com", "other1pass", "Ana Two", std::nullopt});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kEmailAlreadyRegistered);
}

TEST_F(AuthServiceTest, InvalidRegistrationsReportEveryFieldAndHashNothing) {
  std::string huge(10 * 1024, 'a');
  huge += "1";
  auto bad = auth_->Register({"not an email", huge, "", "12345"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidationError);
  EXPECT_EQ(bad.error().details.fields.size(), 4u);
  EXPECT_EQ(hasher_.hashes, 0);
  EXPECT_EQ(users_->List("", {1, 20}).total, 0);
}

TEST_F(AuthServiceTest, UnknownEmailAndWrongPasswordFailAlikeAndBothVerifyAHash) {
  RegisterAna();
  hasher_.verifies = 0;
  auto wrong = auth_->Login("ana@example.com", "wrong1password");
  auto unknown = auth_->Login("nobody@example.com", "wrong1password");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kAuthInvalidCredentials);
  EXPECT_EQ(unknown.error().code, ErrorCode::kAuthInvalidCredentials);
  EXPECT_EQ(wrong.error().Message(), unknown.error().Message());
  EXPECT_EQ(hasher_.verifies, 2);
  auto ok = auth_->Login(" ANA@example.com", "correct1horse");
  ASSERT_TRUE(ok.ok());
}

TEST_F(AuthServiceTest, AnOversizedLoginPasswordIsRefusedWithoutHashing) {
  RegisterAna();
  hasher_.verifies = 0;
  auto result = auth_->Login("ana@example.com", std::string(10 * 1024, 'x'));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kValidationError);
  EXPECT_EQ(hasher_.verifies, 0);
}

TEST_F(AuthServiceTest, RefreshRotatesAndReuseRevokesTheWholeFamily) {
  domain::Registration r = RegisterAna();
  std::string first = r.tokens.refresh_token;
  auto second = auth_->Refresh(first);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->refresh_token, first);
  auto third = auth_->Refresh(second->refresh_token);
  ASSERT_TRUE(third.ok());

  // `first` leaked and is replayed: refused, and the newest token of the family dies too.
  auto replay = auth_->Refresh(first);
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().code, ErrorCode::kAuthTokenInvalid);
  auto newest = auth_->Refresh(third->refresh_token);
  ASSERT_FALSE(newest.ok());
  EXPECT_EQ(newest.error().code, ErrorCode::kAuthTokenInvalid);

  // Another session of the same user is untouched.
  auto other = auth_->Login("ana@example.com", "correct1horse");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(auth_->Refresh(other->refresh_token).ok());
}

TEST_F(AuthServiceTest, RefreshTokensExpireAfterFourteenDays) {
  domain::Registration r = RegisterAna();
  clock_.Advance(14 * 24h);
  auto late = auth_->Refresh(r.tokens.refresh_token);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kAuthTokenInvalid);
}

TEST_F(AuthServiceTest, AccessTokensExpireAfterThirtyMinutes) {
  domain::Registration r = RegisterAna();
  clock_.Advance(1799s);
  EXPECT_TRUE(jwt_.Verify(r.tokens.access_token, clock_.Now()).ok());
  clock_.Advance(1s);
  auto expired = jwt_.Verify(r.tokens.access_token, clock_.Now());
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kAuthTokenExpired);
}

TEST_F(AuthServiceTest, RefreshPicksUpARoleChange) {
  domain::Registration r = RegisterAna();
  ASSERT_TRUE(accounts_->ChangeRole(r.user.id, "admin").ok());
  auto refreshed = auth_->Refresh(r.tokens.refresh_token);
  ASSERT_TRUE(refreshed.ok());
  EXPECT_TRUE(jwt_.Verify(refreshed->access_token, clock_.Now())->is_admin());
}

TEST_F(AuthServiceTest, LogoutIsIdempotentForIssuedTokensOnly) {
  domain::Registration r = RegisterAna();
  EXPECT_TRUE(auth_->Logout(r.tokens.refresh_token).ok());
  EXPECT_TRUE(auth_->Logout(r.tokens.refresh_token).ok());
  auto after = auth_->Refresh(r.tokens.refresh_token);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, ErrorCode::kAuthTokenInvalid);
  auto unknown = auth_->Logout(std::string(64, 'a'));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kAuthTokenInvalid);
  EXPECT_FALSE(auth_->Logout("garbage").ok());
}

TEST_F(AuthServiceTest, AdminCreationCreatesPromotesAndIsIdempotent) {
  auto missing = accounts_->CreateOrPromoteAdmin({"boss@example.com", "", "", std::nullopt});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().details.fields.size(), 2u);
  auto created = accounts_->CreateOrPromoteAdmin({"Boss@Example.com", "boss1pass", "Boss", {}});
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->grant, domain::AdminGrant::kCreated);
  EXPECT_EQ(created->user.role, Role::kAdmin);
  auto again = accounts_->CreateOrPromoteAdmin({"boss@example.com", "", "", std::nullopt});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->grant, domain::AdminGrant::kAlreadyAdmin);

  domain::Registration ana = RegisterAna();
  auto promoted = accounts_->CreateOrPromoteAdmin({"ana@example.com", "", "", std::nullopt});
  ASSERT_TRUE(promoted.ok());
  EXPECT_EQ(promoted->grant, domain::AdminGrant::kPromoted);
  EXPECT_EQ(users_->FindById(ana.user.id)->role, Role::kAdmin);
  EXPECT_TRUE(auth_->Login("ana@example.com", "correct1horse").ok());  // password unchanged

  auto bad_email = accounts_->CreateOrPromoteAdmin({"no-at-sign", "boss1pass", "B", {}});
  ASSERT_FALSE(bad_email.ok());
  EXPECT_EQ(bad_email.error().code, ErrorCode::kValidationError);
}

TEST_F(AuthServiceTest, CreateIfAbsentRunsOnceOnly) {
  NewAccount demo{"test@evently.com", "TestPass123!", "Test User", std::nullopt};
  auto first = accounts_->CreateIfAbsent(demo, Role::kUser);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  int hashes = hasher_.hashes;
  auto second = accounts_->CreateIfAbsent(demo, Role::kUser);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  EXPECT_EQ(hasher_.hashes, hashes);
}

TEST_F(AuthServiceTest, ProfileUpdatesValidateAndUnknownIdsAreNotFound) {
  domain::Registration r = RegisterAna();
  auto bad = accounts_->UpdateProfile(r.user.id, {std::string(101, 'x'), "0044", false});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().details.fields.size(), 2u);
  auto ok = accounts_->UpdateProfile(r.user.id, {"  Ána Ünïcode ", std::nullopt, true});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->user.full_name, "Ána Ünïcode");
  EXPECT_FALSE(ok->user.phone);
  EXPECT_EQ(accounts_->Profile("not-a-uuid").error().code, ErrorCode::kUserNotFound);
  EXPECT_EQ(accounts_->ChangeRole("not-a-uuid", "admin").error().code, ErrorCode::kUserNotFound);
  EXPECT_EQ(accounts_->ChangeRole(r.user.id, "root").error().code, ErrorCode::kValidationError);
}

}  // namespace
}  // namespace evently::testing
