"""Cluster tests: scripts/cluster.sh starts PostgreSQL, Redis, three `evently serve` nodes and
HAProxy in a throwaway directory; the tests talk to the balancer (and to single nodes when the
test is about one). They reuse the API and chaos tests' helpers (tests/api, tests/chaos on
sys.path; the API conftest's names through tests/api/api_reuse.py, as the chaos tests do)."""
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
API_DIR = os.path.join(ROOT, "tests", "api")
sys.path.insert(0, os.path.join(ROOT, "tests", "chaos"))
sys.path.insert(0, API_DIR)
import api_reuse  # noqa: E402

EVENTLY_BIN = api_reuse.reexport(globals()).EVENTLY_BIN

CLUSTER_SH = os.path.join(ROOT, "scripts", "cluster.sh")
SANITIZER_REPORT = re.compile(r"ERROR: (Address|Leak)Sanitizer|runtime error:")
# A background job's failed round ("job NAME: why", logged as a warning), or anything an error.
JOB_TROUBLE = re.compile(r"^\S+ (warning job |error |critical ).*$", re.M)
# Limits on, through Redis, but too wide to refuse anything: for tests about something else.
WIDE_LIMITS = {"EVENTLY_RATE_LIMIT_PUBLIC": "1000000", "EVENTLY_RATE_LIMIT_BOOKING": "1000000",
               "EVENTLY_RATE_LIMIT_AUTHENTICATED": "1000000",
               "EVENTLY_RATE_LIMIT_ADMIN": "1000000"}


class Cluster:
    """scripts/cluster.sh in its own directory, with extra EVENTLY_* settings for every node."""

    def __init__(self, nodes=3, env=None):
        self.nodes = nodes
        # /tmp itself (not pytest's 0700 tmp_path): PostgreSQL runs as evently-test under root.
        self.dir = tempfile.mkdtemp(prefix="evently-cluster-", dir="/tmp")
        os.chmod(self.dir, 0o755)
        self.asan_dir = tempfile.mkdtemp(prefix="evently-cluster-asan-", dir="/tmp")
        self.env = dict(os.environ)
        self.env.update({
            "EVENTLY_CLUSTER_DIR": self.dir,
            "EVENTLY_BIN": os.path.abspath(EVENTLY_BIN),
            "EVENTLY_PASSWORD_HASH": "fast",
            "EVENTLY_ACCESS_LOG": "false",
            "EVENTLY_RATE_LIMITS": "on",
            "EVENTLY_REDIS_RETRY_MS": "200",
            "EVENTLY_REDIS_TIMEOUT_MS": "200",  # sanitizer builds on a shared machine
        })
        # Sanitizer reports of the nodes (written when they exit) outlive the cluster directory.
        asan = os.environ.get("ASAN_OPTIONS", "")
        self.env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + \
            f"log_path={self.asan_dir}/asan"
        self.env.update(env or {})
        self.base = None
        self.db_url = None

    def start(self):
        r = subprocess.run([CLUSTER_SH, "start", str(self.nodes)], env=self.env,
                           capture_output=True, text=True, timeout=180)
        if r.returncode != 0:
            logs = self.logs()
            self.stop()
            raise RuntimeError(f"cluster.sh start failed:\n{r.stdout}\n{r.stderr}\n{logs}")
        lines = r.stdout.strip().splitlines()
        self.base, self.db_url = lines[-2], lines[-1]
        return self

    def stop(self):
        subprocess.run([CLUSTER_SH, "stop"], env=self.env, capture_output=True, text=True,
                       timeout=120)
        reports = []
        for name in os.listdir(self.asan_dir):
            with open(os.path.join(self.asan_dir, name)) as f:
                text = f.read()
            if SANITIZER_REPORT.search(text):
                reports.append(text[:4000])
        shutil.rmtree(self.asan_dir, ignore_errors=True)
        return reports

    def read(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return f.read().strip()

    def node_base(self, n):
        return f"http://127.0.0.1:{self.read(f'node{n}.port')}"

    def node_pid(self, n):
        return int(self.read(f"node{n}.pid"))

    def kill9(self, n):
        os.kill(self.node_pid(n), 9)

    def redis(self, verb):
        subprocess.run([os.path.join(ROOT, "scripts", "redis.sh"), verb,
                        os.path.join(self.dir, "redis")], check=True, timeout=30)

    def pg(self, verb):
        subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), verb,
                        os.path.join(self.dir, "pg")], check=True, timeout=60,
                       capture_output=True)

    def metric(self, n, name):
        text = requests.get(self.node_base(n) + "/metrics", timeout=10).text
        m = re.search(rf"^{name} ([0-9.e+]+)$", text, re.M)
        return float(m.group(1)) if m else None

    def log_sizes(self):
        """How far each node's log has got, for job_trouble(since=...)."""
        return {n: os.path.getsize(self.node_log(n)) for n in range(1, self.nodes + 1)}

    def node_log(self, n):
        return os.path.join(self.dir, f"node{n}.log")

    def job_trouble(self, since=None):
        """Every node's log lines (after `since`, a log_sizes()) where a background job failed a
        round or something logged an error, as (node, line)."""
        found = []
        for n in range(1, self.nodes + 1):
            with open(self.node_log(n), "rb") as f:
                f.seek((since or {}).get(n, 0))
                text = f.read().decode(errors="replace")
            found.extend((n, m.group(0)) for m in JOB_TROUBLE.finditer(text))
        return found

    def logs(self):
        out = []
        for name in sorted(os.listdir(self.dir)) if os.path.isdir(self.dir) else []:
            if name.endswith(".log"):
                with open(os.path.join(self.dir, name), errors="replace") as f:
                    out.append(f"--- {name}\n" + f.read()[-3000:])
        return "\n".join(out)

    @property
    def admin_env(self):
        """What `evently admin create` needs (support_booking.admin reads `server.env`)."""
        env = dict(self.env)
        env["EVENTLY_DATABASE_URL"] = self.db_url
        return env


class AsServer:
    """A cluster seen as the `Server` the API helpers take (its env and base URL)."""

    def __init__(self, cluster):
        self.env = cluster.admin_env
        self.base = cluster.base


def started(env):
    if shutil.which("haproxy") is None or shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("haproxy and redis-server are required in CI (scripts/deps.sh --test)")
        pytest.skip("haproxy or redis-server not installed")
    return Cluster(3, env).start()


def stopped(cluster):
    reports = cluster.stop()
    assert reports == [], "\n".join(reports)


@contextlib.contextmanager
def running(env):
    """Three nodes with `env` for the block (a module fixture's), then stopped and checked."""
    cluster = started(env)
    try:
        yield cluster
    finally:
        stopped(cluster)


