"""kill -9 between a keyed change's commit and its answer: the client got nothing, and its retry
with the same Idempotency-Key after the restart gets the answer that committed with the change,
never a second change (CONTRACT.md, Idempotency; docs/reliability.md)."""
import pytest
import requests

from conftest import Api, Server, fresh_store_url
from support_booking import admin, confirm, hold, register, seat_ids, small_event


def crashing(url, point):
    """A node that dies (as by kill -9) once a `point` change has committed."""
    return Server(url, {"EVENTLY_CRASH_AFTER_COMMIT": point} if point else {}).start()


def died_sending(srv, send):
    with pytest.raises(requests.exceptions.ConnectionError):
        send()
    assert srv.proc.wait(timeout=30) == 137, srv.stderr()


def test_each_keyed_change_is_answered_after_a_crash_exactly_once(engine, tmp_path):
    url = fresh_store_url(engine, str(tmp_path))
    srv = crashing(url, "hold")
    try:
        api = Api(srv.base)
        event, seats = small_event(admin(api, srv), api)
        buyer, _ = register(api)
        token = buyer.token
        hold_key = {"Idempotency-Key": "hold-after-crash"}
        died_sending(srv, lambda: hold(buyer, event["id"], [seats[0], seats[1]], headers=hold_key))

        srv = crashing(url, "confirm")
        buyer = Api(srv.base, token)
        held = hold(buyer, event["id"], [seats[0], seats[1]], headers=hold_key)
        assert held.status_code == 201, held.text
        assert held.headers["Idempotent-Replayed"] == "true"
        booking = held.json()["data"]["booking"]
        assert held.headers["Location"] == f"/api/v1/bookings/{booking['id']}"
        assert sorted(s["seat_id"] for s in booking["seats"]) == sorted(seats[:2])
        assert set(seats[:2]) <= set(seat_ids(buyer, event["id"], status="held"))
        # The same key for another request is still refused: the answer is the hold's.
        other = hold(buyer, event["id"], [seats[2]], headers=hold_key)
        assert other.status_code == 422, other.text
        pay_key = {"Idempotency-Key": "pay-after-crash"}
        died_sending(srv, lambda: confirm(buyer, booking["id"], headers=pay_key))

        srv = crashing(url, "cancel")
        buyer = Api(srv.base, token)
        paid = confirm(buyer, booking["id"], headers=pay_key)
        assert paid.status_code == 200, paid.text
        assert paid.headers["Idempotent-Replayed"] == "true"
        assert paid.json()["data"]["booking"]["status"] == "confirmed"
        again = confirm(buyer, booking["id"], headers=pay_key)
        assert again.content == paid.content
        cancel_key = {"Idempotency-Key": "cancel-after-crash"}
        died_sending(srv, lambda: buyer.delete(f"/api/v1/bookings/{booking['id']}",
                                               headers=cancel_key))

        srv = crashing(url, None)
        buyer = Api(srv.base, token)
        cancelled = buyer.delete(f"/api/v1/bookings/{booking['id']}", headers=cancel_key)
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.headers["Idempotent-Replayed"] == "true"
        mine = buyer.get("/api/v1/users/bookings").json()
        assert mine["pagination"]["total"] == 1  # one hold, whatever the retries
        final = buyer.get(f"/api/v1/bookings/{booking['id']}").json()["data"]
        assert final["status"] == "cancelled"
        assert final["refund_amount"] == booking["total_amount"]  # refunded once, in full
        assert set(seats[:2]) <= set(seat_ids(buyer, event["id"], status="available"))
    finally:
        assert srv.stop() in (0, 137), srv.stderr()
