"""The store stopped or frozen under a running server: 503 with Retry-After within the store
timeout, /ready not ready (and why), nothing half-written, and full recovery once it is back
(PostgreSQL, a cluster of this test's own)."""
import concurrent.futures
import os
import subprocess
import tempfile
import time
import uuid

import pytest

from conftest import Api, Server, assert_error, wait_ready
from support_booking import register

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG = os.path.join(ROOT, "scripts", "pg.sh")


def hold_unknown_seat(api):
    return api.post("/api/v1/bookings", json={"event_id": str(uuid.uuid4()),
                                              "seat_ids": [str(uuid.uuid4())]})


def assert_recovers(api):
    """Ready again within seconds of the store's return, and serving, without a restart."""
    assert wait_ready(api, 15)
    assert api.get("/api/v1/users/bookings").status_code == 200
    assert_error(hold_unknown_seat(api), 404, "EVENT_NOT_FOUND")


@pytest.fixture
def own_postgres():
    workdir = tempfile.mkdtemp(prefix="evently-outage-")
    os.chmod(workdir, 0o755)
    url = subprocess.run(["bash", PG, "start", workdir], check=True, capture_output=True,
                         text=True).stdout.strip()
    yield workdir, url
    subprocess.run(["bash", PG, "stop", workdir], check=False, capture_output=True)


def test_store_outage_gives_503_and_recovers(own_postgres):
    workdir, url = own_postgres
    srv = Server(url).start()
    try:
        api, _ = register(Api(srv.base))
        assert api.get("/ready").status_code == 200
        assert api.get("/api/v1/users/bookings").status_code == 200

        subprocess.run(["bash", PG, "pause", workdir], check=True, capture_output=True)
        assert api.get("/health").status_code == 200  # alive, though not ready
        ready = api.get("/ready")
        assert assert_error(ready, 503, "SERVICE_UNAVAILABLE")["details"]["reason"] == "unreachable"
        r = api.get("/api/v1/users/bookings")
        assert_error(r, 503, "SERVICE_UNAVAILABLE")
        assert int(r.headers["Retry-After"]) >= 1
        assert_error(hold_unknown_seat(api), 503, "SERVICE_UNAVAILABLE")

        subprocess.run(["bash", PG, "resume", workdir], check=True, capture_output=True)
        assert_recovers(api)
    finally:
        assert srv.stop() == 0, srv.stderr()


STORE_TIMEOUT_MS = 1000
# What an ASan build, a loaded CI machine and the HTTP round trip may add to the store timeout.
SLACK_S = 1.5


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


FROZEN_FOR_S = 10


def assert_unavailable_in_time(response, took, bound, what, worst):
    """503 with Retry-After within `bound`; `worst` keeps the longest answer of each `what`."""
    worst[what] = max(worst.get(what, 0.0), took)
    assert took < bound, f"{what} answered after {took:.2f} s"
    assert_error(response, 503, "SERVICE_UNAVAILABLE")
    assert int(response.headers["Retry-After"]) >= 1, what


def test_frozen_store_gives_503_within_the_store_timeout_and_recovers(own_postgres):
    """SIGSTOPped PostgreSQL accepts connections and answers nothing: before the deadlines,
    requests waited for as long as it stayed frozen, and holds of many events queued behind one
    another's stuck batches. For FROZEN_FOR_S seconds, every request is answered 503 with
    Retry-After within the store timeout plus slack, /ready within its second plus slack."""
    workdir, url = own_postgres
    srv = Server(url, extra_env={"EVENTLY_STORE_TIMEOUT_MS": str(STORE_TIMEOUT_MS)}).start()
    bound = STORE_TIMEOUT_MS / 1000 + SLACK_S
    frozen = False
    try:
        api, _ = register(Api(srv.base))
        assert api.get("/ready").status_code == 200
        assert api.get("/api/v1/users/bookings").status_code == 200

        subprocess.run(["bash", PG, "freeze", workdir], check=True, capture_output=True)
        frozen = True
        frozen_at = time.monotonic()
        rounds = 0
        worst = {}  # the longest answer of each kind, printed (pytest -s) for docs/reliability.md
        while time.monotonic() - frozen_at < FROZEN_FOR_S:
            rounds += 1
            r, took = timed(lambda: api.get("/api/v1/users/bookings"))
            assert_unavailable_in_time(r, took, bound, "read", worst)
            r, took = timed(lambda: hold_unknown_seat(api))
            assert_unavailable_in_time(r, took, bound, "hold", worst)
            ready, took = timed(lambda: api.get("/ready"))
            worst["/ready"] = max(worst.get("/ready", 0.0), took)
            assert took < 1 + SLACK_S, f"/ready answered after {took:.2f} s"
            error = assert_error(ready, 503, "SERVICE_UNAVAILABLE")
            assert error["details"]["reason"] == "unreachable"

            # More requests at once than the pool has connections and the store threads take
            # batches: reads waiting for a connection and holds of sixteen events queued behind
            # each other's batches each still give up in time.
            def one(i):
                client = Api(srv.base, api.token)
                if i % 2:
                    return timed(lambda: client.get("/api/v1/users/bookings"))
                return timed(lambda: hold_unknown_seat(client))
            with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
                answers = list(pool.map(one, range(32)))
            for i, (response, took) in enumerate(answers):
                kind = "concurrent read" if i % 2 else "concurrent hold"
                assert_unavailable_in_time(response, took, bound, kind, worst)
            assert api.get("/health").status_code == 200  # alive, though not ready
        assert rounds >= 2
        print(f"frozen {FROZEN_FOR_S} s, {rounds} rounds, worst answers (s):",
              {k: round(v, 2) for k, v in worst.items()})

        subprocess.run(["bash", PG, "thaw", workdir], check=True, capture_output=True)
        frozen = False
        assert_recovers(api)
    finally:
        if frozen:
            subprocess.run(["bash", PG, "thaw", workdir], check=False, capture_output=True)
        assert srv.stop() == 0, srv.stderr()
