#!/usr/bin/env python3
"""read-storm (BENCH.md): the catalogue's read paths under wrk, each as a ratio to GET /health
measured on the same server in the same run, on SQLite and PostgreSQL.

Run through bench/read_storm.sh (it builds Release first). Seeds its own data through the admin
API: one 10,000-seat and one 50,000-seat event, plus small events so the list has a full page.
Prints a table and a JSON summary (medians over ROUNDS rounds, scenarios interleaved)."""
import base64
import hashlib
import hmac
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import urllib.request
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("EVENTLY_BIN", os.path.join(ROOT, "build/release/src/evently"))
DURATION = os.environ.get("DURATION", "5s")
CONNECTIONS = os.environ.get("CONNECTIONS", "64")
THREADS = os.environ.get("THREADS", "1")
ROUNDS = int(os.environ.get("ROUNDS", "3"))
ENGINES = os.environ.get("ENGINES", "sqlite postgres").split()
SECRET = "evently-development-secret-change-me"


def admin_token():
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    now = int(time.time())
    claims = {"sub": str(uuid.uuid4()), "role": "admin", "iat": now, "exp": now + 1800,
              "jti": str(uuid.uuid4()), "typ": "access"}
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + \
        b64(json.dumps(claims).encode())
    return head + "." + b64(hmac.new(SECRET.encode(), head.encode(), hashlib.sha256).digest())


