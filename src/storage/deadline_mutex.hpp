// A mutex that can be waited for until a deadline (TimedLockable, like std::timed_mutex), made
// of a mutex and a condition variable. std::timed_mutex waits with pthread_mutex_clocklock,
// which GCC 12's ThreadSanitizer does not intercept: it then reports every unlock as one of an
// unlocked mutex, and would hide real races behind that noise.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace evently::storage {

class DeadlineMutex {
 public:
  void lock() {
    std::unique_lock guard(mu_);
    free_.wait(guard, [this] { return !held_; });
    held_ = true;
  }
  bool try_lock() {
    std::lock_guard guard(mu_);
    if (held_) return false;
    held_ = true;
    return true;
  }
  template <typename Clock, typename Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration>& deadline) {
    std::unique_lock guard(mu_);
    if (!free_.wait_until(guard, deadline, [this] { return !held_; })) return false;
    held_ = true;
    return true;
  }
  template <typename Rep, typename Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period>& timeout) {
    return try_lock_until(std::chrono::steady_clock::now() + timeout);
  }
  void unlock() {
    {
      std::lock_guard guard(mu_);
      held_ = false;
    }
    free_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable free_;
  bool held_ = false;
};

}  // namespace evently::storage
