"""EVENTLY_PAYMENTS=stripe against tools/fake_stripe.py (Stripe's API shape, a durable ledger):
authorize on confirm, capture once confirmed, void or refund what lost, and no money kept when a
gateway call times out or the node dies between the charge and its commit (issue 21 item 3)."""
import os
import re
import subprocess
import sys
import threading
import time

import pytest
import requests

from conftest import Api, Server, assert_error, fresh_store_url
from support_booking import admin, confirm, hold, register, small_event

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAKE = os.path.join(ROOT, "tools", "fake_stripe.py")
KEY = "sk_test_evently"


class FakeStripe:
    def __init__(self, ledger):
        self.proc = subprocess.Popen([sys.executable, FAKE, "--port", "0", "--ledger", ledger,
                                      "--key", KEY], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        self.base = re.search(r"(http://\S+)", line).group(1)

    def ledger(self):
        return requests.get(self.base + "/__ledger", timeout=5).json()

    def intent_of(self, booking_id):
        found = [i for i in self.ledger()["intents"] if i["metadata"]["booking_id"] == booking_id]
        return found

    def hang_next_create(self, seconds):
        requests.post(f"{self.base}/__hang?seconds={seconds}", timeout=5)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def eventually(check, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


@pytest.fixture
def stripe(tmp_path):
    fake = FakeStripe(str(tmp_path / "stripe.jsonl"))
    yield fake
    fake.stop()


def node(url, stripe, **extra):
    env = {"EVENTLY_PAYMENTS": "stripe", "EVENTLY_STRIPE_API_BASE": stripe.base,
           "EVENTLY_STRIPE_SECRET_KEY": KEY, "EVENTLY_PAYMENT_TIMEOUT_MS": "1000",
           "EVENTLY_PAYMENT_LEASE_SECONDS": "2", "EVENTLY_RECONCILE_INTERVAL_MS": "100"}
    env.update(extra)
    return Server(url, env).start()


def test_stripe_authorizes_captures_declines_and_refunds(engine, tmp_path, stripe):
    srv = node(fresh_store_url(engine, str(tmp_path)), stripe)
    try:
        api = Api(srv.base)
        event, seats = small_event(admin(api, srv), api)
        buyer, _ = register(api)
        booking = hold(buyer, event["id"], [seats[0]]).json()["data"]["booking"]
        paid = confirm(buyer, booking["id"], {"token": "tok_visa"})
        assert paid.status_code == 200, paid.text
        # Authorized on confirm, captured by the capture job once the booking is confirmed.
        assert eventually(lambda: [i["status"] for i in stripe.intent_of(booking["id"])]
                          == ["succeeded"])
        intent = stripe.intent_of(booking["id"])[0]
        assert intent["amount_received"] == round(booking["total_amount"] * 100)
        assert intent["currency"] == "usd"

        declined = hold(buyer, event["id"], [seats[1]]).json()["data"]["booking"]
        assert_error(confirm(buyer, declined["id"], {"token": "tok_chargeDeclined"}), 402,
                     "PAYMENT_FAILED")
        assert_error(confirm(buyer, declined["id"], {"number": "4242424242424242",
                                                     "exp_month": 12, "exp_year": 2030,
                                                     "cvc": "123"}), 400, "VALIDATION_ERROR")
        assert buyer.get(f"/api/v1/bookings/{declined['id']}").json()["data"]["status"] == "pending"

        assert buyer.delete(f"/api/v1/bookings/{booking['id']}").status_code == 200
        assert eventually(lambda: stripe.intent_of(booking["id"])[0]["amount_refunded"]
                          == intent["amount_received"])
        assert eventually(lambda: buyer.get(f"/api/v1/bookings/{booking['id']}").json()
                          ["data"]["refund_status"] == "completed")
    finally:
        assert srv.stop() == 0, srv.stderr()


def test_a_charge_the_node_never_recorded_is_voided_not_kept(engine, tmp_path, stripe):
    """The gateway answers after the node gave up (timeout), and then the node dies while
    another charge is at the gateway: after the restart both authorizations are voided, the
    bookings stay pending and can be paid again."""
    url = fresh_store_url(engine, str(tmp_path))
    srv = node(url, stripe)
    try:
        api = Api(srv.base)
        event, seats = small_event(admin(api, srv), api)
        buyer, _ = register(api)
        slow = hold(buyer, event["id"], [seats[2]]).json()["data"]["booking"]
        stripe.hang_next_create(2)
        assert_error(confirm(buyer, slow["id"], {"token": "tok_visa"}), 503,
                     "SERVICE_UNAVAILABLE")
        assert eventually(lambda: [i["status"] for i in stripe.intent_of(slow["id"])]
                          == ["canceled"])
        assert buyer.get(f"/api/v1/bookings/{slow['id']}").json()["data"]["status"] == "pending"

        dying = hold(buyer, event["id"], [seats[3]]).json()["data"]["booking"]
        srv.stop()
        srv = node(url, stripe, EVENTLY_PAYMENT_TIMEOUT_MS="8000", EVENTLY_PAYMENT_LEASE_SECONDS="9")
        buyer = Api(srv.base, buyer.token)
        stripe.hang_next_create(1)
        def doomed():
            with pytest.raises(requests.exceptions.ConnectionError):
                confirm(buyer, dying["id"], {"token": "tok_visa"})

        t = threading.Thread(target=doomed)
        t.daemon = True
        t.start()
        time.sleep(0.3)
        srv.proc.kill()  # kill -9 while the charge is at the gateway
        srv.proc.wait()
        assert eventually(lambda: [i["status"] for i in stripe.intent_of(dying["id"])]
                          == ["requires_capture"], timeout=5)
        srv = node(url, stripe)
        buyer = Api(srv.base, buyer.token)
        assert eventually(lambda: [i["status"] for i in stripe.intent_of(dying["id"])]
                          == ["canceled"], timeout=20)
        again = confirm(buyer, dying["id"], {"token": "tok_visa"})
        assert again.status_code == 200, again.text
        # What the gateway holds is what the store says: one live charge, for the paid booking.
        live = [i for i in stripe.ledger()["intents"] if i["status"] != "canceled"]
        assert [i["metadata"]["booking_id"] for i in live] == [dying["id"]]
    finally:
        assert srv.stop() in (0, -9), srv.stderr()
