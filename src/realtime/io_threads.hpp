// The I/O threads of live seat maps: WebSocket sessions and the hub's fan-out run here, apart
// from the HTTP I/O threads, so a burst of updates to thousands of clients never delays the API.
// Each thread runs an event loop of its own and a connection stays on the loop it was given: its
// handlers never run concurrently without a strand, and the completions a loop queues for itself
// (a write done, the next write) take no lock and wake no other thread.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <vector>

namespace evently::realtime {

class IoThreads {
 public:
  explicit IoThreads(int threads);
  ~IoThreads();
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  // The loop of the next connection (its number): connections are dealt to the threads in turn.
  std::size_t Next();
  boost::asio::io_context& io(std::size_t loop) { return loops_[loop]->io; }
  std::size_t size() const { return loops_.size(); }
  void Start();
  // Stops running handlers; sessions still open are destroyed with their loops.
  void Stop();

 private:
  struct Loop {
    boost::asio::io_context io{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
        boost::asio::make_work_guard(io);
  };
  std::vector<std::unique_ptr<Loop>> loops_;
  std::atomic<std::size_t> next_{0};
  std::vector<std::thread> running_;
};

}  // namespace evently::realtime
