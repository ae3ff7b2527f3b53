#include "security/jwt.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "security/hmac.hpp"

namespace evently::security {
namespace {

using domain::ErrorCode;
using domain::FromEpochMillis;
using domain::Principal;
using domain::Role;

const Principal kAdmin{"018f0000-0000-7000-8000-000000000001", Role::kAdmin};
const auto kNow = FromEpochMillis(1'700'000'000'000);

TEST(Jwt, IssuedTokenVerifiesWithSubjectAndRole) {
  JwtCodec codec("secret-secret-secret-secret-secret", std::chrono::seconds(1800));
  AccessToken token = codec.Issue(kAdmin, kNow);
  EXPECT_EQ(token.expires_in.count(), 1800);
  auto principal = codec.Verify(token.token, kNow + std::chrono::seconds(1799));
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->user_id, kAdmin.user_id);
  EXPECT_TRUE(principal->is_admin());
}

TEST(Jwt, ExpiredTokenIsReportedAsExpired) {
  JwtCodec codec("k", std::chrono::seconds(1800));
  auto token = codec.Issue(kAdmin, kNow).token;
  auto result = codec.Verify(token, kNow + std::chrono::seconds(1800));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kAuthTokenExpired);
}

TEST(Jwt, ForgeriesAreInvalid) {
  JwtCodec codec("right-key", std::chrono::seconds(1800));
  JwtCodec other("wrong-key", std::chrono::seconds(1800));
  std::string token = codec.Issue(kAdmin, kNow).token;
  auto dot1 = token.find('.');
  auto dot2 = token.rfind('.');
  std::string none_header = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})");
  std::string payload = token.substr(dot1 + 1, dot2 - dot1 - 1);
  std::string user_payload =
      Base64UrlEncode(R"({"sub":"018f0000-0000-7000-8000-000000000001","role":"admin",)"
                      R"("exp":9999999999,"typ":"access"})");
  const std::string forgeries[] = {
      other.Issue(kAdmin, kNow).token,                                  // wrong key
      none_header + "." + payload + ".",                                // alg none
      token.substr(0, dot1) + "." + user_payload + token.substr(dot2),  // changed payload
      token + "x",                                                      // bad signature
      "not-a-jwt",
      "a.b.c.d",
      "",
  };
  for (const auto& forged : forgeries) {
    auto result = codec.Verify(forged, kNow);
    ASSERT_FALSE(result.ok()) << forged;
    EXPECT_EQ(result.error().code, ErrorCode::kAuthTokenInvalid) << forged;
  }
}

std::string Hex(const HmacSha256::Mac& mac) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : mac) out += {kDigits[b >> 4], kDigits[b & 15]};
  return out;
}

// RFC 4231, test cases 2 (a key shorter than a block) and 6 (longer: hashed first).
TEST(Hmac, MatchesTheRfc4231Vectors) {
  HmacSha256 jefe("Jefe");
  EXPECT_EQ(Hex(jefe.Sign("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  HmacSha256 long_key(std::string(131, '\xaa'));
  EXPECT_EQ(Hex(long_key.Sign("Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // The precomputed state is reused, never consumed: the same MAC again.
  EXPECT_EQ(Hex(jefe.Sign("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// One key shared by many threads (the server's handler threads verify tokens at once): every
// MAC is the right one; under TSan, also no data race on the shared key state.
TEST(Hmac, ManyThreadsShareOneKey) {
  const HmacSha256 jefe("Jefe");
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (Hex(jefe.Sign("what do ya want for nothing?")) !=
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843") {
          ++wrong;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// A header spelled differently from the server's own is still read: HS256 passes, anything
// else is refused even when the signature matches.
TEST(Jwt, OtherHeadersAreReadAndOnlyHs256Passes) {
  const std::string key = "right-key";
  JwtCodec codec(key, std::chrono::seconds(1800));
  HmacSha256 hmac(key);
  std::string token = codec.Issue(kAdmin, kNow).token;
  std::string payload = token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
  auto signed_with = [&](std::string_view header_json) {
    std::string input = Base64UrlEncode(header_json) + "." + payload;
    HmacSha256::Mac mac = hmac.Sign(input);
    return input + "." +
           Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
  };
  auto reordered = codec.Verify(signed_with(R"({"typ":"JWT","alg":"HS256"})"), kNow);
  ASSERT_TRUE(reordered.ok());
  EXPECT_EQ(reordered->user_id, kAdmin.user_id);
  for (std::string_view header :
       {R"({"alg":"HS512","typ":"JWT"})", R"({"typ":"JWT"})", R"(["alg","HS256"])", "not json"}) {
    auto result = codec.Verify(signed_with(header), kNow);
    ASSERT_FALSE(result.ok()) << header;
    EXPECT_EQ(result.error().code, ErrorCode::kAuthTokenInvalid) << header;
  }
}

TEST(Jwt, Base64UrlRoundTrips) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00"}) {
    std::string decoded;
    ASSERT_TRUE(Base64UrlDecode(Base64UrlEncode(s), decoded));
    EXPECT_EQ(decoded, s);
  }
}

}  // namespace
}  // namespace evently::security
