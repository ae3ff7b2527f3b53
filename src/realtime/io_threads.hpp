// The I/O threads of live seat maps: WebSocket sessions and the hub's fan-out run here, apart
// from the HTTP I/O threads, so a burst of updates to thousands of clients never delays the API.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>
#include <vector>

namespace evently::realtime {

class IoThreads {
 public:
  explicit IoThreads(int threads);
  ~IoThreads();
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  boost::asio::io_context& io() { return io_; }
  void Start();
  // Stops running handlers; sessions still open are destroyed with the io_context.
  void Stop();

 private:
  int threads_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> running_;
};

}  // namespace evently::realtime
