#include "realtime/io_threads.hpp"

namespace evently::realtime {

IoThreads::IoThreads(int threads)
    : threads_(threads), io_(threads), work_(boost::asio::make_work_guard(io_)) {}

IoThreads::~IoThreads() { Stop(); }

void IoThreads::Start() {
  for (int i = 0; i < threads_; ++i) running_.emplace_back([this] { io_.run(); });
}

void IoThreads::Stop() {
  work_.reset();
  io_.stop();
  for (auto& t : running_) t.join();
  running_.clear();
}

}  // namespace evently::realtime
