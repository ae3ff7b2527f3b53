"""The HTTP core: envelope, routing errors, limits, request ids, operations endpoints."""
import http.client
import os
import re
import resource
import socket
import subprocess
import time

import requests

from conftest import EVENTLY_BIN, Server, assert_error, fresh_store_url


def test_health_and_api_root(api):
    r = api.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["success"] is True and body["data"]["status"] == "ok"
    assert body["timestamp"].endswith("Z")
    root = api.get("/api/v1").json()["data"]
    assert root["version"] == "v1"


def test_ready_reports_schema(api):
    data = api.get("/ready").json()["data"]
    assert data["status"] == "ready"
    assert data["schema_version"] == data["expected_schema_version"] >= 1


def test_unknown_route_is_404_envelope(api):
    assert_error(api.get("/api/v1/nope"), 404, "NOT_FOUND")


def test_an_escaped_slash_stays_inside_its_segment(api):
    """The path is split before it is decoded: /api%2fv1%2fevents is one segment (a 404), so a
    proxy rule on /api/v1/admin cannot be walked around with escaped slashes."""
    for path in ("/api%2fv1%2fevents", "/api/v1%2Fevents", "/api/v1/events%2f"):
        assert_error(api.get(path), 404, "NOT_FOUND")
    assert_error(api.post("/api%2Fv1%2Fadmin%2Fvenues", json={}), 404, "NOT_FOUND")
    assert_error(api.post("/api/v1/admin%2fvenues", json={}), 404, "NOT_FOUND")
    assert_error(api.post("/api/v1/admin/venues", json={}), 401, "AUTH_REQUIRED")
    # Other escapes still decode, segment by segment (raw: requests would normalize %65 itself).
    conn = http.client.HTTPConnection("127.0.0.1", int(api.base.rsplit(":", 1)[1]), timeout=10)
    try:
        conn.request("GET", "/api/v1/ev%65nts")
        assert conn.getresponse().status == 200
    finally:
        conn.close()


def test_wrong_method_is_405_with_allow(api):
    r = api.request("PATCH", "/health")
    assert_error(r, 405, "METHOD_NOT_ALLOWED")
    assert "GET" in r.headers["Allow"]


def test_request_id_is_echoed_or_generated(api):
    r = api.get("/health", headers={"X-Request-ID": "trace-abc-123"})
    assert r.headers["X-Request-ID"] == "trace-abc-123"
    generated = api.get("/health").headers["X-Request-ID"]
    assert len(generated) == 36


def test_body_over_limit_is_413(api):
    r = requests.post(api.base + "/api/v1", data=b"x" * (1024 * 1024 + 10),
                      headers={"Content-Type": "application/json"})
    assert_error(r, 413, "PAYLOAD_TOO_LARGE")
    assert len(r.headers["X-Request-ID"]) == 36  # answered before routing, still identified