def call(base, method, path, body=None, token=None, headers=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    with urllib.request.urlopen(req, timeout=60) as resp:
        return resp.status, dict(resp.headers), resp.read()


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def seed(base):
    token = admin_token()
    _, _, raw = call(base, "POST", "/api/v1/admin/venues", token=token, body={
        "name": "Bench Stadium", "city": "Benchville", "capacity": 100000})
    venue_id = json.loads(raw)["data"]["id"]
    start = datetime.now(timezone.utc) + timedelta(days=30)

    def create(name, sections, offset_hours):
        body = {"name": name, "description": "read-storm fixture", "venue_id": venue_id,
                "start_time": iso(start + timedelta(hours=offset_hours)),
                "end_time": iso(start + timedelta(hours=offset_hours + 3)),
                "seat_configuration": {"sections": sections}}
        began = time.perf_counter()
        _, _, raw = call(base, "POST", "/api/v1/admin/events", token=token, body=body)
        return json.loads(raw)["data"]["id"], (time.perf_counter() - began) * 1000

    rows = lambda prefix, n: [f"{prefix}{i}" for i in range(1, n + 1)]  # noqa: E731
    ten_k, ten_k_ms = create("Ten Thousand", [
        {"name": "VIP", "rows": rows("V", 10), "seats_per_row": 50, "price": 300},
        {"name": "Premium", "rows": rows("P", 20), "seats_per_row": 50, "price": 150},
        {"name": "General", "rows": rows("G", 85), "seats_per_row": 100, "price": 60}], 0)
    fifty_k, fifty_k_ms = create("Fifty Thousand", [
        {"name": "VIP", "rows": rows("V", 10), "seats_per_row": 100, "price": 500},
        {"name": "Premium", "rows": rows("P", 40), "seats_per_row": 100, "price": 200},
        {"name": "General", "rows": rows("G", 225), "seats_per_row": 200, "price": 50}], 1)
    for i in range(20):
        create(f"Small show {i}", [{"name": "GA", "rows": ["A"], "seats_per_row": 10,
                                    "price": 20}], 2 + i)
    etags = {}
    for name, event_id in (("10k", ten_k), ("50k", fifty_k)):
        _, headers, _ = call(base, "GET", f"/api/v1/events/{event_id}/seats",
                             headers={"Accept-Encoding": "gzip"})
        etags[name] = headers["ETag"]
    return {"ten_k": ten_k, "fifty_k": fifty_k, "etags": etags,
            "create_ms": {"10k": round(ten_k_ms, 1), "50k": round(fifty_k_ms, 1)}}


def scenarios(fixture):
    gz = {"Accept-Encoding": "gzip"}
    return [
        ("health", "/health", {}),
        ("events_list", "/api/v1/events", {}),
        ("event_detail", f"/api/v1/events/{fixture['fifty_k']}", {}),
        ("seats_10k_gzip", f"/api/v1/events/{fixture['ten_k']}/seats", gz),
        ("seats_10k_304", f"/api/v1/events/{fixture['ten_k']}/seats",
         {**gz, "If-None-Match": fixture["etags"]["10k"]}),
        ("seats_50k_gzip", f"/api/v1/events/{fixture['fifty_k']}/seats", gz),
        ("seats_50k_304", f"/api/v1/events/{fixture['fifty_k']}/seats",
         {**gz, "If-None-Match": fixture["etags"]["50k"]}),
    ]


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(base, path, headers):
    cmd = ["wrk", "-t", THREADS, "-c", CONNECTIONS, "-d", DURATION, "--latency"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd + [base + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "non_2xx_3xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else ""}


class Server:
    def __init__(self, url, log_path):
        env = dict(os.environ, EVENTLY_DATABASE_URL=url, EVENTLY_PORT="0", EVENTLY_HOST="127.0.0.1",
                   EVENTLY_ACCESS_LOG="false", EVENTLY_RATE_LIMITS="off")
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen([BIN, "serve"], env=env, stdout=subprocess.DEVNULL,
                                     stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline:
            m = re.search(r"listening on (http://[\d.]+:\d+)", open(log_path).read())
            if m:
                self.base = m.group(1)
                return
            if self.proc.poll() is not None:
                raise RuntimeError(open(log_path).read())
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)
        self.log.close()


def run_engine(engine, work):
    pgdir = None
    if engine == "sqlite":
        url = "sqlite:" + os.path.join(work, "bench.db")
    else:
        pgdir = tempfile.mkdtemp(prefix="evently-bench-pg.")
        os.chmod(pgdir, 0o755)
        url = subprocess.run([os.path.join(ROOT, "scripts/pg.sh"), "start", pgdir],
                             capture_output=True, text=True, check=True).stdout.strip()
    server = None
    try:
        server = Server(url, os.path.join(work, f"server-{engine}.log"))
        fixture = seed(server.base)
        results = {}
        for _ in range(ROUNDS):
            for name, path, headers in scenarios(fixture):
                results.setdefault(name, []).append(wrk(server.base, path, headers))
        summary = {}
        for name, runs in results.items():
            summary[name] = {
                "rps": round(statistics.median(r["rps"] for r in runs)),
                "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 3),
                "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 3),
                "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in runs),
                "rps_runs": [round(r["rps"]) for r in runs],
            }
        health = summary["health"]["rps"]
        for entry in summary.values():
            entry["ratio_to_health"] = round(entry["rps"] / health, 3) if health else None
        return {"create_event_ms": fixture["create_ms"], "scenarios": summary}
    finally:
        if server:
            server.stop()
        if pgdir:
            subprocess.run([os.path.join(ROOT, "scripts/pg.sh"), "stop", pgdir], check=False)


def main():
    work = tempfile.mkdtemp(prefix="evently-bench.")
    report = {"scenario": "read-storm", "duration": DURATION, "connections": int(CONNECTIONS),
              "wrk_threads": int(THREADS), "rounds": ROUNDS, "engines": {}}
    for engine in ENGINES:
        report["engines"][engine] = run_engine(engine, work)
    print(f"\nread-storm: wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}, median of {ROUNDS} "
          "rounds; ratio = req/s / GET /health req/s in the same run")
    print(f"{'engine':9} {'scenario':16} {'req/s':>9} {'ratio':>7} {'p50 ms':>8} {'p99 ms':>8} {'bad':>5}")
    for engine, result in report["engines"].items():
        for name, s in result["scenarios"].items():
            print(f"{engine:9} {name:16} {s['rps']:>9} {s['ratio_to_health']:>7} "
                  f"{s['p50_ms']:>8} {s['p99_ms']:>8} {s['non_2xx_3xx']:>5}")
        c = result["create_event_ms"]
        print(f"{engine:9} create event via API: 10k seats {c['10k']} ms, 50k seats {c['50k']} ms")
    print(json.dumps(report, indent=2))
    subprocess.run(["rm", "-rf", work], check=False)


if __name__ == "__main__":
    sys.exit(main())
