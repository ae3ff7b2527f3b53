"""API tests: each module gets a real `evently serve` per engine (SQLite file, PostgreSQL schema)."""
import os
import re
import secrets
import signal
import subprocess
import tempfile
import time
import uuid

import pytest
import requests

import support_openapi

EVENTLY_BIN = os.environ.get("EVENTLY_BIN", "build/asan/src/evently")
PG_URL = os.environ.get("EVENTLY_TEST_PG_URL")
ENGINES = ["sqlite", "postgres"]


def fresh_store_url(engine, tmpdir):
    """A URL for an empty store: a new SQLite file, or a new schema in the test PostgreSQL."""
    if engine == "sqlite":
        return "sqlite:" + os.path.join(tmpdir, f"api_{uuid.uuid4().hex[:8]}.db")
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("EVENTLY_TEST_PG_URL is required in CI")
        pytest.skip("EVENTLY_TEST_PG_URL not set")
    schema = "api_" + secrets.token_hex(6)
    subprocess.run(["psql", PG_URL, "-q", "-c", f"CREATE SCHEMA {schema}"], check=True,
                   capture_output=True)
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


class Server:
    """One `evently serve` process on a free port."""

    def __init__(self, store_url, extra_env=None, args=(), wrapper=()):
        self.store_url = store_url
        self.wrapper = list(wrapper)  # a command that runs the server (unshare, setpriv)
        env = dict(os.environ)
        env.update({
            "EVENTLY_DATABASE_URL": store_url,
            "EVENTLY_PORT": "0",
            "EVENTLY_ACCESS_LOG": "false",
            "EVENTLY_PASSWORD_HASH": "fast",
            "EVENTLY_RATE_LIMITS": "off",
        })
        env.update(extra_env or {})
        self.env = env
        self.args = list(args)
        self.proc = None
        self.port = None
        self.log = tempfile.NamedTemporaryFile(prefix="evently-api-", suffix=".log", delete=False)

    def start(self):
        self.proc = subprocess.Popen([*self.wrapper, EVENTLY_BIN, "serve", *self.args],
                                     env=self.env, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline:
            with open(self.log.name) as f:
                m = re.search(r"listening on http://[^:]+:(\d+)", f.read())
            if m:
                self.port = int(m.group(1))
                support_openapi.watch(self.port)  # every answer is checked against the reference
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("evently exited early:\n" + open(self.log.name).read())
            time.sleep(0.02)
        raise RuntimeError("evently did not start:\n" + open(self.log.name).read())

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        code = self.proc.returncode if self.proc else 0
        return code

    def stderr(self):
        with open(self.log.name) as f:
            return f.read()


class Api:
    """A thin client that remembers the base URL and a bearer token."""

    def __init__(self, base, token=None):
        self.base = base
        self.token = token
        self.session = requests.Session()

    def request(self, method, path, json=None, headers=None, token=None, **kw):
        h = dict(headers or {})
        tok = token if token is not None else self.token
        if tok:
            h["Authorization"] = f"Bearer {tok}"
        return self.session.request(method, self.base + path, json=json, headers=h, timeout=30, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def with_token(self, token):
        return Api(self.base, token)


def wait_until(predicate, timeout=10, interval=0.05):
    """Calls `predicate` every `interval` s until it returns something true, for at most
    `timeout` s: its last answer."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def wait_ready(api, timeout):
    """Whether GET /ready answered 200 within `timeout` seconds."""
    return wait_until(lambda: api.get("/ready").status_code == 200, timeout, 0.2)


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code, body
    assert "message" in body["error"] and "details" in body["error"]
    assert body["timestamp"].endswith("Z")
    return body["error"]


@pytest.fixture(scope="module", params=ENGINES)
def engine(request):
    return request.param


@pytest.fixture(scope="module")
def server(engine, tmp_path_factory):
    srv = Server(fresh_store_url(engine, str(tmp_path_factory.mktemp("store")))).start()
    yield srv
    assert srv.stop() == 0, srv.stderr()


@pytest.fixture
def api(server):
    return Api(server.base)


@pytest.fixture(autouse=True)
def responses_match_the_api_reference():
    """Fails a test whose requests got an answer docs/openapi.json does not describe."""
    yield
    problems = support_openapi.take_problems()
    if problems:
        shown = "\n".join(problems[:30]) + ("\n..." if len(problems) > 30 else "")
        pytest.fail(f"{len(problems)} answers differ from docs/openapi.json:\n{shown}", pytrace=False)
