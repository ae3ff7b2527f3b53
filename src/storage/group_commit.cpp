#include "storage/group_commit.hpp"

namespace evently::storage {

StoreThreads::StoreThreads(std::size_t threads) {
  if (threads == 0) threads = 1;
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

StoreThreads::~StoreThreads() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void StoreThreads::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
}

void StoreThreads::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and nothing left to run
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

bool IsRowFault(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const SqlError& e) {
    return e.kind() == SqlError::Kind::kOther || e.kind() == SqlError::Kind::kUniqueViolation;
  } catch (...) {
    return false;
  }
}

}  // namespace evently::storage
