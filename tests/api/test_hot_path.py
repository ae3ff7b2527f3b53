"""The HTTP hot path: request ids, metrics, response framing written by hand, cached reads
answered on the I/O thread, and seat map ETags across two servers on one store."""
import re
import socket
import threading

import requests

from conftest import Api, Server, fresh_store_url
from support_booking import admin, create_event, hold, register, small_event

UUID_SHAPE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def exchange(port, raw, read_until_close=False, responses=1):
    """Sends raw bytes and returns what came back (until close, or `responses` complete ones)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(raw)
        data = b""
        while True:
            if not read_until_close and complete_responses(data) >= responses:
                return data
            chunk = s.recv(65536)
            if not chunk:
                return data
            data += chunk


def complete_responses(data):
    count, rest = 0, data
    while b"\r\n\r\n" in rest:
        head, rest = rest.split(b"\r\n\r\n", 1)
        m = re.search(rb"\r\nContent-Length: (\d+)", head)
        length = int(m.group(1)) if m else 0
        if len(rest) < length:
            break
        rest = rest[length:]
        count += 1
    return count


def metric(api, line_prefix):
    for line in api.get("/metrics").text.splitlines():
        if line.startswith(line_prefix + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_generated_request_ids_are_unique_under_concurrency(server):
    seen, lock = [], threading.Lock()

    def client():
        ids = []
        with requests.Session() as s:
            for _ in range(150):
                r = s.get(server.base + "/health")
                assert r.status_code == 200
                ids.append(r.headers["X-Request-ID"])
        with lock:
            seen.extend(ids)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 1200
    assert len(set(seen)) == 1200
    assert all(UUID_SHAPE.match(i) for i in seen), seen[:3]


def test_metrics_count_every_request_by_route_method_and_status(server, api):
    health = 'evently_http_requests_total{route="/health",method="GET",status="200"}'
    events = 'evently_http_requests_total{route="/api/v1/events",method="GET",status="200"}'
    unmatched = 'evently_http_requests_total{route="unmatched",method="GET",status="404"}'
    events_count = 'evently_http_request_duration_seconds_count{route="/api/v1/events"}'
    before = {name: metric(api, name) for name in (health, events, unmatched, events_count)}
    with requests.Session() as s:
        for _ in range(40):
            assert s.get(server.base + "/health").status_code == 200
        for _ in range(25):  # cached after the first: answered on the I/O thread
            assert s.get(server.base + "/api/v1/events?per_page=5").status_code == 200
        for _ in range(7):
            assert s.get(server.base + "/api/v1/no-such-route").status_code == 404
    after = {name: metric(api, name) for name in before}
    assert after[health] - before[health] == 40
    assert after[events] - before[events] == 25
    assert after[unmatched] - before[unmatched] == 7
    assert after[events_count] - before[events_count] == 25


def test_framing_of_hand_written_heads(server):
    port = server.port
    data = exchange(port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    head, body = data.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nContent-Type: application/json; charset=utf-8" in head
    assert f"\r\nContent-Length: {len(body)}".encode() in head
    assert b"Connection:" not in head

    data = exchange(port, b"HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    read_until_close=True)
    head, body = data.split(b"\r\n\r\n", 1)
    assert b"\r\nContent-Length: " in head and body == b""
    assert b"\r\nConnection: close" in head

    data = exchange(port, b"GET /health HTTP/1.0\r\n\r\n", read_until_close=True)
    assert data.startswith(b"HTTP/1.0 200 OK\r\n") and b"Connection:" not in data
    data = exchange(port, b"GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    assert b"\r\nConnection: keep-alive\r\n" in data

    # Pipelined: both answered, in order, on one connection.
    data = exchange(port, b"GET /health HTTP/1.1\r\nX-Request-ID: one\r\n\r\n"
                          b"GET /nope HTTP/1.1\r\nX-Request-ID: two\r\n\r\n", responses=2)
    first, second = data.index(b"X-Request-ID: one"), data.index(b"X-Request-ID: two")
    assert first < second and b"HTTP/1.1 404 Not Found" in data


def test_no_content_length_where_there_is_no_content(engine, tmp_path):
    srv = Server(fresh_store_url(engine, str(tmp_path)),
                 extra_env={"EVENTLY_CORS_ORIGINS": "https://shop.example"}).start()
    try:
        data = exchange(srv.port, b"OPTIONS /api/v1/events HTTP/1.1\r\n"
                                  b"Origin: https://shop.example\r\n"
                                  b"Access-Control-Request-Method: GET\r\n\r\n")
        head = data.split(b"\r\n\r\n", 1)[0]
        assert head.startswith(b"HTTP/1.1 204 No Content")
        assert b"Content-Length" not in head
        assert b"\r\nAccess-Control-Allow-Origin: https://shop.example" in head
        assert b"\r\nX-Request-ID: " in head
        api = Api(srv.base)
        event = create_event(admin(api, srv), [{"name": "GA", "rows": ["A"], "seats_per_row": 2,
                                                "price": 10}])
        path = f"/api/v1/events/{event['id']}/seats"
        etag = api.get(path, headers={"Accept-Encoding": "identity"}).headers["ETag"]
        data = exchange(srv.port, f"GET {path} HTTP/1.1\r\nIf-None-Match: {etag}\r\n"
                                  f"Origin: https://shop.example\r\n\r\n".encode())
        head = data.split(b"\r\n\r\n", 1)[0]
        assert head.startswith(b"HTTP/1.1 304 Not Modified")
        assert b"Content-Length" not in head
        assert f"\r\nETag: {etag}".encode() in head
        assert b"\r\nVary: Accept-Encoding, Origin" in head
    finally:
        srv.stop()


def test_cached_reads_on_the_io_thread_draw_one_quota_unit_each(engine, tmp_path):
    srv = Server(fresh_store_url(engine, str(tmp_path)),
                 extra_env={"EVENTLY_RATE_LIMITS": "on"}).start()
    try:
        remaining, limits = [], []
        for _ in range(4):  # a miss (built on a worker), then hits (answered on the I/O thread)
            r = requests.get(srv.base + "/api/v1/events?per_page=3")
            assert r.status_code == 200
            remaining.append(int(r.headers["RateLimit-Remaining"]))
            limits.append(int(r.headers["RateLimit-Limit"]))
        # The first request (the miss, whose middlewares run again when it resumes) drew one
        # unit from a fresh quota, and each hit one more.
        assert remaining == [limits[0] - 1 - i for i in range(4)]
    finally:
        srv.stop()


def test_a_cached_list_shows_a_new_event_at_once(server, api):
    boss = admin(api, server)
    before = api.get("/api/v1/events?per_page=100&search=fresh-show").json()["data"]
    event = create_event(boss, [{"name": "GA", "rows": ["A"], "seats_per_row": 1, "price": 5}])
    renamed = boss.put(f"/api/v1/admin/events/{event['id']}", json={"name": "fresh-show 1"})
    assert renamed.status_code == 200, renamed.text
    after = api.get("/api/v1/events?per_page=100&search=fresh-show").json()["data"]
    assert [e["id"] for e in after] == [e["id"] for e in before] + [event["id"]]
    assert api.get(f"/api/v1/events/{event['id']}").json()["data"]["name"] == "fresh-show 1"


def test_no_stale_304_after_another_server_sold_a_seat(server, api):
    """Two nodes on one store: an ETag from node A is not confirmed after node B holds a seat."""
    other = Server(server.store_url).start()
    try:
        other_api = Api(other.base)
        event, seats = small_event(admin(api, server), api)
        path = f"/api/v1/events/{event['id']}/seats"
        etag = api.get(path).headers["ETag"]
        assert api.get(path, headers={"If-None-Match": etag}).status_code == 304
        buyer, _ = register(other_api)
        assert hold(buyer, event["id"], seats[:1]).status_code == 201
        r = api.get(path, headers={"If-None-Match": etag})
        assert r.status_code == 200
        assert r.headers["ETag"] != etag
        listed = [seat["id"] for sec in r.json()["data"]["sections"] for row in sec["rows"]
                  for seat in row["seats"]]
        assert seats[0] not in listed and seats[1] in listed  # the default map shows available
    finally:
        other.stop()
