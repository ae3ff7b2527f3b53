"""README.md's walkthrough, run as written with bash against a server loaded with seed-demo."""
import os
import re
import subprocess

import pytest

from conftest import EVENTLY_BIN, Api, Server, fresh_store_url
from support_openapi import ROOT


def walkthrough():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    section = readme.split("## Five minutes with the API", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


@pytest.fixture(scope="module")
def demo(engine, tmp_path_factory):
    srv = Server(fresh_store_url(engine, str(tmp_path_factory.mktemp("readme"))))
    seeded = subprocess.run([EVENTLY_BIN, "seed-demo"], env=srv.env, capture_output=True,
                            text=True, timeout=120)
    assert seeded.returncode == 0, seeded.stderr
    srv.start()
    yield srv
    assert srv.stop() == 0, srv.stderr()


def test_walkthrough_runs_as_written(demo):
    script = walkthrough()
    assert "127.0.0.1:8000" in script and "jq" in script
    script = script.replace("http://127.0.0.1:8000", demo.base)
    script = script.replace("ws://127.0.0.1:8000", demo.base.replace("http://", "ws://"))
    # As on a fresh Debian machine: its python3 (with python3-websocket), curl and jq.
    env = dict(os.environ, PATH="/usr/local/bin:/usr/bin:/bin")
    run = subprocess.run(["bash", "-e", "-u", "-o", "pipefail", "-c", script], capture_output=True,
                         text=True, timeout=120, env=env)
    out = run.stdout
    assert run.returncode == 0, out + run.stderr
    # 2. the spec's tiers of the Summer Music Festival
    assert '"price_tiers":[{"tier":"VIP","price":500.00,"available":100},' in out
    # 4. the live seat map: a snapshot, then the hold's update
    live = [line for line in out.splitlines() if line.startswith("live: ")]
    assert len(live) == 2, out
    assert '"type":"snapshot"' in live[0]
    assert '"type":"seat_update' in live[1]
    # 5. confirmed with the test card
    confirmed = re.search(r'^\{"booking_code":"(EVT\d{13})","status":"confirmed"\}$', out, re.M)
    assert confirmed, out
    # 6. the sandbox user's only booking
    assert out.splitlines()[-1] == f'{{"booking_code":"{confirmed.group(1)}","status":"confirmed"}}'
    # And the server agrees.
    api = Api(demo.base)
    token = api.post("/api/v1/auth/login", json={"email": "test@evently.com",
                                                 "password": "TestPass123!"}).json()["data"]
    mine = api.with_token(token["access_token"]).get("/api/v1/users/bookings").json()["data"]
    assert mine[0]["booking_code"] == confirmed.group(1) and mine[0]["status"] == "confirmed"
    assert [s["section"] for s in mine[0]["seats"]] == ["VIP", "VIP"]
    assert mine[0]["total_amount"] == 1000.0 and len(mine) == 1


def test_sale_day_runs_as_written(demo):
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        section = f.read().split("## Sale day", 1)[1]
    script = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    script = script.replace("http://127.0.0.1:8000", demo.base)
    env = dict(os.environ, PATH="/usr/local/bin:/usr/bin:/bin")
    run = subprocess.run(["bash", "-e", "-u", "-o", "pipefail", "-c", script], capture_output=True,
                         text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines() == ['{"status":"waiting","position":1}',
                                       "QUEUE_ADMISSION_REQUIRED", '{"status":"pending"}',
                                       '{"waiting":0,"admitted":1}'], run.stdout + run.stderr
