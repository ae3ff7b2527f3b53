"""A seeded flash sale: buyer threads hold, confirm and cancel (some with an Idempotency-Key)
against one event, keeping every answer they were given, and the checks that a crash lost none."""
import threading
import time
import uuid

import requests

from conftest import Api
from support_booking import confirm, hold
from support_chaos import rng, sql

LEGAL_AFTER = {  # an acknowledged state, and the states the booking may be in later
    "pending": {"pending", "confirmed", "cancelled", "expired"},
    "confirmed": {"confirmed", "cancelled"},
    "cancelled": {"cancelled"},
}


def acceptable(response):
    """Every answer is a success, the client's fault, or 503 with Retry-After: never another 5xx."""
    if response.status_code < 500:
        return True
    return response.status_code == 503 and int(response.headers.get("Retry-After", "0")) >= 1


class Sale:
    def __init__(self, name, nodes, event_id, seats, buyers):
        self.name = name
        self.nodes = nodes  # Server objects; a buyer uses the first live one from its own
        self.event_id = event_id
        self.seats = seats
        self.buyers = buyers  # [(token, user_id)]
        self.lock = threading.Lock()
        self.acked = {}  # booking id -> last acknowledged status
        self.cancel_sent = set()
        self.lost = []  # keyed requests whose answer the client never got
        self.bad = []  # answers that are not 2xx, 4xx or 503 with Retry-After
        self.served = []  # (node index, status, time) of every answer
        self.stop = threading.Event()
        self.threads = []
        self.combinations = len(seats) + len(seats) * (len(seats) - 1) // 2  # sets of 1 or 2

    def node_for(self, i):
        for k in range(len(self.nodes)):
            srv = self.nodes[(i + k) % len(self.nodes)]
            if srv.proc.poll() is None:
                return (i + k) % len(self.nodes), srv
        return None, None

    def ack(self, booking_id, status):
        with self.lock:
            self.acked[booking_id] = status

    def send(self, i, call, kind, key, booking_id=None, seats=None):
        index, srv = self.node_for(i)
        if srv is None:
            return None
        api = Api(srv.base, self.buyers[i][0])
        headers = {"Idempotency-Key": key} if key else {}
        try:
            r = call(api, headers)
        except requests.exceptions.ConnectionError:
            if key:
                with self.lock:
                    self.lost.append({"buyer": i, "call": call, "kind": kind, "key": key,
                                      "booking_id": booking_id, "seats": seats})
            return None
        with self.lock:
            self.served.append((index, r.status_code, time.time()))
            if not acceptable(r):
                self.bad.append(f"{kind}: {r.status_code} {r.text[:200]}")
        return r

    def buyer(self, i):
        r = rng(self.name, "buyer", i)
        tried = set()
        n = 0
        while not self.stop.is_set() and self.node_for(i)[1] is not None:
            n += 1
            seats = frozenset(r.sample(self.seats, r.choice([1, 1, 2])))
            if seats in tried:
                if len(tried) >= self.combinations:
                    time.sleep(0.05)  # every seat set asked once: idle, don't spin
                continue
            tried.add(seats)  # a buyer never asks for the same seats twice: one booking at most
            key = f"hold-{uuid.UUID(int=r.getrandbits(128))}" if r.random() < 0.6 else None
            held = self.send(i, lambda api, h, s=sorted(seats): hold(api, self.event_id, s,
                                                                     headers=h),
                             "hold", key, seats=seats)
            if held is not None and held.status_code == 503:
                tried.discard(seats)  # nothing was written: the same seats may be asked again,
                time.sleep(min(0.5, int(held.headers.get("Retry-After", "1"))))  # after the wait told
                continue
            if held is None or held.status_code != 201:
                continue
            booking_id = held.json()["data"]["booking"]["id"]
            self.ack(booking_id, "pending")
            choice = r.random()
            if choice < 0.55:
                key = f"pay-{uuid.UUID(int=r.getrandbits(128))}" if r.random() < 0.6 else None
                paid = self.send(i, lambda api, h, b=booking_id: confirm(api, b, headers=h),
                                 "confirm", key, booking_id)
                if paid is None or paid.status_code != 200:
                    continue
                self.ack(booking_id, "confirmed")
                if r.random() > 0.2:
                    continue
            elif choice > 0.75:
                continue  # left pending: it must expire on its own, crash or not
            self.cancel(i, r, booking_id)

    def cancel(self, i, r, booking_id):
        key = f"cancel-{uuid.UUID(int=r.getrandbits(128))}" if r.random() < 0.6 else None
        with self.lock:
            self.cancel_sent.add(booking_id)
        done = self.send(i, lambda api, h, b=booking_id: api.delete(f"/api/v1/bookings/{b}",
                                                                     headers=h),
                         "cancel", key, booking_id)
        if done is not None and done.status_code == 200:
            self.ack(booking_id, "cancelled")

    def start(self):
        for i in range(len(self.buyers)):
            t = threading.Thread(target=self.buyer, args=(i,), daemon=True)
            t.start()
            self.threads.append(t)

    def finish(self, timeout=60):
        self.stop.set()
        for t in self.threads:
            t.join(timeout)
        assert not any(t.is_alive() for t in self.threads), "a buyer thread hung"

    def retry_lost(self, srv, timeout=15):
        """Retries every keyed request whose answer was lost, as its client would, on `srv`:
        it replays the committed answer, or runs once; a key left running by the dead node must
        be decided within seconds. Returns the retried answers' statuses."""
        results = []
        for entry in self.lost:
            api = Api(srv.base, self.buyers[entry["buyer"]][0])
            deadline = time.time() + timeout
            while True:
                r = entry["call"](api, {"Idempotency-Key": entry["key"]})
                in_use = r.status_code == 409 and "IDEMPOTENCY_KEY_IN_USE" in r.text
                if not in_use or time.time() > deadline:
                    break
                time.sleep(0.2)
            assert not in_use, f"key {entry['key']} still running {timeout}s after the crash"
            assert acceptable(r), r.text
            results.append((entry["kind"], r.status_code, r.headers.get("Idempotent-Replayed")))
            if r.status_code in (200, 201):
                data = r.json()["data"]
                if entry["kind"] == "hold":
                    self.ack(data["booking"]["id"], "pending")
                elif entry["kind"] == "confirm":
                    self.ack(entry["booking_id"], "confirmed")
                else:
                    self.ack(entry["booking_id"], "cancelled")
        return results

    def lost_acknowledgements(self, url):
        """Acknowledged writes the store does not have (or has in an illegal later state)."""
        stored = {row[0]: row[1] for row in sql(url, "SELECT id, status FROM bookings")}
        problems = []
        for booking_id, status in self.acked.items():
            now = stored.get(booking_id)
            legal = set(LEGAL_AFTER[status])
            if status == "confirmed" and booking_id not in self.cancel_sent:
                legal = {"confirmed"}
            if now not in legal:
                problems.append(f"{booking_id} acknowledged {status}, store has {now}")
        return problems

    def second_bookings(self, url):
        """A buyer asks for one seat set once (plus retries of the same key): two bookings of one
        user for one seat set is a request that ran twice."""
        seats_of = {}
        for booking_id, user_id, seat_id in sql(
                url, "SELECT b.id, b.user_id, bs.seat_id FROM bookings b "
                     "JOIN booking_seats bs ON bs.booking_id = b.id"):
            seats_of.setdefault((booking_id, user_id), set()).add(seat_id)
        count = {}
        for (booking_id, user_id), seats in seats_of.items():
            count.setdefault((user_id, frozenset(seats)), []).append(booking_id)
        return [f"user {u} has {len(b)} bookings for one seat set: {b}"
                for (u, _), b in count.items() if len(b) > 1]

    def summary(self):
        states = {}
        for status in self.acked.values():
            states[status] = states.get(status, 0) + 1
        return f"answers={len(self.served)} acked={states} lost_keyed={len(self.lost)}"
