"""The store stopped and started again under a running sale (PostgreSQL, a cluster of this
test's own): every answer is 2xx, 4xx or 503 with Retry-After, no connection is dropped, the node
recovers without a restart, and nothing is half-written."""
import subprocess
import time

from conftest import Api, Server, wait_ready
from support_booking import admin, register, small_event
from support_chaos import MONEY_CHECKS, SEAT_CHECKS, rng, seed, sql, violations
from support_sale import Sale
from test_store_outage import PG, own_postgres  # noqa: F401  (the fixture)


def test_store_stopped_under_load_answers_503_and_writes_nothing_half(own_postgres):
    workdir, url = own_postgres
    r = rng("outage")
    srv = Server(url, {"EVENTLY_HOLD_SECONDS": "3", "EVENTLY_EXPIRY_INTERVAL_MS": "100"}).start()
    try:
        api = Api(srv.base)
        event, seats = small_event(admin(api, srv), api, seats_per_row=6)
        buyers = [(b.token, uid) for b, uid in (register(api) for _ in range(4))]
        sale = Sale("outage", [srv], event["id"], seats, buyers)
        sale.start()
        time.sleep(r.uniform(0.5, 1.5))
        down_at = time.time()
        subprocess.run(["bash", PG, "pause", workdir], check=True, capture_output=True)
        time.sleep(r.uniform(1.0, 2.0))
        subprocess.run(["bash", PG, "resume", workdir], check=True, capture_output=True)
        up_at = time.time()
        assert wait_ready(api, 15), "not ready 15 s after the store came back"
        ready_at = time.time()
        time.sleep(1.5)  # the sale goes on after the store is back
        sale.finish()
        print(f"seed={seed()} {sale.summary()}")
        assert sale.bad == []
        assert sale.lost == [], "a connection was dropped during the outage"
        during = [s for _, s, at in sale.served if down_at < at < up_at]
        after = [s for _, s, at in sale.served if at > ready_at + 0.5]
        assert 503 in during, during
        assert after and all(s < 500 for s in after), (
            after, ready_at - up_at, [(s, round(at - up_at, 2)) for _, s, at in sale.served][-20:])
        assert sale.lost_acknowledgements(url) == []
        assert sale.second_bookings(url) == []
        assert violations(url, {**SEAT_CHECKS, **MONEY_CHECKS}) == []
        assert sql(url, "SELECT COUNT(*) FROM bookings b WHERE NOT EXISTS "
                        "(SELECT 1 FROM booking_seats bs WHERE bs.booking_id = b.id)") == [["0"]]
    finally:
        assert srv.stop() == 0, srv.stderr()
