// redis://[[user]:password@]host[:port][/db], as EVENTLY_REDIS_URL takes it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace evently::ratelimit {

struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string user;      // Redis 6 ACL user; empty: the default user
  std::string password;  // empty: no AUTH
};

// nullopt when the URL is not a redis:// URL or its port or database is not a number.
std::optional<RedisAddress> ParseRedisUrl(std::string_view url);

}  // namespace evently::ratelimit
