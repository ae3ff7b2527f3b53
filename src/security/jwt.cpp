#include "security/jwt.hpp"

#include <openssl/crypto.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "domain/ids.hpp"
#include "wire/json_writer.hpp"

namespace evently::security {

namespace json = boost::json;
using domain::ErrorCode;

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kHeaderJson = R"({"alg":"HS256","typ":"JWT"})";

// The header of the tokens this server signs, encoded once.
const std::string& OwnHeader() {
  static const std::string header = Base64UrlEncode(kHeaderJson);
  return header;
}

domain::Error Invalid(std::string why) {
  return domain::MakeError(ErrorCode::kAuthTokenInvalid, "Token is invalid: " + std::move(why));
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
             (static_cast<unsigned char>(bytes[i + 1]) << 8) |
             static_cast<unsigned char>(bytes[i + 2]);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63],
            kAlphabet[n & 63]};
  }
  if (i + 1 == bytes.size()) {
    auto n = static_cast<unsigned char>(bytes[i]) << 16;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63]};
  } else if (i + 2 == bytes.size()) {
    auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
             (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63]};
  }
  return out;
}

bool Base64UrlDecode(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() % 4 == 1) return false;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '-')
      v = 62;
    else if (c == '_')
      v = 63;
    else
      return false;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return true;
}

JwtCodec::JwtCodec(std::string_view secret, std::chrono::seconds ttl) : hmac_(secret), ttl_(ttl) {}

std::string JwtCodec::Sign(std::string_view signing_input) const {
  HmacSha256::Mac mac = hmac_.Sign(signing_input);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

AccessToken JwtCodec::Issue(const domain::Principal& principal, domain::TimePoint now) const {
  auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  wire::JsonWriter claims;
  claims.BeginObject()
      .Field("sub", principal.user_id)
      .Field("role", domain::RoleName(principal.role))
      .Field("iat", iat)
      .Field("exp", iat + ttl_.count())
      .Field("jti", domain::NewUuidV7(now))
      .Field("typ", "access")
      .EndObject();
  std::string input = OwnHeader() + "." + Base64UrlEncode(claims.str());
  std::string signature = Sign(input);
  return AccessToken{input + "." + signature, ttl_};
}

domain::Result<domain::Principal> JwtCodec::Verify(std::string_view token,
                                                   domain::TimePoint now) const {
  if (token.size() > 4096) return Invalid("too long");
  auto first = token.find('.');
  auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Invalid("malformed");
  }
  std::string header_json, payload_json, signature;
  if (!Base64UrlDecode(token.substr(first + 1, second - first - 1), payload_json) ||
      !Base64UrlDecode(token.substr(second + 1), signature)) {
    return Invalid("malformed");
  }
  boost::system::error_code ec;
  // The header this server writes is taken as is; any other is read, and only the server's own
  // algorithm passes: never "none", never an asymmetric one.
  if (token.substr(0, first) != OwnHeader()) {
    if (!Base64UrlDecode(token.substr(0, first), header_json)) return Invalid("malformed");
    json::value header = json::parse(header_json, ec);
    if (ec || !header.is_object()) return Invalid("malformed header");
    const json::value* alg = header.as_object().if_contains("alg");
    if (!alg || !alg->is_string() || alg->as_string() != "HS256") return Invalid("algorithm");
  }
  std::string expected = Sign(token.substr(0, second));
  std::string_view given = token.substr(second + 1);
  if (expected.size() != given.size() ||
      CRYPTO_memcmp(expected.data(), given.data(), expected.size()) != 0) {
    return Invalid("signature");
  }
  json::value payload = json::parse(payload_json, ec);
  if (ec || !payload.is_object()) return Invalid("malformed claims");
  const auto& claims = payload.as_object();
  const json::value* typ = claims.if_contains("typ");
  const json::value* sub = claims.if_contains("sub");
  const json::value* role = claims.if_contains("role");
  const json::value* exp = claims.if_contains("exp");
  if (!typ || !typ->is_string() || typ->as_string() != "access")
    return Invalid("not an access token");
  if (!sub || !sub->is_string() || !domain::IsUuid(sub->as_string())) return Invalid("subject");
  if (!role || !role->is_string() ||
      (role->as_string() != "user" && role->as_string() != "admin")) {
    return Invalid("role");
  }
  if (!exp || !exp->is_int64()) return Invalid("expiry");
  auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (now_s >= exp->as_int64()) return domain::MakeError(ErrorCode::kAuthTokenExpired);
  return domain::Principal{std::string(sub->as_string()), role->as_string() == "admin"
                                                              ? domain::Role::kAdmin
                                                              : domain::Role::kUser};
}

}  // namespace evently::security
