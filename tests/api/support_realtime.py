"""Helpers for the live seat map, waitlist and notification API tests.

The catalogue and identity APIs live on other branches, so users and events are inserted
straight into the server's store (SQLite file or PostgreSQL schema) and access tokens are
minted here with the server's development secret.
"""
import base64
import hashlib
import hmac
import json
import re
import socket
import sqlite3
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import websocket

DEV_SECRET = b"evently-development-secret-change-me"


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint_token(user_id, role="user"):
    """An access token as the server issues them (HS256, 30 minutes)."""
    now = int(time.time())
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"sub": user_id, "role": role, "iat": now, "exp": now + 1800,
              "jti": str(uuid.uuid4()), "typ": "access"}
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = _b64(hmac.new(DEV_SECRET, signing_input, hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def _literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


class Store:
    """Direct SQL on a server's store, for setting up worlds and reading what was written."""

    def __init__(self, url):
        self.url = url

    def script(self, statements):
        """Runs statements (SQL text with values inlined) in one transaction."""
        if self.url.startswith("sqlite:"):
            db = sqlite3.connect(self.url[len("sqlite:"):], timeout=30)
            try:
                db.executescript("BEGIN;" + ";\n".join(statements) + ";COMMIT;")
            finally:
                db.close()
        else:
            sql = "BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;"
            subprocess.run(["psql", self.url, "-q", "-v", "ON_ERROR_STOP=1"], input=sql,
                           text=True, check=True, capture_output=True)

    def rows(self, sql):
        """Rows of one query, as tuples of strings (None for NULL)."""
        if self.url.startswith("sqlite:"):
            db = sqlite3.connect(self.url[len("sqlite:"):], timeout=30)
            try:
                return [tuple(None if v is None else str(v) for v in row)
                        for row in db.execute(sql).fetchall()]
            finally:
                db.close()
        out = subprocess.run(["psql", self.url, "-At", "-F", "\x1f", "-c", sql], text=True,
                             check=True, capture_output=True).stdout
        return [tuple(None if v == "" else v for v in line.split("\x1f"))
                for line in out.splitlines() if line]

    def create_user(self, email, phone=None, role="user"):
        user_id = str(uuid.uuid4())
        self.script([
            "INSERT INTO users (id, email, password_hash, full_name, phone, role, created_at, "
            f"updated_at) VALUES ({_literal(user_id)}, {_literal(email)}, 'x', 'Test User', "
            f"{_literal(phone)}, {_literal(role)}, 1, 1)"])
        return user_id

    def create_event(self, sections=(("Floor", 1, 4, 2500),), starts_in_hours=48,
                     name="Live Night"):
        """An event with sections (name, rows, seats per row, price in cents); returns
        {"id", "seat_ids"} with seat ids in layout order."""
        event_id, venue_id = str(uuid.uuid4()), str(uuid.uuid4())
        start = int((time.time() + starts_in_hours * 3600) * 1000)
        capacity = sum(rows * per_row for _, rows, per_row, _ in sections)
        statements = [
            f"INSERT INTO venues (id, name, capacity, created_at, updated_at) VALUES "
            f"({_literal(venue_id)}, 'Hall', 100000, 1, 1)",
            f"INSERT INTO events (id, venue_id, name, start_time, end_time, capacity, created_at, "
            f"updated_at) VALUES ({_literal(event_id)}, {_literal(venue_id)}, {_literal(name)}, "
            f"{start}, {start + 3 * 3600 * 1000}, {capacity}, 1, 1)"]
        seat_ids = []
        for position, (section, rows, per_row, price) in enumerate(sections):
            statements.append(
                "INSERT INTO event_sections (event_id, position, name, price, rows_json, "
                f"seats_per_row, seat_count, available) VALUES ({_literal(event_id)}, {position}, "
                f"{_literal(section)}, {price}, '[]', {per_row}, {rows * per_row}, "
                f"{rows * per_row})")
            values = []
            for row in range(rows):
                for number in range(1, per_row + 1):
                    seat = str(uuid.uuid4())
                    seat_ids.append(seat)
                    values.append(f"({_literal(seat)}, {_literal(event_id)}, {position}, {row}, "
                                  f"{_literal(chr(65 + row % 26))}, {number})")
            for i in range(0, len(values), 500):
                statements.append("INSERT INTO seats (id, event_id, section_position, row_position, "
                                  "row_label, seat_number) VALUES " + ",".join(values[i:i + 500]))
        self.script(statements)
        return {"id": event_id, "seat_ids": seat_ids}

    def cancel_event(self, event_id):
        self.script([f"UPDATE events SET cancelled_at = 1 WHERE id = {_literal(event_id)}"])

    def outbox(self, user_id):
        """(kind, channel, recipient, status, attempts, last_error) of the user's deliveries."""
        return self.rows(
            "SELECT n.kind, o.channel, o.recipient, o.status, o.attempts, o.last_error "
            "FROM outbox o JOIN notifications n ON n.id = o.notification_id "
            f"WHERE n.user_id = {_literal(user_id)} ORDER BY o.created_at, o.channel")


class Person:
    """A user of the test world with an access token and an API client."""

    def __init__(self, api, store, email, phone=None, role="user"):
        self.email = email
        self.id = store.create_user(email, phone=phone, role=role)
        self.token = mint_token(self.id, role)
        self.api = api.with_token(self.token)

    def hold(self, event_id, seat_ids):
        return self.api.post("/api/v1/bookings", json={"event_id": event_id, "seat_ids": seat_ids})

    def confirm(self, booking_id):
        return self.api.post(f"/api/v1/bookings/{booking_id}/confirm",
                             json={"payment_method": "credit_card",
                                   "payment_details": {"token": "tok_visa"}})

    def cancel(self, booking_id):
        return self.api.delete(f"/api/v1/bookings/{booking_id}")

    def join(self, event_id, **prefs):
        body = {"event_id": event_id}
        if prefs:
            body["notification_preferences"] = prefs
        return self.api.post("/api/v1/waitlist/join", json=body)


_counter = [0]


def unique_email(prefix):
    _counter[0] += 1
    return f"{prefix}-{_counter[0]}-{uuid.uuid4().hex[:6]}@example.com"


# --- WebSocket helpers ------------------------------------------------------------------------

def ws_url(server, event_id):
    return f"ws://127.0.0.1:{server.port}/ws/events/{event_id}"


def connect(server, event_id, timeout=5):
    """A live seat map client; returns (socket, snapshot)."""
    ws = websocket.create_connection(ws_url(server, event_id), timeout=timeout)
    first = json.loads(ws.recv())
    assert first["type"] == "snapshot", first
    return ws, first


def updates(message):
    """The seat updates of a seat_update / seat_updates message (else [])."""
    if message["type"] == "seat_update":
        return [message["data"]]
    if message["type"] == "seat_updates":
        return list(message["data"])
    return []


def collect_updates(ws, want_seats, timeout=5):
    """Reads until every seat in want_seats had an update; returns {seat_id: [updates]}."""
    seen = {}
    deadline = time.time() + timeout
    while not set(want_seats) <= set(seen):
        ws.settimeout(max(0.05, deadline - time.time()))
        try:
            message = json.loads(ws.recv())
        except websocket.WebSocketTimeoutException:
            raise AssertionError(f"no update for {set(want_seats) - set(seen)}; got {seen}")
        for u in updates(message):
            seen.setdefault(u["seat_id"], []).append(u)
    return seen


def next_message(ws, timeout=5, skip_updates=True):
    """The next message that is not a seat update (unless skip_updates is False)."""
    deadline = time.time() + timeout
    while True:
        ws.settimeout(max(0.05, deadline - time.time()))
        message = json.loads(ws.recv())
        if not (skip_updates and updates(message)):
            return message


def quiet_for(ws, seconds):
    """Messages received within `seconds` (expected to be none)."""
    got = []
    deadline = time.time() + seconds
    while time.time() < deadline:
        ws.settimeout(max(0.05, deadline - time.time()))
        try:
            got.append(json.loads(ws.recv()))
        except websocket.WebSocketTimeoutException:
            break
    return got


def raw_upgrade(server, path, rcvbuf=None):
    """A WebSocket handshake on a bare socket; returns (socket, status line, headers+body)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(10)
    s.connect(("127.0.0.1", server.port))
    key = base64.b64encode(uuid.uuid4().bytes).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    head = data.split(b"\r\n", 1)[0].decode()
    return s, head, data


def metric(api, name):
    m = re.search(rf"^{name} ([0-9.e+]+)$", api.get("/metrics").text, re.M)
    return float(m.group(1)) if m else None


def server_rss_kib(server):
    with open(f"/proc/{server.proc.pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


# --- notification sinks -------------------------------------------------------------------------

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it accepts."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.messages = []
        self._controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                      "data": envelope.content.decode("utf-8", "replace")})
                return "250 Message accepted for delivery"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller:
            self._controller.stop()
            self._controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def to(self, address):
        return [m for m in self.messages if address in m["to"]]


class SilentServer:
    """Accepts TCP connections and never says a word (an SMTP server that hangs)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def stop(self):
        self.sock.close()
        for c in self.accepted:
            c.close()


class WebhookSink:
    """An HTTP server that records JSON POSTs (the SMS gateway)."""

    def __init__(self):
        sink = self
        self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                sink.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/sms"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
