"""Rate limits with small quotas (both engines): headers, 429, per IP and per user."""
import uuid

import pytest

from conftest import Api, Server, assert_error, fresh_store_url
from support_identity import register

LIMITS = {
    "EVENTLY_RATE_LIMITS": "on",
    "EVENTLY_RATE_LIMIT_PUBLIC": "4",
    "EVENTLY_RATE_LIMIT_AUTHENTICATED": "3",
    "EVENTLY_RATE_LIMIT_ADMIN": "5",
    # The test client is the proxy: each test names its own client in X-Forwarded-For.
    "EVENTLY_TRUSTED_PROXIES": "127.0.0.1",
}


@pytest.fixture(scope="module")
def limited(engine, tmp_path_factory):
    srv = Server(fresh_store_url(engine, str(tmp_path_factory.mktemp("store"))),
                 extra_env=LIMITS).start()
    yield srv
    assert srv.stop() == 0, srv.stderr()


def client_ip():
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def as_client(api, ip):
    api.session.headers["X-Forwarded-For"] = f"{ip}, 127.0.0.1"
    return api


def test_public_routes_count_per_client_and_answer_429_with_retry_after(limited):
    api = as_client(Api(limited.base), client_ip())
    remaining = []
    for _ in range(4):
        r = api.get("/api/v1")
        assert r.status_code == 200
        assert r.headers["RateLimit-Limit"] == "4"
        remaining.append(int(r.headers["RateLimit-Remaining"]))
        assert 0 < int(r.headers["RateLimit-Reset"]) <= 60
    assert remaining == [3, 2, 1, 0]
    r = api.get("/api/v1")
    assert_error(r, 429, "RATE_LIMIT_EXCEEDED")
    assert 1 <= int(r.headers["Retry-After"]) <= 15
    assert r.headers["RateLimit-Remaining"] == "0"
    assert r.headers["RateLimit-Limit"] == "4"
    # Login is public too: refused before any password is checked.
    r = api.post("/api/v1/auth/login", json={"email": "a@b.co", "password": "abcdefg1"})
    assert_error(r, 429, "RATE_LIMIT_EXCEEDED")
    # Another client still has its whole quota.
    other = as_client(Api(limited.base), client_ip())
    assert other.get("/api/v1").headers["RateLimit-Remaining"] == "3"


def test_operations_routes_are_never_limited(limited):
    api = as_client(Api(limited.base), client_ip())
    for _ in range(10):
        r = api.get("/health")
        assert r.status_code == 200
        assert "RateLimit-Limit" not in r.headers
    assert "evently_rate_limit_keys" in api.get("/metrics").text


def test_signed_in_routes_count_per_user(limited):
    api = as_client(Api(limited.base), client_ip())
    ana = register(api)["access_token"]
    bo = register(api)["access_token"]
    for expected in ["2", "1", "0"]:
        r = api.get("/api/v1/users/profile", token=ana)
        assert r.status_code == 200
        assert r.headers["RateLimit-Limit"] == "3"
        assert r.headers["RateLimit-Remaining"] == expected
    r = api.get("/api/v1/users/profile", token=ana)
    assert_error(r, 429, "RATE_LIMIT_EXCEEDED")
    assert "Retry-After" in r.headers
    # Same client address, other user: its own quota.
    assert api.get("/api/v1/users/profile", token=bo).headers["RateLimit-Remaining"] == "2"
    # No token: refused by authentication, whatever the quotas.
    assert_error(api.get("/api/v1/users/profile", token=""), 401, "AUTH_REQUIRED")


def test_forwarded_for_is_ignored_without_a_trusted_proxy(engine, tmp_path):
    env = dict(LIMITS, EVENTLY_TRUSTED_PROXIES="")
    srv = Server(fresh_store_url(engine, str(tmp_path)), extra_env=env).start()
    try:
        statuses = []
        for _ in range(5):
            # A client rotating made-up addresses still draws from its own quota.
            api = as_client(Api(srv.base), client_ip())
            statuses.append(api.get("/api/v1").status_code)
        assert statuses == [200, 200, 200, 200, 429]
    finally:
        assert srv.stop() == 0, srv.stderr()


def test_live_seat_map_connects_draw_from_the_public_quota(limited, engine):
    import websocket

    from support_realtime import Store

    event_id = Store(limited.store_url).create_event()["id"]
    ip = client_ip()
    headers = [f"X-Forwarded-For: {ip}, 127.0.0.1"]
    url = f"ws://127.0.0.1:{limited.port}/ws/events/{event_id}"
    sockets = [websocket.create_connection(url, header=headers, timeout=5) for _ in range(4)]
    try:
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(url, header=headers, timeout=5)
        assert refused.value.status_code == 429
        # Refused as any public request is, and before the event is looked up.
        r = as_client(Api(limited.base), ip).get(f"/ws/events/{uuid.uuid4()}", headers={
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
        assert_error(r, 429, "RATE_LIMIT_EXCEEDED")
        assert 1 <= int(r.headers["Retry-After"]) <= 15
        # The connections already open are not touched; another client still connects.
        for ws in sockets:
            ws.ping()
        other = websocket.create_connection(
            url, header=[f"X-Forwarded-For: {client_ip()}, 127.0.0.1"], timeout=5)
        other.close()
    finally:
        for ws in sockets:
            ws.close()
