// HS256 access tokens (RFC 7519) with OpenSSL: issue and verify; any other `alg` is refused.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "domain/ports/credentials.hpp"
#include "domain/principal.hpp"
#include "security/hmac.hpp"

namespace evently::security {

using AccessToken = domain::IssuedAccessToken;

class JwtCodec final : public domain::AccessTokenVerifier, public domain::AccessTokenIssuer {
 public:
  JwtCodec(std::string_view secret, std::chrono::seconds ttl);

  AccessToken Issue(const domain::Principal& principal, domain::TimePoint now) const override;
  domain::Result<domain::Principal> Verify(std::string_view token,
                                           domain::TimePoint now) const override;
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  std::string Sign(std::string_view signing_input) const;
  HmacSha256 hmac_;
  std::chrono::seconds ttl_;
};

std::string Base64UrlEncode(std::string_view bytes);
bool Base64UrlDecode(std::string_view text, std::string& out);

}  // namespace evently::security
