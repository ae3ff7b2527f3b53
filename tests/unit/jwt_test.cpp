#include "security/jwt.hpp"

#include <gtest/gtest.h>

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
      other.Issue(kAdmin, kNow).token,                             // wrong key
      none_header + "." + payload + ".",                           // alg none
      token.substr(0, dot1) + "." + user_payload + token.substr(dot2),  // changed payload
      token + "x",                                                 // bad signature
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

TEST(Jwt, Base64UrlRoundTrips) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00"}) {
    std::string decoded;
    ASSERT_TRUE(Base64UrlDecode(Base64UrlEncode(s), decoded));
    EXPECT_EQ(decoded, s);
  }
}

}  // namespace
}  // namespace evently::security
