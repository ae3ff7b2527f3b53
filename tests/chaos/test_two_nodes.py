"""Two nodes on one PostgreSQL, one killed with kill -9 mid-sale: the survivor keeps serving
(its buyers and those of the dead node), and the same invariants hold once it has settled what
the dead node left (stale payment attempts, holds, keys)."""
import time

import pytest

from conftest import Api, fresh_store_url
from support_booking import admin, register, small_event
from support_chaos import CHAOS_ENV, node, rng, stop_all
from support_sale import Sale
from test_kill_mid_sale import check_after_crash

BUYERS = 6


def test_two_nodes_one_killed_mid_sale(engine, tmp_path, stripe):
    if engine != "postgres":
        pytest.skip("several nodes share a store only on PostgreSQL")
    r = rng("two-nodes")
    url = fresh_store_url(engine, str(tmp_path))
    a = b = None
    try:
        a = node(url, stripe, **CHAOS_ENV)
        b = node(url, stripe, **CHAOS_ENV)
        api = Api(a.base)
        event, seats = small_event(admin(api, a), api, seats_per_row=6)
        buyers = [(t.token, uid) for t, uid in (register(api) for _ in range(BUYERS))]
        sale = Sale("two-nodes", [a, b], event["id"], seats, buyers)
        sale.start()
        time.sleep(r.uniform(0.8, 2.0))
        killed_at = time.time()
        a.proc.kill()  # kill -9 one node mid-sale; its buyers move to the survivor
        a.proc.wait()
        time.sleep(2.0)  # the survivor serves everyone for a while
        sale.finish()
        after = [status for index, status, at in sale.served if at > killed_at and index == 1]
        assert after and all(s < 500 for s in after), after
        check_after_crash(sale, url, stripe, b)
    finally:
        stop_all(a, b)
