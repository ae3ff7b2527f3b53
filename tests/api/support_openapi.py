"""Checks every response the API tests receive against docs/openapi.json.

`watch(port)` marks a server under test; from then on every `requests` call to it (the `Api`
client and direct `requests.get(...)` alike) is checked: the path and method must be an operation
of the document (or one of the answers it documents for unknown routes and methods), the status
must be listed for that operation, its required headers must be present and the API headers
sent must be documented, and a JSON body must validate against the response schema (OpenAPI 3.1
schemas are JSON Schema 2020-12; `$ref`s resolve inside the document). Bodies that are not JSON
and 304s are checked for status and headers only. Problems are collected and fail the test that
caused them (see `take_problems`), so the document cannot drift from the server.
"""
import json
import os
import threading
from decimal import Decimal
from urllib.parse import unquote, urlsplit

import requests
from jsonschema import Draft202012Validator, RefResolver

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCUMENT_PATH = os.path.join(ROOT, "docs", "openapi.json")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Headers whose presence is part of the contract: sent only where the document says so.
API_HEADERS = {"location", "etag", "retry-after", "idempotent-replayed", "ratelimit-limit",
               "ratelimit-remaining", "ratelimit-reset", "www-authenticate", "allow",
               "cache-control", "content-encoding"}


def load_json(text):
    # Decimal keeps 500.00 exact, so `multipleOf: 0.01` checks money without float error.
    return json.loads(text, parse_float=Decimal)


def segments(path):
    return [s for s in path.split("/") if s]


class Reference:
    """docs/openapi.json, ready to check responses."""

    def __init__(self, path=DOCUMENT_PATH):
        with open(path, encoding="utf-8") as f:
            self.doc = load_json(f.read())
        self.resolver = RefResolver.from_schema(self.doc)
        self.templates = [(segments(t), t) for t in self.doc["paths"]]
        # Paths whose last parameter takes the rest of the path (the WebSocket gateway's).
        self.rest = {t for t, item in self.doc["paths"].items() if "x-evently-websocket" in item}
        # The web app's client-side routes: GETs of paths outside these first segments answer
        # as this template's GET does.
        self.app_routes = next(((t, set(item["x-evently-app-routes"]["reserved"]))
                                for t, item in self.doc["paths"].items()
                                if "x-evently-app-routes" in item), None)
        self._validators = {}
        self._lock = threading.Lock()

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self.resolver.resolve(node["$ref"])[1]
        return node

    def operations(self):
        """(METHOD, template) of every documented operation."""
        return {(m.upper(), t) for t, item in self.doc["paths"].items() for m in item if m in METHODS}

    def templates_of(self, path):
        """Documented templates matching a request path, literal ones first (as the router:
        split first, then each segment decoded, so an escaped "/" stays inside its segment)."""
        parts = [unquote(s) for s in segments(path)]
        found = []
        for segs, template in self.templates:
            same_length = len(segs) == len(parts) or (template in self.rest and len(parts) > len(segs))
            if same_length and all(
                    s == p or (s.startswith("{") and s.endswith("}")) for s, p in zip(segs, parts)):
                literals = sum(not s.startswith("{") for s in segs)
                found.append((-literals, template))
        return [t for _, t in sorted(found)]

    def validator(self, key, schema):
        with self._lock:
            v = self._validators.get(key)
            if v is None:
                v = Draft202012Validator(schema, resolver=self.resolver)
                self._validators[key] = v
            return v

    def check(self, method, path, status, headers, body, check_body=True):
        """Problems with one response, as strings (empty when it is what the document says)."""
        method = method.upper()
        templates = self.templates_of(path)
        where = f"{method} {path} -> {status}"
        if method == "OPTIONS" and status == 204 and templates:
            return []  # CORS preflight, documented in info.description
        operation, template = None, None
        for t in templates:
            item = self.doc["paths"][t]
            lookup = "get" if method == "HEAD" else method.lower()
            if lookup in item:
                operation, template = item[lookup], t
                break
        if operation is None and self.app_routes and method in ("GET", "HEAD") and status != 404:
            app, reserved = self.app_routes
            if (segments(unquote(path)) or [""])[0] not in reserved:
                operation, template = self.doc["paths"][app]["get"], app
        if operation is None:
            # Answers the document gives for paths and methods it does not list.
            allowed = {413: "PayloadTooLarge"}
            allowed[405 if templates else 404] = "MethodNotAllowed" if templates else "NotFound"
            if status not in allowed:
                what = "method" if templates else "route"
                return [f"{where}: {what} not in docs/openapi.json (undocumented {what}, "
                        f"or status {status} not documented for unknown {what}s)"]
            response = self.doc["components"]["responses"][allowed[status]]
            key = ("components", allowed[status])
        else:
            responses = operation["responses"]
            code = str(status)
            if code not in responses:
                code = f"{code[0]}XX" if f"{code[0]}XX" in responses else "default"
            if code not in responses:
                return [f"{where}: status {status} is not documented for {method} {template} "
                        f"(documented: {', '.join(sorted(responses))})"]
            response = self.resolve(responses[code])
            key = (template, method, code)
        return self.check_response(where, key, response, status, headers, body,
                                   check_body and method != "HEAD")

    def check_response(self, where, key, response, status, headers, body, check_body):
        problems = []
        documented = {}
        for name, header in response.get("headers", {}).items():
            documented[name.lower()] = self.resolve(header)
        sent = {k.lower(): v for k, v in headers.items()}
        for name, header in documented.items():
            if header.get("required") and name not in sent:
                problems.append(f"{where}: required header {name} is missing")
        for name in sent:
            if name in API_HEADERS and name not in documented:
                problems.append(f"{where}: header {name} is sent but not documented")
        content = response.get("content")
        if status == 304 or not content:
            if body:
                problems.append(f"{where}: a body was sent where the document has none")
            return problems
        media = sent.get("content-type", "").split(";")[0].strip().lower()
        match = [m for m in content if m.split(";")[0].strip().lower() == media]
        if not match:
            return problems + [f"{where}: content type {media!r} is not documented "
                               f"({', '.join(content)})"]
        if not check_body or not (media == "application/json" or media.endswith("+json")):
            return problems
        schema = content[match[0]].get("schema")
        if schema is None:
            return problems
        try:
            instance = load_json(body.decode("utf-8"))
        except ValueError as e:
            return problems + [f"{where}: body is not JSON: {e}"]
        validator = self.validator(key + (match[0],), schema)
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            at = "/".join(str(p) for p in error.absolute_path) or "(body)"
            problems.append(f"{where}: {at}: {error.message}")
        return problems


_reference = None
_watched = set()
_problems = []
_lock = threading.Lock()
_original_send = requests.Session.send


def reference():
    global _reference
    if _reference is None:
        _reference = Reference()
    return _reference


def watch(port):
    """Checks every response of the evently listening on `port` from now on."""
    with _lock:
        _watched.add(int(port))


def take_problems():
    with _lock:
        problems = list(_problems)
        _problems.clear()
    return problems


def _checked_send(session, request, **kwargs):
    response = _original_send(session, request, **kwargs)
    url = urlsplit(request.url)
    if url.hostname in ("127.0.0.1", "localhost") and url.port in _watched:
        streamed = kwargs.get("stream", False)
        body = b"" if streamed else response.content
        found = reference().check(request.method, url.path, response.status_code,
                                  response.headers, body, check_body=not streamed)
        if found:
            with _lock:
                _problems.extend(found)
    return response


requests.Session.send = _checked_send
