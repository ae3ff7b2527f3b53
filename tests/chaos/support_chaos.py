"""Seeds, the fake gateway, store reads and the invariants every chaos scenario checks."""
import os
import random
import subprocess
import time

from test_payments_stripe import FakeStripe, eventually, node  # noqa: F401  (re-exported)

DEFAULT_SEED = 2121


def seed():
    return int(os.environ.get("EVENTLY_CHAOS_SEED", DEFAULT_SEED))


def rng(*salt):
    """A random.Random for one scenario (or one thread of it), reproducible from the seed."""
    return random.Random("/".join(str(s) for s in (seed(), *salt)))


# Short timeouts so that every path a crash can leave (pending holds, stale payment attempts,
# uncaptured authorizations, refunds) is settled within the test.
CHAOS_ENV = {"EVENTLY_HOLD_SECONDS": "3", "EVENTLY_EXPIRY_INTERVAL_MS": "100",
             "EVENTLY_PAYMENT_TIMEOUT_MS": "1000", "EVENTLY_PAYMENT_LEASE_SECONDS": "2",
             "EVENTLY_RECONCILE_INTERVAL_MS": "100"}


def sql(url, query):
    """Rows of `query` read straight from the store (sqlite3 or psql), as lists of strings."""
    if url.startswith("sqlite:"):
        cmd = ["sqlite3", "-separator", "\t", url[len("sqlite:"):], query]
    else:
        cmd = ["psql", url, "-X", "-q", "-A", "-t", "-F", "\t", "-c", query]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=30).stdout
    return [line.split("\t") for line in out.splitlines() if line]


# The seat invariants of src/storage/invariants.cpp, over every event of the store.
SEAT_CHECKS = {
    "seat in several live bookings":
        "SELECT bs.seat_id FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id "
        "WHERE b.status IN ('pending', 'confirmed') GROUP BY bs.seat_id HAVING COUNT(*) > 1",
    "seat status disagrees with its booking":
        "SELECT s.id FROM seats s LEFT JOIN bookings b ON b.id = s.booking_id "
        "WHERE NOT ((s.status = 'available' AND s.booking_id IS NULL) "
        "OR (s.status = 'held' AND b.status = 'pending') "
        "OR (s.status = 'booked' AND b.status = 'confirmed'))",
    "live booking lost its seat":
        "SELECT bs.seat_id FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id "
        "JOIN seats s ON s.id = bs.seat_id WHERE b.status IN ('pending', 'confirmed') "
        "AND (s.booking_id IS NULL OR s.booking_id <> b.id)",
    "section availability disagrees with the seats":
        "SELECT es.event_id FROM event_sections es GROUP BY es.event_id "
        "HAVING SUM(es.available) <> (SELECT COUNT(*) FROM seats s WHERE s.event_id = es.event_id "
        "AND s.status = 'available')",
}
MONEY_CHECKS = {
    "confirmed booking not paid exactly once":
        "SELECT b.id FROM bookings b WHERE b.status = 'confirmed' AND "
        "(SELECT COUNT(*) FROM payments p WHERE p.booking_id = b.id AND p.status = 'succeeded' "
        "AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id)) <> "
        "CASE WHEN b.total_amount > 0 THEN 1 ELSE 0 END",
    "money kept for a booking that is not confirmed":
        "SELECT b.id FROM bookings b JOIN payments p ON p.booking_id = b.id "
        "WHERE b.status <> 'confirmed' AND p.status IN ('succeeded', 'refunded') "
        "AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id)",
}


def violations(url, checks):
    found = []
    for what, query in checks.items():
        found += [f"{what}: {row[0]}" for row in sql(url, query)]
    return found


def bookings(url):
    """booking id -> (status, total_amount in cents, user id)"""
    return {r[0]: (r[1], int(r[2]), r[3])
            for r in sql(url, "SELECT id, status, total_amount, user_id FROM bookings")}


def money_disagreements(url, stripe):
    """Where the gateway's ledger and the store disagree: a live charge (authorized, or captured
    and not fully refunded) whose booking is not confirmed, or a confirmed paid booking without
    exactly one live charge. Empty once everything is settled: zero money kept."""
    store = bookings(url)
    live = {}
    for intent in stripe.ledger()["intents"]:
        alive = intent["status"] == "requires_capture" or (
            intent["status"] == "succeeded"
            and intent["amount_refunded"] < intent["amount_received"])
        if alive:
            live.setdefault(intent["metadata"].get("booking_id"), []).append(intent["id"])
    problems = []
    for booking_id, intents in live.items():
        status = store.get(booking_id, ("unknown",))[0]
        if status != "confirmed":
            problems.append(f"live charge {intents} for a {status} booking {booking_id}")
    for booking_id, (status, total, _) in store.items():
        if status == "confirmed" and total > 0 and len(live.get(booking_id, [])) != 1:
            problems.append(f"confirmed booking {booking_id} has live charges "
                            f"{live.get(booking_id, [])}")
    return problems + violations(url, MONEY_CHECKS)


def settled(url, stripe, timeout=30):
    """Waits for the reconciler, capture job and refund worker to settle; the last problems."""
    deadline = time.time() + timeout
    while True:
        problems = money_disagreements(url, stripe)
        if not problems or time.time() > deadline:
            return problems
        time.sleep(0.25)


def stop_all(*servers):
    codes = []
    for srv in servers:
        if srv is not None:
            codes.append(srv.stop())
    return codes
