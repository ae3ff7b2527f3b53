// Field rules for accounts, the password hasher and the identity bodies.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "domain/identity/account_rules.hpp"
#include "security/password_hasher.hpp"
#include "wire/identity_json.hpp"

namespace evently::domain {
namespace {

TEST(AccountRules, EmailsAreTrimmedLowerCasedAndValidated) {
  EXPECT_EQ(NormalizeEmail("  Ana.B+tag@Example.COM \n"), "ana.b+tag@example.com");
  for (const char* good : {"a@b.co", "first.last@sub.example.org", "x_y-z+1@ex-ample.io"}) {
    EXPECT_FALSE(EmailIssue(good)) << good;
  }
  for (const char* bad : {"", "plain", "a b@example.com", "a@b", "a@", "@example.com",
                          "a@@example.com", "a@b@example.com", ".a@example.com", "a.@example.com",
                          "a..b@example.com", "a@-example.com", "a@example..com", "a@example.c",
                          "a@1.2.3.4", "ané@example.com", "a@exa mple.com", "a@example.com."}) {
    EXPECT_TRUE(EmailIssue(NormalizeEmail(bad))) << bad;
  }
  EXPECT_TRUE(EmailIssue(std::string(250, 'a') + "@example.com"));
}

TEST(AccountRules, PasswordsNeedEightTo128CharactersWithALetterAndADigit) {
  EXPECT_FALSE(PasswordIssue("abcdefg1"));
  EXPECT_FALSE(PasswordIssue("пароль12"));  // non-Latin letters count as letters
  EXPECT_FALSE(PasswordIssue(std::string(127, 'a') + "1"));
  EXPECT_EQ(PasswordIssue("abc1"), "must be at least 8 characters");
  EXPECT_EQ(PasswordIssue("abcdefgh"), "must contain at least one digit");
  EXPECT_EQ(PasswordIssue("12345678"), "must contain at least one letter");
  EXPECT_EQ(PasswordIssue(std::string(128, 'a') + "1"), "must be at most 128 characters");
  // 128 four-byte characters are still 128 characters.
  std::string emoji;
  for (int i = 0; i < 127; ++i) emoji += "\xF0\x9F\x8E\xAB";
  EXPECT_FALSE(PasswordIssue(emoji + "1"));
}

TEST(AccountRules, AHugePasswordIsRefusedQuickly) {
  std::string huge(10 * 1024 * 1024, 'a');
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(PasswordIssue(huge), "must be at most 128 characters");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(50));
}

TEST(AccountRules, NamesAreOneTo100CharactersOfAnyScript) {
  EXPECT_FALSE(FullNameIssue("Zoë Ωmega 山田太郎"));
  EXPECT_FALSE(FullNameIssue(std::string(100, 'x')));
  EXPECT_TRUE(FullNameIssue(""));
  EXPECT_TRUE(FullNameIssue(std::string(101, 'x')));
  EXPECT_TRUE(FullNameIssue("line\nbreak"));
  EXPECT_TRUE(FullNameIssue("\xff\xfe"));
  // Shown to others: no reordering or invisible-only names (DisplayNameIssue).
  EXPECT_TRUE(FullNameIssue("Eve \u202Enimda"));
  EXPECT_TRUE(FullNameIssue("\u200b"));
}

TEST(AccountRules, PhonesAreE164) {
  for (const char* good : {"+1234567890", "+14155550123", "+491234", "+123456789012345"}) {
    EXPECT_FALSE(PhoneIssue(good)) << good;
  }
  for (const char* bad :
       {"", "+", "1234567890", "+0123456", "+1 415 555", "+1234567890123456", "+12ab", "++123"}) {
    EXPECT_TRUE(PhoneIssue(bad)) << bad;
  }
}

TEST(AccountRules, NewAccountsAreNormalizedAndEveryProblemReported) {
  NewAccount good{" Ana@Example.com ", "abcdefg1", "  Ana  ", "+15550001"};
  ASSERT_TRUE(ValidateNewAccount(good).ok());
  EXPECT_EQ(good.email, "ana@example.com");
  EXPECT_EQ(good.full_name, "Ana");
  NewAccount bad{"x", "short", " ", "555"};
  auto status = ValidateNewAccount(bad);
  ASSERT_FALSE(status.ok());
  std::vector<std::string> fields;
  for (const auto& f : status.error().details.fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"email", "password", "full_name", "phone"}));
}

