"""Confirm at the instant a hold expires, many times: each booking ends confirmed with one live
charge or expired with its charge voided or refunded; never confirmed without a charge, never
charged without a confirmation, and a 200 always means confirmed."""
import threading
import time

from conftest import Api, fresh_store_url
from support_booking import admin, confirm, hold, register, small_event
from support_chaos import CHAOS_ENV, SEAT_CHECKS, node, rng, seed, settled, sql, violations
from support_sale import acceptable

TRIES = 30
THREADS = 3


def test_confirm_at_the_instant_of_expiry(engine, tmp_path, stripe):
    url = fresh_store_url(engine, str(tmp_path))
    srv = node(url, stripe, **{**CHAOS_ENV, "EVENTLY_HOLD_SECONDS": "1",
                               "EVENTLY_EXPIRY_INTERVAL_MS": "20"})
    try:
        api = Api(srv.base)
        event, seats = small_event(admin(api, srv), api, seats_per_row=8)
        assert len(seats) >= TRIES
        outcomes = {}  # booking id -> confirm's status code
        problems = []
        lock = threading.Lock()

        def racer(t):
            r = rng("expiry-edge", engine, t)
            buyer, _ = register(api)
            for seat in seats[t::THREADS][:TRIES // THREADS]:
                held = hold(buyer, event["id"], [seat])
                assert held.status_code == 201, held.text
                booking_id = held.json()["data"]["booking"]["id"]
                # Land the confirmation at the edge: from just before to just after the expiry.
                time.sleep(max(0.0, 1.0 + r.uniform(-0.25, 0.15)))
                paid = confirm(buyer, booking_id)
                with lock:
                    outcomes[booking_id] = paid.status_code
                    if not acceptable(paid) or paid.status_code not in (200, 409, 410, 503):
                        problems.append(f"{booking_id}: {paid.status_code} {paid.text[:200]}")

        threads = [threading.Thread(target=racer, args=(t,), daemon=True) for t in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not any(t.is_alive() for t in threads)
        assert len(outcomes) == TRIES // THREADS * THREADS
        assert problems == []
        assert settled(url, stripe) == []
        stored = {row[0]: row[1] for row in sql(url, "SELECT id, status FROM bookings")}
        wrong = {b: (code, stored[b]) for b, code in outcomes.items()
                 if stored[b] not in ("confirmed", "expired") or (code == 200) !=
                 (stored[b] == "confirmed")}
        confirmed = sum(1 for s in stored.values() if s == "confirmed")
        print(f"seed={seed()} confirmed={confirmed} expired={len(stored) - confirmed}")
        assert wrong == {}
        assert violations(url, SEAT_CHECKS) == []
    finally:
        srv.stop()
