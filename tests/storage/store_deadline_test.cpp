// Every store call gives up at the store timeout. A PostgreSQL that accepts connections and answers
// nothing (a frozen server, a network black hole: here a proxy that stops forwarding) fails the
// call with StoreUnavailable within the timeout, whether it was connecting, waiting for an answer
// or probing; the stuck connection is never pooled again, and the store serves again once it
// answers. On SQLite, waiting for the writer is bounded the same way.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "domain/error.hpp"
#include "storage/sql.hpp"
#include "support/test_store.hpp"

namespace evently::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using storage::Connection;
using storage::Statement;

constexpr Statement kOne{"deadline_one", "SELECT 1"};
// What a sanitizer build and a busy machine may add to a timeout.
constexpr milliseconds kSlack{700};

milliseconds Since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

// A listening socket on 127.0.0.1 (any free port); -1 on failure.
int Listen(int& port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(fd, 64) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  port = ntohs(addr.sin_port);
  return fd;
}

// Forwards connections to a server until frozen; frozen, it reads nothing and sends nothing
// (the kernel still accepts new connections), as a SIGSTOPped server would.
class FreezableProxy {
 public:
  explicit FreezableProxy(int target_port) : target_port_(target_port) {
    listener_ = Listen(port_);
    accepter_ = std::thread([this] { Accept(); });
  }
  ~FreezableProxy() {
    stop_ = true;
    accepter_.join();
    for (auto& pump : pumps_) pump.join();
    close(listener_);
  }
  int port() const { return port_; }
  void Freeze(bool frozen) { frozen_ = frozen; }

 private:
  void Accept() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0 || frozen_) continue;
      int client = accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      int server = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(static_cast<std::uint16_t>(target_port_));
      if (connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(client);
        close(server);
        continue;
      }
      pumps_.emplace_back([this, client, server] { Pump(client, server); });
    }
  }

  void Pump(int client, int server) {
    char buffer[16384];
    bool open = true;
    while (open && !stop_) {
      pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
      if (poll(fds, 2, 20) <= 0 || frozen_) continue;
      for (int i = 0; i < 2 && open; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
        open = n > 0 && write(fds[1 - i].fd, buffer, static_cast<std::size_t>(n)) == n;
      }
    }
    close(client);
    close(server);
  }

  int target_port_;
  int port_ = 0;
  int listener_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<bool> frozen_{false};
  std::thread accepter_;
  std::vector<std::thread> pumps_;  // touched by the accepting thread only, until the join
};

class StoreDeadlineTest : public StoreTest {};

// Connecting to a server that never answers the startup packet: before the deadlines, libpq
// waited for as long as the kernel kept the connection.
TEST(StoreDeadline, PostgresConnectGivesUpAtTheTimeout) {
  if (TestEngine() != "postgres") GTEST_SKIP() << "PostgreSQL only";
  int port = 0;
  int black_hole = Listen(port);  // never accepts: the kernel completes handshakes by itself
  ASSERT_GE(black_hole, 0);
  storage::DatabaseOptions options;
  options.pool_size = 1;
  options.timeout_ms = 300;
  auto start = Clock::now();
  EXPECT_THROW(storage::OpenDatabase("postgresql://nobody@127.0.0.1:" + std::to_string(port) + "/x",
                                     options),
               domain::StoreUnavailable);
  EXPECT_LT(Since(start), milliseconds(300) + kSlack);
  close(black_hole);
}