TEST(PasswordHasher, Argon2idHashesAreSaltedAndVerify) {
  security::Argon2idHasher hasher(security::PasswordHashCost::kFast);
  std::string a = hasher.Hash("abcdefg1");
  std::string b = hasher.Hash("abcdefg1");
  EXPECT_TRUE(a.starts_with("$argon2id$"));
  EXPECT_NE(a, b);
  EXPECT_TRUE(hasher.Verify(a, "abcdefg1"));
  EXPECT_FALSE(hasher.Verify(a, "abcdefg2"));
  EXPECT_FALSE(hasher.Verify("not a hash", "abcdefg1"));
  EXPECT_FALSE(hasher.Verify(std::string(500, '$'), "abcdefg1"));
  EXPECT_TRUE(security::ParsePasswordHashCost("interactive"));
  EXPECT_FALSE(security::ParsePasswordHashCost("slow"));
}

TEST(PasswordHasher, NoMoreHashesRunAtOnceThanItsLimit) {
  security::Argon2idHasher hasher(security::PasswordHashCost::kFast, 2);
  EXPECT_EQ(hasher.max_concurrent(), 2);
  std::vector<std::thread> threads;
  std::atomic<int> verified{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (hasher.Verify(hasher.Hash("abcdefg1"), "abcdefg1")) ++verified;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(verified.load(), 400);
  EXPECT_GE(hasher.peak_concurrent(), 1);
  EXPECT_LE(hasher.peak_concurrent(), 2);
  EXPECT_GE(security::Argon2idHasher(security::PasswordHashCost::kFast).max_concurrent(), 1);
}

TEST(IdentityJson, BodiesAreDecodedStrictly) {
  auto account = wire::DecodeNewAccount(
      R"({"email":"a@b.co","password":"abcdefg1","full_name":"A","phone":null})");
  ASSERT_TRUE(account.ok());
  EXPECT_FALSE(account->phone);

  auto wrong = wire::DecodeNewAccount(R"({"email":5,"password":["x"],"role":"admin","x":1})");
  ASSERT_FALSE(wrong.ok());
  std::vector<std::string> fields;
  for (const auto& f : wrong.error().details.fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"email", "password", "full_name", "role", "x"}));

  EXPECT_FALSE(wire::DecodeCredentials("{").ok());
  EXPECT_FALSE(wire::DecodeCredentials("[]").ok());
  EXPECT_FALSE(wire::DecodeRefreshToken(R"({"refresh_token":123})").ok());

  auto clear = wire::DecodeProfileChange(R"({"phone":null})");
  ASSERT_TRUE(clear.ok());
  EXPECT_TRUE(clear->clear_phone);
  EXPECT_FALSE(clear->full_name);
  auto keep = wire::DecodeProfileChange(R"({"full_name":"B"})");
  ASSERT_TRUE(keep.ok());
  EXPECT_FALSE(keep->clear_phone);
  auto null_name = wire::DecodeProfileChange(R"({"full_name":null})");
  ASSERT_FALSE(null_name.ok());
  EXPECT_EQ(null_name.error().details.fields[0].issue, "must not be null");
  auto typed = wire::DecodeProfileChange(R"({"phone":123})");
  ASSERT_FALSE(typed.ok());
  EXPECT_EQ(typed.error().details.fields[0].issue, "must be a string");
  EXPECT_FALSE(wire::DecodeProfileChange(R"({"email":"x@y.zz"})").ok());
}

TEST(IdentityJson, ProfileMoneyHasTwoDecimalsAndTokensAreBearer) {
  User user{"018f0000-0000-7000-8000-000000000001",
            "a@b.co",
            "h",
            "A",
            std::nullopt,
            Role::kUser,
            FromEpochMillis(0),
            FromEpochMillis(0)};
  std::string profile = wire::EncodeProfile(UserProfile{user, UserStats{3, 1, 250000}});
  EXPECT_NE(profile.find(R"("phone":null)"), std::string::npos);
  EXPECT_NE(profile.find(R"("total_spent":2500.00)"), std::string::npos);
  EXPECT_EQ(profile.find("password"), std::string::npos);
  std::string tokens = wire::EncodeTokens(AuthTokens{"a", "r", std::chrono::seconds(1800)});
  EXPECT_EQ(tokens,
            R"({"access_token":"a","refresh_token":"r","token_type":"bearer","expires_in":1800})");
}

}  // namespace
}  // namespace evently::domain
