// TCP keepalive on accepted client sockets, so a client that vanished (a crashed host, a network
// black hole) frees its connection in bounded time instead of after the kernel's hours.
#pragma once

#include <chrono>

namespace evently::http {

// Probes after `idle` without traffic, then every idle/3 (at least 1 s); after 3 unanswered
// probes, or data unacknowledged that long (TCP_USER_TIMEOUT), the kernel drops the connection.
// Best effort: a socket that refuses an option keeps the kernel's defaults for it.
void EnableTcpKeepAlive(int fd, std::chrono::seconds idle);

}  // namespace evently::http
