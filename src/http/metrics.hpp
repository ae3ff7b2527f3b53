// Prometheus counters: requests by route and status, latency histogram, store pool gauges.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace evently::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  // Called for every request, from any thread: takes only this thread's shard lock.
  void RecordRequest(std::string_view route, std::string_view method, int status, double seconds);
  // Extra gauges rendered at scrape time (store pool, queues, sockets).
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  // Sums the shards.
  std::string Render() const;

 private:
  struct Series {
    std::string route;
    std::string method;
    int status = 0;
    std::uint64_t count = 0;
    double sum = 0;
    std::array<std::uint64_t, kBuckets.size()> buckets{};
  };
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };
  // Requests are counted per thread shard, so the I/O thread and the workers never wait on one
  // global lock; a scrape adds the shards up.
  struct alignas(64) Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Series> series;  // by "route \x1f method \x1f status"
    std::string key;                                 // scratch for the lookup, under mu
  };
  static constexpr std::size_t kShards = 8;
  std::array<Shard, kShards> shards_;
  mutable std::mutex gauges_mu_;
  std::map<std::string, Gauge> gauges_;
};

}  // namespace evently::http
