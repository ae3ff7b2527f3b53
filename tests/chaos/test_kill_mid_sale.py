"""kill -9 mid-sale, then a restart on the same store (issue 21, tests/chaos): every answer the
buyers got is still true, no seat is in two live bookings, keyed retries of lost answers replay or
run once, pending holds still expire, and the gateway's ledger agrees with the store."""
import time

from conftest import Api, fresh_store_url
from support_booking import admin, register, small_event
from support_chaos import CHAOS_ENV, SEAT_CHECKS, node, rng, seed, settled, sql, violations
from support_sale import Sale

BUYERS = 6


def no_pending_left(url, timeout):
    deadline = time.time() + timeout
    while sql(url, "SELECT COUNT(*) FROM bookings WHERE status = 'pending'") != [["0"]]:
        if time.time() > deadline:
            return False
        time.sleep(0.2)
    return True


def check_after_crash(sale, url, stripe, srv):
    results = sale.retry_lost(srv)
    print(f"seed={seed()} {sale.summary()} retried={results}")
    assert sale.bad == []
    assert sale.lost_acknowledgements(url) == []
    assert sale.second_bookings(url) == []
    assert no_pending_left(url, int(CHAOS_ENV["EVENTLY_HOLD_SECONDS"]) + 10), \
        "pending holds did not expire after the crash"
    assert violations(url, SEAT_CHECKS) == []
    problems = settled(url, stripe)
    assert problems == []


def test_kill_9_mid_sale_then_restart(engine, tmp_path, stripe):
    r = rng("kill-mid-sale", engine)
    url = fresh_store_url(engine, str(tmp_path))
    srv = node(url, stripe, **CHAOS_ENV)
    try:
        api = Api(srv.base)
        event, seats = small_event(admin(api, srv), api, seats_per_row=6)
        buyers = [(b.token, uid) for b, uid in (register(api) for _ in range(BUYERS))]
        sale = Sale("kill-mid-sale", [srv], event["id"], seats, buyers)
        sale.start()
        time.sleep(r.uniform(0.8, 2.5))
        srv.proc.kill()  # kill -9 mid-sale
        srv.proc.wait()
        sale.finish()
        srv = node(url, stripe, **CHAOS_ENV)
        check_after_crash(sale, url, stripe, srv)
    finally:
        srv.stop()
