#include "security/admission_token.hpp"

#include <openssl/crypto.h>

#include <array>
#include <charconv>
#include <vector>

#include "security/jwt.hpp"

namespace evently::security {
namespace {

constexpr std::string_view kVersion = "q1";

std::string DerivedKey(std::string_view secret) {
  HmacSha256 root(secret);
  HmacSha256::Mac key = root.Sign("evently waiting-room admission v1");
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t from = 0;
  for (;;) {
    std::size_t at = text.find(sep, from);
    parts.push_back(text.substr(from, at == std::string_view::npos ? at : at - from));
    if (at == std::string_view::npos) return parts;
    from = at + 1;
  }
}

}  // namespace

AdmissionTokenCodec::AdmissionTokenCodec(std::string_view secret) : hmac_(DerivedKey(secret)) {}

std::string AdmissionTokenCodec::Mac(std::string_view signed_part) const {
  HmacSha256::Mac mac = hmac_.Sign(signed_part);
  return Base64UrlEncode({reinterpret_cast<const char*>(mac.data()), mac.size()});
}

std::string AdmissionTokenCodec::Issue(const domain::QueueTicket& ticket) const {
  std::string out(kVersion);
  for (std::string_view part : {std::string_view(ticket.id), std::string_view(ticket.user_id),
                                std::string_view(ticket.event_id)}) {
    out += '.';
    out += part;
  }
  out += '.';
  out += std::to_string(
      domain::ToEpochMillis(ticket.admission_expires_at.value_or(domain::TimePoint{})));
  std::string mac = Mac(out);
  out += '.';
  out += mac;
  return out;
}

bool AdmissionTokenCodec::Verify(std::string_view token, std::string_view user_id,
                                 std::string_view event_id, domain::TimePoint now) const {
  if (token.size() > 512) return false;
  std::vector<std::string_view> parts = Split(token, '.');
  if (parts.size() != 6 || parts[0] != kVersion) return false;
  std::string_view signed_part = token.substr(0, token.size() - parts[5].size() - 1);
  std::string expected = Mac(signed_part);
  if (expected.size() != parts[5].size() ||
      CRYPTO_memcmp(expected.data(), parts[5].data(), expected.size()) != 0) {
    return false;
  }
  std::int64_t expires = 0;
  auto [end, ec] = std::from_chars(parts[4].data(), parts[4].data() + parts[4].size(), expires);
  if (ec != std::errc() || end != parts[4].data() + parts[4].size()) return false;
  return parts[2] == user_id && parts[3] == event_id && domain::ToEpochMillis(now) < expires;
}

}  // namespace evently::security
