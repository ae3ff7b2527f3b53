// libFuzzer: the access-token parser. Any text is refused as an invalid token (401) or verifies;
// a token that verifies is one this codec issued, byte for byte: an edit of a genuine token,
// however small, is refused; and every issued token verifies to the principal it was made for.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/ids.hpp"
#include "security/jwt.hpp"

namespace {

using evently::domain::Principal;
using evently::domain::Role;
using evently::domain::TimePoint;

[[noreturn]] void Fail(std::string_view what, std::string_view token) {
  std::fprintf(stderr, "fuzz_jwt: %.*s: '%.*s'\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(token.size()), token.data());
  std::abort();
}

const evently::security::JwtCodec& Codec() {
  static const evently::security::JwtCodec codec("fuzzing-secret-of-thirty-two-bytes!",
                                                 std::chrono::seconds(900));
  return codec;
}

const TimePoint kNow = TimePoint(std::chrono::milliseconds(1'800'000'000'000));

void CheckRefusalOrValid(std::string_view token) {
  auto verified = Codec().Verify(token, kNow);
  if (!verified.ok() && evently::domain::Describe(verified.error().code).http_status != 401) {
    Fail("a refusal that is not 401", token);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {  // any text
      CheckRefusalOrValid(rest);
      break;
    }
    case 1: {  // a genuine token edited: bytes XORed in from the input at the positions it says
      static const std::string genuine =
          Codec().Issue(Principal{"0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b", Role::kUser}, kNow).token;
      std::string token = genuine;
      for (std::size_t i = 0; i + 1 < rest.size(); i += 2) {
        token[static_cast<unsigned char>(rest[i]) % token.size()] ^= rest[i + 1];
      }
      if (token != genuine && Codec().Verify(token, kNow).ok()) {
        Fail("an edited token verified", token);
      }
      CheckRefusalOrValid(token);
      break;
    }
    default: {  // issued for a subject: a UUID verifies to the same principal, other text never
      Role role = (data[0] & 0x80) ? Role::kAdmin : Role::kUser;
      Principal raw{std::string(rest), role};
      bool verified_raw = Codec().Verify(Codec().Issue(raw, kNow).token, kNow).ok();
      if (verified_raw != evently::domain::IsUuid(raw.user_id)) {
        Fail(verified_raw ? "a token for a subject that is no UUID verified"
                          : "a token for a UUID subject was refused",
             rest);
      }
      std::string uuid;
      for (std::size_t i = 0; i < 16; ++i) {
        static constexpr char kHex[] = "0123456789abcdef";
        auto byte = static_cast<unsigned char>(i < rest.size() ? rest[i] : 0);
        if (i == 6) byte = static_cast<unsigned char>((byte & 0x0f) | 0x70);  // version 7
        if (i == 8) byte = static_cast<unsigned char>((byte & 0x3f) | 0x80);  // variant
        uuid += kHex[byte >> 4];
        uuid += kHex[byte & 0x0f];
        if (i == 3 || i == 5 || i == 7 || i == 9) uuid += '-';
      }
      Principal principal{uuid, role};
      auto verified = Codec().Verify(Codec().Issue(principal, kNow).token, kNow);
      if (!verified.ok() || verified->user_id != principal.user_id ||
          verified->role != principal.role) {
        Fail("an issued token did not verify to its principal", uuid);
      }
      break;
    }
  }
  return 0;
}
