// Settings refused at start: numbers outside their range, an empty JWT secret.
#include <gtest/gtest.h>

#include <variant>

#include "app/config.hpp"

namespace evently::app {
namespace {

TEST(Config, EveryNumberHasARangeHoldingItsDefault) {
  Config defaults;
  EXPECT_EQ(ValidateConfig(defaults), "");
  for (const Setting& setting : Settings()) {
    const auto* member = std::get_if<int Config::*>(&setting.field);
    if (!member) continue;
    EXPECT_LT(setting.range.min, setting.range.max) << setting.flag;
    EXPECT_GE(defaults.**member, setting.range.min) << setting.flag;
    EXPECT_LE(defaults.**member, setting.range.max) << setting.flag;
  }
}

TEST(Config, ANumberOutsideItsRangeIsRefusedByName) {
  for (const Setting& setting : Settings()) {
    const auto* member = std::get_if<int Config::*>(&setting.field);
    if (!member) continue;
    for (int bad : {setting.range.min - 1, setting.range.max + 1}) {
      Config config;
      config.**member = bad;
      std::string error = ValidateConfig(config);
      EXPECT_NE(error.find(std::string(setting.env)), std::string::npos) << error;
      EXPECT_NE(error.find("got " + std::to_string(bad)), std::string::npos) << error;
    }
  }
  // A negative body limit turned the limit off before.
  Config config;
  ASSERT_EQ(LoadConfig(config, {"--body-limit-bytes=-1"}), "");
  EXPECT_EQ(ValidateConfig(config),
            "EVENTLY_BODY_LIMIT_BYTES (--body-limit-bytes) must be 1024..67108864, got -1");
}

TEST(Config, AnEmptyJwtSecretIsRefusedInEveryMode) {
  for (const char* mode : {"dev", "prod"}) {
    Config config;
    config.mode = mode;
    config.jwt_secret.clear();
    EXPECT_NE(ValidateConfig(config).find("JWT secret is empty"), std::string::npos) << mode;
  }
  Config dev;
  dev.jwt_secret = "short";  // dev mode takes any other secret
  EXPECT_EQ(ValidateConfig(dev), "");
}

TEST(Config, TheQueueWindowCapIsRefusedInProd) {
  Config config;
  config.queue_window_cap_seconds = 5;
  EXPECT_EQ(ValidateConfig(config), "");
  config.mode = "prod";
  config.jwt_secret = std::string(40, 'k');
  EXPECT_NE(ValidateConfig(config).find("EVENTLY_QUEUE_WINDOW_CAP_SECONDS"), std::string::npos);
  config.queue_window_cap_seconds = 0;
  EXPECT_EQ(ValidateConfig(config), "");
}

TEST(Config, UnknownLogLevelsAreRefused) {
  Config config;
  config.log_level = "verbose";
  EXPECT_NE(ValidateConfig(config).find("log level"), std::string::npos);
  config.log_level = "warn";
  EXPECT_EQ(ValidateConfig(config), "");
}

}  // namespace
}  // namespace evently::app
