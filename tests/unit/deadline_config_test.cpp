// Configuration of the deadlines: the store timeout and the client connections' TCP keepalive.
#include <gtest/gtest.h>

#include "app/config.hpp"

namespace evently::app {
namespace {

TEST(DeadlineConfig, StoreTimeoutDefaultsToFiveSecondsAndComesFromFlagsOrEnvironment) {
  Config config;
  EXPECT_EQ(config.store_timeout_ms, 5000);
  EXPECT_EQ(config.tcp_keepalive_seconds, 30);
  ASSERT_EQ(LoadConfig(config, {"--store-timeout-ms", "1500", "--tcp-keepalive-seconds=0"}), "");
  EXPECT_EQ(config.store_timeout_ms, 1500);
  EXPECT_EQ(config.tcp_keepalive_seconds, 0);
  EXPECT_EQ(ValidateConfig(config), "");
  EXPECT_NE(LoadConfig(config, {"--store-timeout-ms", "5s"}), "");
}

TEST(DeadlineConfig, StoreTimeoutOutOfRangeIsRefused) {
  for (int ms : {-1, 0, 99, 600001}) {
    Config config;
    config.store_timeout_ms = ms;
    EXPECT_NE(ValidateConfig(config).find("EVENTLY_STORE_TIMEOUT_MS"), std::string::npos) << ms;
  }
  for (int ms : {100, 600000}) {
    Config config;
    config.store_timeout_ms = ms;
    EXPECT_EQ(ValidateConfig(config), "") << ms;
  }
}

TEST(DeadlineConfig, TcpKeepAliveOutOfRangeIsRefused) {
  for (int seconds : {-1, 7201}) {
    Config config;
    config.tcp_keepalive_seconds = seconds;
    EXPECT_NE(ValidateConfig(config).find("EVENTLY_TCP_KEEPALIVE_SECONDS"), std::string::npos)
        << seconds;
  }
  Config config;
  config.tcp_keepalive_seconds = 7200;
  EXPECT_EQ(ValidateConfig(config), "");
}

}  // namespace
}  // namespace evently::app
