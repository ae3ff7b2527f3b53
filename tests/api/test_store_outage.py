"""The store stopped under a running server: 503 with Retry-After, /ready not ready, nothing
half-written, and full recovery once it is back (PostgreSQL, a cluster of this test's own)."""
import os
import subprocess
import tempfile
import time
import uuid

import pytest

from conftest import Api, Server, assert_error
from support_booking import register

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG = os.path.join(ROOT, "scripts", "pg.sh")


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
        assert_error(ready, 503, "SERVICE_UNAVAILABLE")
        r = api.get("/api/v1/users/bookings")
        assert_error(r, 503, "SERVICE_UNAVAILABLE")
        assert int(r.headers["Retry-After"]) >= 1
        hold = api.post("/api/v1/bookings", json={"event_id": str(uuid.uuid4()),
                                                  "seat_ids": [str(uuid.uuid4())]})
        assert_error(hold, 503, "SERVICE_UNAVAILABLE")

        subprocess.run(["bash", PG, "resume", workdir], check=True, capture_output=True)
        deadline = time.time() + 15
        while time.time() < deadline and api.get("/ready").status_code != 200:
            time.sleep(0.2)
        assert api.get("/ready").status_code == 200
        assert api.get("/api/v1/users/bookings").status_code == 200
        assert_error(api.post("/api/v1/bookings", json={"event_id": str(uuid.uuid4()),
                                                        "seat_ids": [str(uuid.uuid4())]}),
                     404, "EVENT_NOT_FOUND")
    finally:
        assert srv.stop() == 0, srv.stderr()
