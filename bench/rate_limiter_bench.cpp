// The in-memory rate limiter's own cost per request: one hot key, and 100k distinct keys.
// Build: scripts/build.sh release --target rate_limiter_bench; run build/release/bench/...
#include <chrono>
#include <cstdio>
#include <string>

#include "http/memory_rate_limiter.hpp"

int main() {
  using namespace evently;
  http::MemoryRateLimiter limiter;
  const domain::RateQuota quota{1'000'000'000, domain::Millis(60'000)};  // never refuses
  const domain::TimePoint now = domain::SystemClock().Now();
  constexpr int kCalls = 2'000'000;
  auto run = [&](const char* label, auto key_of) {
    auto started = std::chrono::steady_clock::now();
    long allowed = 0;
    for (int i = 0; i < kCalls; ++i) allowed += limiter.Acquire(key_of(i), quota, now).allowed;
    std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - started;
    std::printf("%-12s %6.0f ns per request (%ld allowed)\n", label, took.count() / kCalls,
                allowed);
  };
  run("one key", [](int) { return std::string("public|ip:127.0.0.1"); });
  run("100k keys", [](int i) { return "public|ip:10.0." + std::to_string(i % 100'000); });
}
