// A background loop on its own thread: runs `work` every interval until stopped; a failure
// (the store down, say) is logged and retried on the next tick, never fatal.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace evently::jobs {

class PeriodicJob {
 public:
  PeriodicJob(std::string name, std::chrono::milliseconds interval, std::function<int()> work);
  ~PeriodicJob();
  PeriodicJob(const PeriodicJob&) = delete;
  PeriodicJob& operator=(const PeriodicJob&) = delete;

  void Start();
  void Stop();
  // Runs one round now (tests, and a nudge after a burst).
  void Wake();

 private:
  void Loop();
  std::string name_;
  std::chrono::milliseconds interval_;
  std::function<int()> work_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace evently::jobs
