#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus (tests/fuzz/corpus/) from docs/openapi.json: one HTTP request
per operation with its example body, and each decoder's example bodies. Run it again when the
API changes; libFuzzer grows its own corpus from these in scripts/fuzz.sh's work directory."""
import json
import os
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")
DEMO_VENUE = "550e8400-e29b-41d4-a716-446655440002"
SOME_ID = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b"

# The decoder each request body goes to in fuzz_decoders (its first byte), by operation.
DECODERS = {
    ("post", "/api/v1/bookings"): 0, ("post", "/api/v1/bookings/{booking_id}/confirm"): 1,
    ("post", "/api/v1/admin/venues"): 2, ("put", "/api/v1/admin/venues/{venue_id}"): 3,
    ("post", "/api/v1/admin/events"): 4, ("put", "/api/v1/admin/events/{event_id}"): 5,
    ("post", "/api/v1/auth/register"): 6, ("post", "/api/v1/auth/login"): 7,
    ("post", "/api/v1/auth/refresh"): 8, ("put", "/api/v1/users/profile"): 9,
    ("put", "/api/v1/admin/users/{user_id}/role"): 10, ("post", "/api/v1/waitlist/join"): 11,
}
WS_MESSAGES = ['{"action":"subscribe","event_id":"@E@"}', '{"action":"unsubscribe","event_id":"@E@"}',
               '{"action":"ping"}']
TARGETS = ["/api/v1/events?page=2&per_page=50&status=upcoming,ongoing&start_date=2026-01-01"
           "&end_date=2027-12-31&search=rock%20festival&venue_id=" + DEMO_VENUE,
           "/api/v1/users/bookings?page=1&per_page=100", "/api/v1/venues?page=%31"]


def examples(content):
    found = [content["example"]] if "example" in content else []
    return found + [e["value"] for e in content.get("examples", {}).values()]


def write(kind, name, data):
    os.makedirs(os.path.join(OUT, kind), exist_ok=True)
    with open(os.path.join(OUT, kind, name), "wb") as f:
        f.write(data)


def request(method, path, body, auth):
    lines = [f"{method.upper()} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if auth:
        lines.append(f"Authorization: Bearer {auth}")
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body.encode())}"]
    head = "\r\n".join(lines) + "\r\n\r\n"
    return (head + (body or "")).encode()


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    with open(os.path.join(ROOT, "docs", "openapi.json"), encoding="utf-8") as f:
        doc = json.load(f)
    n = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "delete", "patch"):
                continue
            target = path.replace("{event_id}", "@EVENT@").replace("{venue_id}", DEMO_VENUE)
            target = re.sub(r"\{[a-z_]+\}", SOME_ID, target)
            auth = None
            if op.get("security") != []:
                auth = "@ADMIN@" if "/admin/" in path else "@USER@"
            content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            bodies = [json.dumps(e, separators=(",", ":")) for e in examples(content)] or [None]
            for i, body in enumerate(bodies):
                n += 1
                slug = re.sub(r"[^a-z0-9]+", "-", f"{method}{path}").strip("-")
                write("http", f"{n:03d}-{slug}-{i}", request(method, target, body, auth))
                if body is not None and (method, path) in DECODERS:
                    write("decoders", f"{slug}-{i}", bytes([DECODERS[(method, path)]]) + body.encode())
    # A keep-alive pair and a WebSocket upgrade.
    write("http", "900-pipelined", request("get", "/health", None, None) +
          request("get", "/api/v1/events/@EVENT@/seats", None, None))
    write("http", "901-websocket", b"GET /ws/events/@EVENT@ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
    # A large answer, then a request that does not parse: the first answer must arrive whole
    # (found by fuzz_http: closing with input unread reset the connection mid-answer).
    write("http", "902-answer-then-garbage", request("get", "/docs/redoc.standalone.js", None, None) +
          b"on:v1/\x91aitlist HTTP/,1\r\nHost: 127.0.0.1\r\n\r\n")
    for i, message in enumerate(WS_MESSAGES):
        write("decoders", f"ws-{i}", bytes([12]) + message.replace("@E@", DEMO_VENUE).encode())
    for i, target in enumerate(TARGETS):
        write("decoders", f"target-{i}", bytes([13]) + target.encode())
    write("jwt", "any", b"\x00eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")
    write("jwt", "edit", b"\x01\x10\x01\x30\x02")
    write("jwt", "issue", b"\x02" + SOME_ID.encode())
    print(f"fuzz corpus: {n} HTTP requests and the decoders' bodies in {OUT}")


if __name__ == "__main__":
    main()
