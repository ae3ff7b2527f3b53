// HMAC-SHA256 (RFC 2104) with one key, hashed into its inner and outer states once: a MAC then
// costs two state copies and two short hashes, with no algorithm lookup or key set-up per call
// (OpenSSL 3's one-shot HMAC() does both every time). Safe to use from many threads at once.
#pragma once

#include <openssl/types.h>

#include <array>
#include <string_view>

namespace evently::security {

class HmacSha256 {
 public:
  using Mac = std::array<unsigned char, 32>;

  explicit HmacSha256(std::string_view key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  Mac Sign(std::string_view data) const;

 private:
  EVP_MD_CTX* inner_;  // the key xor ipad, absorbed
  EVP_MD_CTX* outer_;  // the key xor opad, absorbed
};

}  // namespace evently::security
