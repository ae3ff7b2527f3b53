"""Rate limits on three nodes behind HAProxy, shared through Redis (CONTRACT.md, Rate limits and
Several nodes): a user's quota and a client IP's quota hold whichever node a request reaches, a
forged X-Forwarded-For does not escape it, and with Redis stopped every request is still
answered from each node's own counters, shared again once Redis is back."""
import http.client
import subprocess

import pytest

from conftest import Api, running, wait_until
from support_booking import register

BOOKING_LIMIT = 10
PUBLIC_LIMIT = 30


@pytest.fixture(scope="module")
def cluster():
    with running({"EVENTLY_RATE_LIMIT_BOOKING": str(BOOKING_LIMIT),
                  "EVENTLY_RATE_LIMIT_PUBLIC": str(PUBLIC_LIMIT)}) as c:
        yield c


def booking_attempts(user, n):
    """n booking requests (an empty body: refused 400 once counted); their answers."""
    return [user.post("/api/v1/bookings", json={}) for _ in range(n)]


def test_the_eleventh_booking_request_in_a_minute_is_refused_on_any_node(cluster):
    user, _ = register(Api(cluster.base))
    answers = booking_attempts(user, BOOKING_LIMIT + 1)
    served_by = {r.headers.get("X-Served-By") for r in answers}
    assert len(served_by) == 3, served_by  # round robin: every node took some
    assert [r.status_code for r in answers[:BOOKING_LIMIT]] == [400] * BOOKING_LIMIT
    assert [int(r.headers["RateLimit-Remaining"]) for r in answers[:BOOKING_LIMIT]] == \
        list(range(BOOKING_LIMIT - 1, -1, -1))
    refused = answers[BOOKING_LIMIT]
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["RateLimit-Limit"] == str(BOOKING_LIMIT)
    # And on every node, not just the one that said it.
    for n in (1, 2, 3):
        again = Api(cluster.node_base(n), user.token).post("/api/v1/bookings", json={})
        assert again.status_code == 429, (n, again.text)


def public_get(cluster, source_ip, forwarded_for):
    """GET /api/v1/events through the balancer from `source_ip` (a loopback alias), claiming to
    be `forwarded_for`."""
    host, port = cluster.base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30, source_address=(source_ip, 0))
    try:
        conn.request("GET", "/api/v1/events", headers={"X-Forwarded-For": forwarded_for})
        r = conn.getresponse()
        r.read()
        return r.status, r.getheader("X-Served-By"), r.getheader("RateLimit-Remaining")
    finally:
        conn.close()


def test_the_public_ip_limit_holds_across_nodes_whatever_x_forwarded_for_says(cluster):
    # A client of its own (127.0.0.7): the other tests' requests come from 127.0.0.1.
    answers = [public_get(cluster, "127.0.0.7", f"203.0.113.{i}, 198.51.100.{i}")
               for i in range(PUBLIC_LIMIT + 1)]
    statuses = [status for status, _, _ in answers]
    assert statuses[:PUBLIC_LIMIT] == [200] * PUBLIC_LIMIT, statuses
    assert statuses[PUBLIC_LIMIT] == 429
    assert len({node for _, node, _ in answers}) == 3
    assert [int(left) for _, _, left in answers[:PUBLIC_LIMIT]] == \
        list(range(PUBLIC_LIMIT - 1, -1, -1))
    # A client talking to a node directly is not the trusted balancer: its header is ignored
    # too (it counts as 127.0.0.1, whose quota the other tests barely used).
    direct = Api(cluster.node_base(2)).get("/api/v1/events",
                                            headers={"X-Forwarded-For": "127.0.0.7"})
    assert direct.status_code == 200


def test_with_redis_stopped_nodes_answer_from_their_own_counters_until_it_is_back(cluster):
    user, _ = register(Api(cluster.base))
    cluster.redis("pause")
    try:
        answers = booking_attempts(user, 2 * BOOKING_LIMIT)
        # Never failed for Redis: each node keeps its own quota of 10 meanwhile.
        assert [r.status_code for r in answers] == [400] * (2 * BOOKING_LIMIT), \
            [(r.status_code, r.text[:80]) for r in answers]
        assert all(cluster.metric(n, "evently_rate_limit_fallbacks_total") > 0 for n in (1, 2, 3))
        assert all(cluster.metric(n, "evently_rate_limit_redis_up") == 0 for n in (1, 2, 3))
        logs = cluster.logs()
        assert logs.count("Redis 127.0.0.1") >= 3  # each node said so ...
        assert all(cluster.read(f"node{n}.log").count("unreachable") == 1 for n in (1, 2, 3))
    finally:
        cluster.redis("resume")

    # Back by itself (one try every EVENTLY_REDIS_RETRY_MS): shared limits again.
    def shared_again():
        for n in (1, 2, 3):
            Api(cluster.node_base(n)).get("/api/v1")
        return all(cluster.metric(n, "evently_rate_limit_redis_up") == 1 for n in (1, 2, 3))
    assert wait_until(shared_again, 10, 0.3)
    fresh, _ = register(Api(cluster.base))
    answers = booking_attempts(fresh, BOOKING_LIMIT + 1)
    assert [r.status_code for r in answers] == [400] * BOOKING_LIMIT + [429]
    assert all("answers again" in cluster.read(f"node{n}.log") for n in (1, 2, 3))


def test_redis_keeps_no_counter_longer_than_its_window(cluster):
    port = cluster.read("redis/port")
    keys = subprocess.run(["redis-cli", "-p", port, "--scan", "--pattern", "evently:rl:*"],
                          capture_output=True, text=True, check=True).stdout.split()
    assert any(k.startswith("evently:rl:booking|user:") for k in keys), keys
    assert any(k.startswith("evently:rl:public|ip:") for k in keys), keys
    ttls = [int(subprocess.run(["redis-cli", "-p", port, "PTTL", k], capture_output=True,
                               text=True, check=True).stdout) for k in keys[:20]]
    assert all(0 < ttl <= 60_000 for ttl in ttls), ttls