def read_until_closed(sock):
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_malformed_http_gets_400_and_connection_closed(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(b"GARBAGE\x01 / HTTP/9.9\r\n\r\n")
        data = read_until_closed(s)
    assert data.startswith(b"HTTP/1.1 400")
    assert b"VALIDATION_ERROR" in data
    assert b"\r\nX-Request-ID: " in data


def test_answers_before_a_closing_error_arrive_whole(server):
    """A large answer, then a malformed request, then more bytes the server will not read: both
    answers arrive whole. Closing with input left unread makes the kernel reset the connection
    and drop what it had not sent yet, so the server drains the input before it closes."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"GET /docs/redoc.standalone.js HTTP/1.1\r\nHost: t\r\n\r\n"
                  b"GARBAGE\x01 / HTTP/9.9\r\n\r\n")
        time.sleep(0.5)  # both answered; the server closes while this side has read nothing
        s.sendall(b"x" * 4096)
        time.sleep(0.5)
        data = read_until_closed(s)
    head, _, rest = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    length = int(re.search(rb"\r\nContent-Length: (\d+)", head).group(1))
    assert length > 100_000 and len(rest) > length, f"{len(rest)} of {length} body bytes arrived"
    assert rest[length:].startswith(b"HTTP/1.1 400")
    assert b"VALIDATION_ERROR" in rest[length:]


def test_keep_alive_serves_many_requests_on_one_connection(api):
    with requests.Session() as s:
        for _ in range(20):
            assert s.get(api.base + "/health").status_code == 200


def test_metrics_are_prometheus_text(api):
    api.get("/health")
    r = api.get("/metrics")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    assert 'evently_http_requests_total{route="/health",method="GET",status="200"}' in r.text
    assert "evently_http_request_duration_seconds_bucket" in r.text
    assert "evently_store_pool_in_use" in r.text


def test_metrics_show_sqlite_memory_and_only_on_sqlite(api, engine):
    # bench/soak.sh tells SQLite's page caches filling up from a leak with this gauge.
    m = re.search(r"^evently_store_memory_bytes ([0-9.e+]+)$", api.get("/metrics").text, re.M)
    if engine == "sqlite":
        assert m and float(m.group(1)) > 0
    else:
        assert m is None


def test_second_serve_on_busy_port_fails_clearly(server, tmp_path):
    r = subprocess.run([EVENTLY_BIN, "serve", "--port", str(server.port),
                        "--database-url", "sqlite:" + str(tmp_path / "other.db")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert "cannot listen" in r.stderr


def test_unknown_flag_and_prod_with_dev_secret_refuse_to_start(tmp_path):
    r = subprocess.run([EVENTLY_BIN, "serve", "--no-such-flag", "1"], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 2 and "unknown option" in r.stderr
    r = subprocess.run([EVENTLY_BIN, "serve", "--mode", "prod", "--database-url",
                        "sqlite:" + str(tmp_path / "p.db")], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 2 and "development JWT secret" in r.stderr


def test_out_of_range_settings_and_an_empty_jwt_secret_refuse_to_start(tmp_path):
    """Exit 2 before the store is opened, with a message naming the setting."""
    store = ["--database-url", "sqlite:" + str(tmp_path / "never.db")]
    for args, env, expected in [
        (["--body-limit-bytes", "-1"], {}, "EVENTLY_BODY_LIMIT_BYTES (--body-limit-bytes) must be"),
        (["--port", "70000"], {}, "EVENTLY_PORT (--port) must be 0..65535, got 70000"),
        (["--header-timeout-seconds=0"], {}, "EVENTLY_HEADER_TIMEOUT_SECONDS"),
        ([], {"EVENTLY_DB_POOL_SIZE": "0"}, "EVENTLY_DB_POOL_SIZE (--db-pool-size) must be 1..256"),
        ([], {"EVENTLY_JWT_SECRET": ""}, "the JWT secret is empty"),
        (["--jwt-secret="], {}, "the JWT secret is empty"),
    ]:
        r = subprocess.run([EVENTLY_BIN, "serve", *store, *args], capture_output=True, text=True,
                           timeout=30, env={"PATH": "/usr/bin:/bin", **env})
        assert r.returncode == 2 and expected in r.stderr, (args, env, r.stderr)
    assert not (tmp_path / "never.db").exists()


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def test_out_of_descriptors_the_accept_loop_waits_instead_of_spinning(engine, tmp_path):
    """With its descriptors spent, connections wait in the backlog and accept fails at once each
    time: the server pauses accepting (10 ms doubling to 1 s) instead of retrying at a full core,
    and takes them again by itself once its open connections close."""
    srv = Server(fresh_store_url(engine, str(tmp_path))).start()
    clients = []
    try:
        # UBSan checks an object's type the first time it meets its (type, vtable) pair by reading
        # the vtable through a pipe; with no descriptor left that fails and is reported as a bad
        # vptr. So the paths run while descriptors are out (sessions, request reads ending in EOF,
        # the error category, timers, logging) run once before, with descriptors to spare.
        with requests.Session() as warm:
            assert warm.get(srv.base + "/health", timeout=10).status_code == 200
            assert warm.get(srv.base + "/api/v1/events", timeout=10).status_code == 200
        time.sleep(0.2)
        pid = srv.proc.pid
        limit = len(os.listdir(f"/proc/{pid}/fd")) + 4
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (limit, limit))
        clients = [socket.create_connection(("127.0.0.1", srv.port), timeout=5) for _ in range(16)]
        time.sleep(0.5)
        before = cpu_seconds(pid)
        time.sleep(2)
        used = cpu_seconds(pid) - before
        # Spinning took 0.9 s of CPU in these 2 s (on 2 busy cores), pausing 0.01 s.
        assert used < 0.3, f"{used:.2f} s of CPU in 2 s while out of descriptors"
        for c in clients:
            c.close()
        clients = []
        r = requests.get(srv.base + "/health", timeout=10)
        assert r.status_code == 200
        pauses = re.search(r"^evently_accept_pauses_total (\S+)$",
                           requests.get(srv.base + "/metrics", timeout=10).text, re.M)
        assert pauses and float(pauses.group(1)) > 0
        assert "accept paused: Too many open files" in srv.stderr()
    finally:
        for c in clients:
            c.close()
        assert srv.stop() == 0, srv.stderr()


def test_migrate_twice_is_a_noop(engine, tmp_path):
    url = fresh_store_url(engine, str(tmp_path))
    env = {"EVENTLY_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    first = subprocess.run([EVENTLY_BIN, "migrate"], capture_output=True, text=True, env=env)
    second = subprocess.run([EVENTLY_BIN, "migrate"], capture_output=True, text=True, env=env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "(0 migrations applied" not in first.stderr
    assert "(0 migrations applied" in second.stderr


def test_graceful_shutdown_exits_zero(engine, tmp_path):
    srv = Server(fresh_store_url(engine, str(tmp_path))).start()
    s = requests.Session()
    assert s.get(srv.base + "/health").status_code == 200  # an idle keep-alive connection
    assert srv.stop(timeout=10) == 0
    assert "shutdown complete" in srv.stderr()


def test_cors_preflight_and_headers(engine, tmp_path):
    srv = Server(fresh_store_url(engine, str(tmp_path)),
                 {"EVENTLY_CORS_ORIGINS": "https://app.example.com"}).start()
    try:
        pre = requests.options(srv.base + "/api/v1/bookings", headers={
            "Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"})
        assert pre.status_code == 204
        assert pre.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
        assert "POST" in pre.headers["Access-Control-Allow-Methods"]
        assert "Idempotency-Key" in pre.headers["Access-Control-Allow-Headers"]
        r = requests.get(srv.base + "/health", headers={"Origin": "https://app.example.com"})
        assert r.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
        other = requests.get(srv.base + "/health", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in other.headers
    finally:
        assert srv.stop() == 0


def test_readme_lists_every_setting():
    """The README's configuration table stays true to `evently --help`."""
    import os
    import re
    help_text = subprocess.run([EVENTLY_BIN, "--help"], capture_output=True, text=True).stdout
    settings = set(re.findall(r"EVENTLY_[A-Z_]+", help_text))
    assert len(settings) > 10
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "README.md")) as f:
        readme = f.read()
    missing = sorted(s for s in settings if f"`{s}`" not in readme)
    assert not missing, f"README.md does not document {missing}"
