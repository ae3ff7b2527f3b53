"""The API reference: docs/openapi.json against the route table, the error codes and the binary,
and /docs rendered by a real browser."""
import json
import os
import re
import shutil
import subprocess
import tempfile

import pytest
from jsonschema import Draft202012Validator

from support_openapi import METHODS, ROOT, Reference

ROUTES_CPP = os.path.join(ROOT, "src", "http", "routes.cpp")
ERROR_CPP = os.path.join(ROOT, "src", "domain", "error.cpp")
GATEWAY_CPP = os.path.join(ROOT, "src", "realtime", "gateway.cpp")


def route_table():
    """(METHOD, pattern) of every router.Add in routes.cpp, and the WebSocket gateway's path."""
    with open(ROUTES_CPP) as f:
        source = f.read()
    routes = set(re.findall(r'router\.Add\(\s*\{\s*"([A-Z]+)",\s*"([^"]+)"', source))
    routes |= set(re.findall(r'router\.Add\(\s*\{\s*\.method = "([A-Z]+)",\s*'
                             r'\.pattern = "([^"]+)"', source))
    with open(GATEWAY_CPP) as f:
        prefix = re.search(r'kPrefix = "(/[^"]+/)"', f.read()).group(1)
    return routes | {("GET", prefix + "{event_id}")}


def error_codes():
    """API code -> HTTP status, from the one mapping in error.cpp."""
    with open(ERROR_CPP) as f:
        source = f.read()
    return {code: int(status) for code, status in
            re.findall(r'EVENTLY_ERROR\(\s*k\w+,\s*"([A-Z_]+)",\s*(\d+)', source)}


@pytest.fixture(scope="module")
def reference():
    return Reference()


def test_every_route_is_documented_and_nothing_else(reference):
    routes = route_table()
    assert len(routes) > 30
    documented = reference.operations()
    assert sorted(routes - documented) == [], "routes missing from docs/openapi.json"
    assert sorted(documented - routes) == [], "documented operations the server does not have"


def test_error_codes_and_their_statuses_match_the_code(reference):
    codes = error_codes()
    schemas = reference.doc["components"]["schemas"]
    assert schemas["ErrorCode"]["enum"] == list(codes), "ErrorCode enum differs from error.cpp"
    for code, status in codes.items():  # the table of the introduction
        assert f"| `{code}` | {status} |" in reference.doc["info"]["description"], code
    # Every error answer lists only codes whose HTTP status is that answer's status.
    checked = 0
    for path, item in reference.doc["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for status, response in operation["responses"].items():
                response = reference.resolve(response)
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                for part in [schema] + schema.get("allOf", []):
                    code = part.get("properties", {}).get("error", {}).get("properties", {}).get("code")
                    if not code:
                        continue
                    listed = code.get("enum") or [code["const"]]
                    for c in listed:
                        assert codes[c] == int(status), f"{method} {path} {status} lists {c}"
                        checked += 1
    assert checked > 100


def test_document_is_valid_and_its_examples_fit_their_schemas(reference):
    doc = reference.doc
    assert doc["openapi"] == "3.1.0"
    for name, schema in doc["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
    count = 0
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            bodies = [(f"{method} {path} request", operation.get("requestBody", {}))]
            bodies += [(f"{method} {path} {s}", reference.resolve(r))
                       for s, r in operation["responses"].items()]
            for where, holder in bodies:
                for media, content in holder.get("content", {}).items():
                    if "json" not in media or "schema" not in content:
                        continue
                    examples = [content["example"]] if "example" in content else []
                    examples += [e["value"] for e in content.get("examples", {}).values()]
                    validator = Draft202012Validator(content["schema"], resolver=reference.resolver)
                    for example in examples:
                        errors = [e.message for e in validator.iter_errors(example)]
                        assert not errors, f"{where} example: {errors}"
                        count += 1
    assert count > 40


def test_the_binary_serves_this_document(api):
    r = api.get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    with open(os.path.join(ROOT, "docs", "openapi.json"), encoding="utf-8") as f:
        assert r.content == f.read().encode("utf-8")


def test_docs_page_and_renderer_are_served(api):
    page = api.get("/docs")
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert 'spec-url="/api/v1/openapi.json"' in page.text
    script = api.get("/docs/redoc.standalone.js")
    assert script.status_code == 200, "built without tools/docs/node_modules (npm ci)"
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert len(script.content) > 500_000 and b"Redoc" in script.content[:2000]
    assert api.get("/docs/redoc.standalone.js.LICENSE.txt").status_code == 200


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if os.environ.get("CI"):
        pytest.fail("chromium is required in CI (scripts/deps.sh installs it)")
    pytest.skip("chromium is not installed")


def test_docs_render_the_booking_routes_in_a_browser(server):
    browser = chromium()
    with tempfile.TemporaryDirectory(prefix="evently-chromium-") as profile:
        run = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
             "--virtual-time-budget=15000", "--dump-dom", server.base + "/docs"],
            capture_output=True, text=True, timeout=120)
    dom = run.stdout
    assert "<redoc" in dom, run.stderr[-2000:]
    # Rendered by Redoc from the served document, not present in the page's own HTML.
    assert "/api/v1/bookings" in dom, run.stderr[-2000:]
    assert "/api/v1/bookings/{booking_id}/confirm" in dom
    assert "Hold seats" in dom and "Evently API" in dom


