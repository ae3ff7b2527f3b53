#include "security/hmac.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace evently::security {
namespace {

constexpr std::size_t kBlock = 64;  // SHA-256's block size

void Check(int ok) {
  if (ok != 1) throw std::runtime_error("OpenSSL SHA-256 failed");
}

EVP_MD_CTX* Absorbed(const std::array<unsigned char, kBlock>& key, unsigned char pad) {
  std::array<unsigned char, kBlock> block{};
  for (std::size_t i = 0; i < kBlock; ++i) block[i] = key[i] ^ pad;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) throw std::bad_alloc();
  Check(EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr));
  Check(EVP_DigestUpdate(ctx, block.data(), block.size()));
  return ctx;
}

// One scratch context per thread, reused: copying into it allocates nothing after the first use.
EVP_MD_CTX* Scratch() {
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                           &EVP_MD_CTX_free);
  if (!ctx) throw std::bad_alloc();
  return ctx.get();
}

}  // namespace

HmacSha256::HmacSha256(std::string_view key) {
  // Keys longer than a block are hashed first (RFC 2104); shorter ones are zero-padded.
  std::array<unsigned char, kBlock> padded{};
  if (key.size() > kBlock) {
    unsigned int length = 0;
    Check(EVP_Digest(key.data(), key.size(), padded.data(), &length, EVP_sha256(), nullptr));
  } else {
    std::copy(key.begin(), key.end(), padded.begin());
  }
  inner_ = Absorbed(padded, 0x36);
  outer_ = Absorbed(padded, 0x5c);
}

HmacSha256::~HmacSha256() {
  EVP_MD_CTX_free(inner_);
  EVP_MD_CTX_free(outer_);
}

HmacSha256::Mac HmacSha256::Sign(std::string_view data) const {
  EVP_MD_CTX* ctx = Scratch();
  Mac inner{};
  Mac mac{};
  unsigned int length = 0;
  Check(EVP_MD_CTX_copy_ex(ctx, inner_));
  Check(EVP_DigestUpdate(ctx, data.data(), data.size()));
  Check(EVP_DigestFinal_ex(ctx, inner.data(), &length));
  Check(EVP_MD_CTX_copy_ex(ctx, outer_));
  Check(EVP_DigestUpdate(ctx, inner.data(), inner.size()));
  Check(EVP_DigestFinal_ex(ctx, mac.data(), &length));
  return mac;
}

}  // namespace evently::security
