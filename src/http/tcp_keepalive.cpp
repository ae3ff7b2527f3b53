#include "http/tcp_keepalive.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>

namespace evently::http {

void EnableTcpKeepAlive(int fd, std::chrono::seconds idle) {
  int on = 1;
  int idle_s = static_cast<int>(std::max<std::chrono::seconds::rep>(1, idle.count()));
  int interval_s = std::max(1, idle_s / 3);
  int probes = 3;
  unsigned int user_timeout_ms = static_cast<unsigned int>(idle_s + probes * interval_s) * 1000U;
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof idle_s);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval_s, sizeof interval_s);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
  setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms, sizeof user_timeout_ms);
}

}  // namespace evently::http
