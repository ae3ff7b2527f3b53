#include "realtime/io_threads.hpp"

namespace evently::realtime {

IoThreads::IoThreads(int threads) {
  for (int i = 0; i < threads; ++i) loops_.push_back(std::make_unique<Loop>());
}

IoThreads::~IoThreads() { Stop(); }

std::size_t IoThreads::Next() {
  return next_.fetch_add(1, std::memory_order_relaxed) % loops_.size();
}

void IoThreads::Start() {
  for (auto& loop : loops_) running_.emplace_back([&io = loop->io] { io.run(); });
}

void IoThreads::Stop() {
  for (auto& loop : loops_) {
    loop->work.reset();
    loop->io.stop();
  }
  for (auto& t : running_) t.join();
  running_.clear();
}

}  // namespace evently::realtime
