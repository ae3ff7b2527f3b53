#include "ratelimit/redis_url.hpp"

#include <charconv>

namespace evently::ratelimit {
namespace {

std::optional<int> Number(std::string_view text, int min, int max) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<RedisAddress> ParseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  RedisAddress address;
  std::size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos && slash + 1 < url.size()) {
    auto db = Number(url.substr(slash + 1), 0, 1 << 16);
    if (!db) return std::nullopt;
    address.db = *db;
  }
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view credentials = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    std::size_t colon = credentials.find(':');
    if (colon == std::string_view::npos) {
      address.password = std::string(credentials);
    } else {
      address.user = std::string(credentials.substr(0, colon));
      address.password = std::string(credentials.substr(colon + 1));
    }
  }
  if (std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    auto port = Number(authority.substr(colon + 1), 1, 65535);
    if (!port) return std::nullopt;
    address.port = *port;
    authority = authority.substr(0, colon);
  }
  if (!authority.empty()) address.host = std::string(authority);
  return address;
}

}  // namespace evently::ratelimit
