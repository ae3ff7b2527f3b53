// Browse cache: bounded lag, status boundaries, drops on catalogue changes.
#include "http/browse_cache.hpp"

#include <gtest/gtest.h>

namespace evently::http {
namespace {

using namespace std::chrono_literals;

const domain::TimePoint kNow = domain::FromEpochMillis(1'700'000'000'000);

struct Counting {
  int builds = 0;
  std::optional<domain::TimePoint> next_change;
  domain::Result<BrowseAnswer> operator()() {
    ++builds;
    return BrowseAnswer{"{\"n\":" + std::to_string(builds) + "}", std::nullopt, next_change};
  }
};

std::string Data(BrowseCache& cache, domain::TimePoint now, Counting& build) {
  auto answer = cache.Get("k", now, std::ref(build));
  return answer.ok() ? (*answer)->data_json : "error";
}

TEST(BrowseCache, KeepsAnAnswerForItsTimeOnly) {
  BrowseCache cache(1000ms);
  Counting build;
  EXPECT_EQ(Data(cache, kNow, build), R"({"n":1})");
  EXPECT_EQ(Data(cache, kNow + 999ms, build), R"({"n":1})");
  EXPECT_EQ(Data(cache, kNow + 1000ms, build), R"({"n":2})");
}

TEST(BrowseCache, NeverOutlivesTheNextStatusChange) {
  BrowseCache cache(1000ms);
  Counting build;
  build.next_change = kNow + 200ms;
  Data(cache, kNow, build);
  EXPECT_EQ(Data(cache, kNow + 199ms, build), R"({"n":1})");
  EXPECT_EQ(Data(cache, kNow + 200ms, build), R"({"n":2})");
}

TEST(BrowseCache, DropsEverythingOnACatalogueChange) {
  BrowseCache cache(60000ms);
  Counting build;
  Data(cache, kNow, build);
  cache.CatalogChanged();
  EXPECT_EQ(Data(cache, kNow, build), R"({"n":2})");
  EXPECT_EQ(cache.size(), 1u);
}

TEST(BrowseCache, DoesNotKeepAnAnswerBuiltAcrossAChange) {
  BrowseCache cache(60000ms);
  int builds = 0;
  auto racing = [&]() -> domain::Result<BrowseAnswer> {
    ++builds;
    cache.CatalogChanged();  // an admin write commits while this answer is being read
    return BrowseAnswer{"{}", std::nullopt, std::nullopt};
  };
  EXPECT_TRUE(cache.Get("k", kNow, racing).ok());
  EXPECT_EQ(cache.size(), 0u);
}

TEST(BrowseCache, ErrorsAndAZeroTtlKeepNothing) {
  BrowseCache off(0ms);
  Counting build;
  Data(off, kNow, build);
  Data(off, kNow, build);
  EXPECT_EQ(build.builds, 2);
  BrowseCache cache(1000ms);
  auto missing = []() -> domain::Result<BrowseAnswer> {
    return domain::MakeError(domain::ErrorCode::kEventNotFound);
  };
  EXPECT_FALSE(cache.Get("k", kNow, missing).ok());
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace evently::http
