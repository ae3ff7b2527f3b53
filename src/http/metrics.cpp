#include "http/metrics.hpp"

#include <atomic>
#include <charconv>
#include <cstdio>
#include <initializer_list>
#include <tuple>

namespace evently::http {
namespace {

std::size_t ThreadShard(std::size_t shards) {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t index = next.fetch_add(1, std::memory_order_relaxed);
  return index % shards;
}

}  // namespace

void Metrics::RecordRequest(std::string_view route, std::string_view method, int status,
                            double seconds) {
  Shard& shard = shards_[ThreadShard(kShards)];
  std::lock_guard lock(shard.mu);
  std::string& key = shard.key;
  key.assign(route);
  key += '\x1f';
  key += method;
  key += '\x1f';
  char digits[16];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, status);
  key.append(digits, end);
  auto it = shard.series.find(key);
  if (it == shard.series.end()) {
    it = shard.series.emplace(key, Series{std::string(route), std::string(method), status}).first;
  }
  Series& s = it->second;
  ++s.count;
  s.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++s.buckets[i];
  }
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(gauges_mu_);
  gauges_[std::move(name)] = Gauge{std::move(help), std::move(read)};
}

std::string Metrics::Render() const {
  struct Latency {
    std::uint64_t count = 0;
    double sum = 0;
    std::array<std::uint64_t, kBuckets.size()> buckets{};
  };
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests;
  std::map<std::string, Latency> latency;  // by route
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (const auto& [key, s] : shard.series) {
      requests[{s.route, s.method, s.status}] += s.count;
      Latency& l = latency[s.route];
      l.count += s.count;
      l.sum += s.sum;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) l.buckets[i] += s.buckets[i];
    }
  }
  std::string out;
  auto add = [&out](std::initializer_list<std::string_view> parts) {
    for (std::string_view part : parts) out.append(part);
  };
  char buf[64];
  out += "# HELP evently_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE evently_http_requests_total counter\n";
  for (const auto& [key, count] : requests) {
    const auto& [route, method, status] = key;
    add({"evently_http_requests_total{route=\"", route, "\",method=\"", method, "\",status=\"",
         std::to_string(status), "\"} ", std::to_string(count), "\n"});
  }
  out += "# HELP evently_http_request_duration_seconds Request latency by route.\n";
  out += "# TYPE evently_http_request_duration_seconds histogram\n";
  for (const auto& [route, s] : latency) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%g", kBuckets[i]);
      add({"evently_http_request_duration_seconds_bucket{route=\"", route, "\",le=\"", buf, "\"} ",
           std::to_string(s.buckets[i]), "\n"});
    }
    add({"evently_http_request_duration_seconds_bucket{route=\"", route, "\",le=\"+Inf\"} ",
         std::to_string(s.count), "\n"});
    std::snprintf(buf, sizeof buf, "%.6f", s.sum);
    add({"evently_http_request_duration_seconds_sum{route=\"", route, "\"} ", buf, "\n"});
    add({"evently_http_request_duration_seconds_count{route=\"", route, "\"} ",
         std::to_string(s.count), "\n"});
  }
  std::lock_guard lock(gauges_mu_);
  // A labelled gauge ("name{label=\"value\"}") shares its HELP and TYPE lines with the others
  // of its name, which sort next to it.
  std::string_view family;
  for (const auto& [name, gauge] : gauges_) {
    std::string_view base = std::string_view(name).substr(0, name.find('{'));
    if (base != family) {
      family = base;
      add({"# HELP ", base, " ", gauge.help, "\n# TYPE ", base, " gauge\n"});
    }
    std::snprintf(buf, sizeof buf, "%g", gauge.read());
    add({name, " ", buf, "\n"});
  }
  return out;
}

}  // namespace evently::http
