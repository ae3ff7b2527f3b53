// Configuration checks added with identity: password-hash cost and rate limits.
#include <gtest/gtest.h>

#include "app/config.hpp"

namespace evently::app {
namespace {

Config Prod() {
  Config config;
  config.mode = "prod";
  config.jwt_secret = std::string(40, 's');
  return config;
}

TEST(IdentityConfig, FastPasswordHashingIsRefusedInProd) {
  Config prod = Prod();
  EXPECT_EQ(ValidateConfig(prod), "");
  prod.password_hash = "fast";
  EXPECT_NE(ValidateConfig(prod).find("fast password hash"), std::string::npos);
  Config dev;
  dev.password_hash = "fast";
  EXPECT_EQ(ValidateConfig(dev), "");
  dev.password_hash = "md5";
  EXPECT_NE(ValidateConfig(dev), "");
}

TEST(IdentityConfig, RateLimitsComeFromFlagsAndMustBePositive) {
  Config config;
  ASSERT_EQ(LoadConfig(config, {"--rate-limits", "off", "--rate-limit-public=5",
                                "--trusted-proxies", "10.0.0.1, 10.0.0.2,"}),
            "");
  EXPECT_FALSE(config.rate_limits);
  EXPECT_EQ(config.rate_limit_public, 5);
  EXPECT_EQ(SplitList(config.trusted_proxies), (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
  config.rate_limit_booking = 0;
  EXPECT_NE(ValidateConfig(config), "");
  EXPECT_TRUE(SplitList("").empty());
}

}  // namespace
}  // namespace evently::app