TEST_F(StoreDeadlineTest, PostgresFrozenServerFailsEachCallWithinTheTimeoutAndRecovers) {
  if (TestEngine() != "postgres") GTEST_SKIP() << "PostgreSQL only";
  // postgresql://user@127.0.0.1:PORT/db...: the proxy goes in place of PORT.
  const std::string host = "@127.0.0.1:";
  std::size_t at = url_.find(host);
  std::size_t end = at == std::string::npos ? at : url_.find('/', at);
  if (end == std::string::npos) GTEST_SKIP() << "the proxy needs a PostgreSQL on 127.0.0.1";
  std::size_t from = at + host.size();
  FreezableProxy proxy(std::stoi(url_.substr(from, end - from)));
  std::string proxied = url_.substr(0, from) + std::to_string(proxy.port()) + url_.substr(end);
  storage::DatabaseOptions options;
  options.pool_size = 2;
  options.timeout_ms = 400;
  auto db = storage::OpenDatabase(proxied, options);
  EXPECT_EQ(db->ReadOne(kOne).Int(0, 0), 1);

  proxy.Freeze(true);
  auto start = Clock::now();  // a pooled connection, waiting for its answer
  EXPECT_THROW(db->ReadOne(kOne), domain::StoreUnavailable);
  EXPECT_GE(Since(start), milliseconds(350));
  EXPECT_LT(Since(start), milliseconds(400) + kSlack);
  start = Clock::now();  // the stuck connection was dropped: a new one, connecting
  EXPECT_THROW(db->Write([](Connection& conn) { conn.Exec(kOne); }), domain::StoreUnavailable);
  EXPECT_LT(Since(start), milliseconds(400) + kSlack);
  start = Clock::now();  // the readiness probe, with a shorter time of its own
  EXPECT_THROW(db->Probe(milliseconds(150), [](Connection& conn) { conn.Exec(kOne); }),
               domain::StoreUnavailable);
  EXPECT_LT(Since(start), milliseconds(150) + kSlack);
  EXPECT_EQ(db->Stats().in_use, 0u);

  proxy.Freeze(false);
  EXPECT_EQ(db->ReadOne(kOne).Int(0, 0), 1);
  int written = 0;
  db->Write([&](Connection& conn) { written = static_cast<int>(conn.Exec(kOne).Int(0, 0)); });
  EXPECT_EQ(written, 1);
  db->Probe(milliseconds(1000), [](Connection& conn) { conn.Exec(kOne); });
}

// A server that restarts closes every pooled connection: the first call after it takes a
// connection that is closed already and, before this was checked, failed with 503 although the
// server was back (recovery needed as many failed calls as the pool had idle connections).
TEST_F(StoreDeadlineTest, PostgresReplacesAPooledConnectionTheServerClosed) {
  if (TestEngine() != "postgres") GTEST_SKIP() << "PostgreSQL only";
  constexpr Statement kPid{"deadline_backend_pid", "SELECT pg_backend_pid()"};
  constexpr Statement kTerminate{
      "deadline_terminate", "SELECT CASE WHEN pg_terminate_backend($1::int) THEN 1 ELSE 0 END"};
  constexpr Statement kAlive{"deadline_alive",
                             "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int"};
  storage::DatabaseOptions options;
  options.pool_size = 1;
  auto db = storage::OpenDatabase(url_, options);
  std::int64_t pid = db->ReadOne(kPid).Int(0, 0);
  ASSERT_EQ(db_->ReadOne(kTerminate, {pid}).Int(0, 0), 1);
  auto deadline = Clock::now() + std::chrono::seconds(5);
  while (db_->ReadOne(kAlive, {pid}).Int(0, 0) != 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(db->ReadOne(kOne).Int(0, 0), 1);
  EXPECT_NE(db->ReadOne(kPid).Int(0, 0), pid);
}

// A write that waits behind another one longer than the timeout gives up (503), instead of
// queueing for as long as the first one takes.
TEST_F(StoreDeadlineTest, SqliteWaitsForTheWriterNoLongerThanTheTimeout) {
  if (TestEngine() != "sqlite") GTEST_SKIP() << "SQLite only";
  storage::DatabaseOptions options;
  options.pool_size = 1;
  options.timeout_ms = 200;
  auto db = storage::OpenDatabase(url_, options);
  std::promise<void> entered;
  std::thread holder([&] {
    db->Write([&](Connection&) {
      entered.set_value();
      std::this_thread::sleep_for(milliseconds(900));
    });
  });
  entered.get_future().wait();
  auto start = Clock::now();
  EXPECT_THROW(db->Write([](Connection& conn) { conn.Exec(kOne); }), domain::StoreUnavailable);
  EXPECT_GE(Since(start), milliseconds(150));
  EXPECT_LT(Since(start), milliseconds(200) + kSlack);
  holder.join();
  db->Write([](Connection& conn) { conn.Exec(kOne); });  // free again
}

}  // namespace
}  // namespace evently::testing
