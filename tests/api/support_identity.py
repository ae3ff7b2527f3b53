"""Helpers for the identity API tests: accounts, tokens, hand-made JWTs, the CLI."""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import uuid

from conftest import EVENTLY_BIN

DEV_JWT_SECRET = "evently-development-secret-change-me"
PASSWORD = "correct1horse"


def unique_email(prefix="user"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def register(api, email=None, password=PASSWORD, full_name="Test Person", **extra):
    """Registers a new account; returns the response's `data`."""
    body = {"email": email or unique_email(), "password": password, "full_name": full_name}
    body.update(extra)
    r = api.post("/api/v1/auth/register", json=body)
    assert r.status_code == 201, r.text
    return r.json()["data"]


def login(api, email, password=PASSWORD):
    r = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["data"]


def b64url(data):
    if isinstance(data, (dict, list)):
        data = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(claims, secret=DEV_JWT_SECRET, header=None):
    """An HS256 token signed with `secret` (the server's development secret by default)."""
    head = b64url(header or {"alg": "HS256", "typ": "JWT"})
    body = b64url(claims)
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(signature)}"


def decode_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def run_cli(server, *args, env_extra=None):
    """Runs `evently <args>` against the server's store (fast hashing, like the server)."""
    env = {"PATH": "/usr/bin:/bin", "EVENTLY_DATABASE_URL": server.store_url,
           "EVENTLY_PASSWORD_HASH": "fast", "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "")}
    env.update(env_extra or {})
    return subprocess.run([EVENTLY_BIN, *args], capture_output=True, text=True, env=env,
                          timeout=60)


def make_admin(server, api):
    """Creates an admin through the command line and returns its login `data`."""
    email = unique_email("admin")
    r = run_cli(server, "admin", "create", "--email", email, "--password", PASSWORD,
                "--name", "Admin Person")
    assert r.returncode == 0, r.stderr
    return login(api, email)