def test_the_checker_refuses_what_the_document_does_not_say(reference):
    """support_openapi itself: what it lets through and what it stops."""
    json_type = {"Content-Type": "application/json; charset=utf-8", "X-Request-ID": "r1"}

    def body(data, success=True):
        key = "data" if success else "error"
        extra = ',"message":"alive"' if success else ""
        return (f'{{"success":{str(success).lower()},"{key}":{data}{extra},'
                f'"timestamp":"2024-01-15T10:30:00Z"}}').encode()

    health = body('{"status":"ok"}')
    assert reference.check("GET", "/health", 200, json_type, health) == []
    assert reference.check("HEAD", "/health", 200, json_type, b"") == []
    assert "not documented" in reference.check("GET", "/health", 404, json_type, health)[0]
    assert "X-Request-ID".lower() in reference.check(
        "GET", "/health", 200, {"Content-Type": "application/json"}, health)[0]
    assert "ratelimit-limit" in reference.check(
        "GET", "/health", 200, dict(json_type, **{"RateLimit-Limit": "5"}), health)[0]
    assert "uptime" in " ".join(reference.check(
        "GET", "/health", 200, json_type, body('{"status":"ok","uptime":3}')))
    # Seat maps carry their cache headers; a 304 has no body.
    seats = body('{"event_id":"550e8400-e29b-41d4-a716-446655440001","sections":[],'
                 '"summary":{"total_available":1,"by_tier":{"VIP":1}}}')
    seat_headers = dict(json_type, ETag='"v1"', Vary="Accept-Encoding",
                        **{"Cache-Control": "no-cache"})
    path = "/api/v1/events/550e8400-e29b-41d4-a716-446655440001/seats"
    assert reference.check("GET", path, 200, seat_headers, seats) == []
    assert reference.check("GET", path, 304, seat_headers, b"") == []
    assert "etag" in reference.check("GET", path, 200, json_type, seats)[0]
    # Money has two decimals at most.
    price = body('{"booking_id":"550e8400-e29b-41d4-a716-446655440005","status":"cancelled",'
                 '"refund_status":"processing","refund_amount":%s}')
    delete = "/api/v1/bookings/550e8400-e29b-41d4-a716-446655440005"
    signed_in = dict(json_type, **{"Cache-Control": "no-store"})
    assert reference.check("DELETE", delete, 200, signed_in, price.replace(b"%s", b"10.50")) == []
    assert "multiple of" in reference.check("DELETE", delete, 200, signed_in,
                                            price.replace(b"%s", b"10.505"))[0]
    # A protected operation's answers are never cached.
    assert "cache-control" in reference.check("DELETE", delete, 200, json_type,
                                              price.replace(b"%s", b"10.50"))[0]
    # An unknown route may only be a 404 NOT_FOUND, a known path's other methods a 405.
    assert "not in docs/openapi.json" in reference.check("GET", "/api/v1/nope", 200, json_type,
                                                         health)[0]
    not_found = body('{"code":"NOT_FOUND","message":"No such route","details":{}}', success=False)
    assert reference.check("GET", "/api/v1/nope", 404, json_type, not_found) == []
    assert reference.check("PATCH", "/health", 405, dict(json_type, Allow="GET"),
                           body('{"code":"METHOD_NOT_ALLOWED","message":"x","details":{}}',
                                success=False)) == []
    # The web app's client-side routes answer its shell; reserved first segments never do.
    shell = {"Content-Type": "text/html; charset=utf-8", "X-Request-ID": "r1",
             "Cache-Control": "no-cache", "Content-Security-Policy": "default-src 'self'",
             "ETag": '"0123456789abcdef"'}
    assert reference.check("GET", "/events/abc/seats", 200, shell, b"<!DOCTYPE html>") == []
    assert "not in docs/openapi.json" in reference.check("GET", "/api/v1/x", 200, shell, b"<html>")[0]
    assert "not in docs/openapi.json" in reference.check("POST", "/events/abc", 200, shell, b"")[0]
    wrong_code = body('{"code":"BOOKING_NOT_FOUND","message":"x","details":{}}', success=False)
    assert reference.check("GET", "/api/v1/nope", 404, json_type, wrong_code) != []
