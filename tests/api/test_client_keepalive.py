"""Client connections get TCP keepalive (EVENTLY_TCP_KEEPALIVE_SECONDS), so a client that
vanished (a crashed host, a network black hole) frees its connection in bounded time. Read from
the kernel's table of this machine's TCP sockets: /proc/net/tcp's `tr` field is 2 while a
keepalive timer runs on a socket, 0 when none does."""
import socket
import time

import pytest

from conftest import Server, fresh_store_url

KEEPALIVE_TIMER = 2


def server_side_timer(server_port, client_port):
    """The timer kind running on the server's end of the connection from `client_port`."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local, remote, timer = fields[1], fields[2], fields[5]
            if (int(local.split(":")[1], 16) == server_port
                    and int(remote.split(":")[1], 16) == client_port):
                return int(timer.split(":")[0], 16)
    return None


def idle_connection_timer(srv):
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        client_port = s.getsockname()[1]
        deadline = time.time() + 5
        timer = None
        while time.time() < deadline:  # the server accepts, then sets its options
            timer = server_side_timer(srv.port, client_port)
            if timer == KEEPALIVE_TIMER:
                break
            time.sleep(0.05)
        return timer


@pytest.mark.parametrize("seconds, expected", [("30", KEEPALIVE_TIMER), ("0", 0)])
def test_accepted_connections_get_tcp_keepalive(tmp_path, seconds, expected):
    srv = Server(fresh_store_url("sqlite", str(tmp_path)),
                 extra_env={"EVENTLY_TCP_KEEPALIVE_SECONDS": seconds}).start()
    try:
        assert idle_connection_timer(srv) == expected
    finally:
        assert srv.stop() == 0, srv.stderr()
