#include "http/metrics.hpp"

#include <cstdio>

namespace evently::http {

void Metrics::RecordRequest(const std::string& route, const std::string& method, int status,
                            double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  Series& s = latency_[route];
  ++s.count;
  s.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++s.buckets[i];
  }
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_[std::move(name)] = Gauge{std::move(help), std::move(read)};
}

std::string Metrics::Render() const {
  std::string out;
  char buf[64];
  std::lock_guard lock(mu_);
  out += "# HELP evently_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE evently_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += "evently_http_requests_total{route=\"" + route + "\",method=\"" + method +
           "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP evently_http_request_duration_seconds Request latency by route.\n";
  out += "# TYPE evently_http_request_duration_seconds histogram\n";
  for (const auto& [route, s] : latency_) {
    std::string label = "route=\"" + route + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%g", kBuckets[i]);
      out += "evently_http_request_duration_seconds_bucket{" + label + ",le=\"" + buf + "\"} " +
             std::to_string(s.buckets[i]) + "\n";
    }
    out += "evently_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(s.count) + "\n";
    std::snprintf(buf, sizeof buf, "%.6f", s.sum);
    out += "evently_http_request_duration_seconds_sum{" + label + "} " + buf + "\n";
    out += "evently_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(s.count) + "\n";
  }
  for (const auto& [name, gauge] : gauges_) {
    std::snprintf(buf, sizeof buf, "%g", gauge.read());
    out += "# HELP " + name + " " + gauge.help + "\n# TYPE " + name + " gauge\n" + name + " " +
           buf + "\n";
  }
  return out;
}

}  // namespace evently::http
