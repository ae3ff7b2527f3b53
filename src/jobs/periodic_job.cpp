#include "jobs/periodic_job.hpp"

#include <spdlog/spdlog.h>

namespace evently::jobs {

PeriodicJob::PeriodicJob(std::string name, std::chrono::milliseconds interval,
                         std::function<int()> work)
    : name_(std::move(name)), interval_(interval), work_(std::move(work)) {}

PeriodicJob::~PeriodicJob() { Stop(); }

void PeriodicJob::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicJob::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeriodicJob::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void PeriodicJob::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    int done = 0;
    try {
      // Keep going while there is a full round of work, so a backlog drains quickly.
      do {
        done = work_();
      } while (done > 0 && !stop_);
    } catch (const std::exception& e) {
      spdlog::warn("job {}: {}", name_, e.what());
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_ || woken_; });
    woken_ = false;
  }
}

}  // namespace evently::jobs
