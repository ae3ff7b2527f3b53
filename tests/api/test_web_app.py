"""The web app as the binary serves it: the shell, hashed assets, client-side routes, and the
API's own 404s kept apart from them (the browser tests in tests/web drive the app itself)."""
import os
import re

from conftest import assert_error
from support_openapi import ROOT, Reference

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def shell_and_script(api):
    page = api.get("/", headers=HTML)
    assert page.status_code == 200
    script = re.search(r'src="(/assets/[\w.-]+\.js)"', page.text)
    assert script, "built without web/node_modules (npm ci in web/)"
    return page, script.group(1)


def test_shell_is_strict_and_revalidated(api):
    page, _ = shell_and_script(api)
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Cache-Control"] == "no-cache"
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe" not in csp and "frame-ancestors 'none'" in csp
    assert "<script>" not in page.text, "no inline script: the CSP would refuse it"
    again = api.get("/", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_assets_are_immutable_gzipped_and_typed(api):
    _, script = shell_and_script(api)
    r = api.get(script, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert r.headers["Content-Encoding"] == "gzip"
    assert len(r.content) > 10_000
    assert_error(api.get("/assets/nope-00000000.js"), 404, "NOT_FOUND")


def test_client_routes_get_the_shell_and_api_paths_keep_their_404(api):
    page, _ = shell_and_script(api)
    for path in ("/events/550e8400-e29b-41d4-a716-446655440001", "/bookings", "/admin/events/new"):
        r = api.get(path, headers=HTML)
        assert r.status_code == 200 and r.text == page.text, path
    assert api.request("HEAD", "/bookings", headers=HTML).status_code == 200
    # Not a browser opening a page: the 404 envelope, as for any unknown route.
    assert_error(api.get("/bookings"), 404, "NOT_FOUND")
    for path in ("/api/v1/nope", "/api", "/ws/nope", "/docs/nope", "/assets", "/metrics/x"):
        assert_error(api.get(path, headers=HTML), 404, "NOT_FOUND")
    r = api.post("/bookings", headers=HTML)
    assert r.status_code == 404


def test_the_reference_reserves_what_the_server_reserves():
    with open(os.path.join(ROOT, "src", "http", "handlers", "web", "web_handlers.cpp")) as f:
        source = f.read()
    listed = re.search(r"WebAppReservedSegments\(\) \{\s*return \{([^}]*)\}", source).group(1)
    assert set(re.findall(r'"(\w+)"', listed)) == Reference().app_routes[1]
