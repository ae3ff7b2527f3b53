"""Booking endpoints against the real binary, on both engines (CONTRACT.md: Bookings, Idempotency)."""
import re
import socket
import threading
import time
import uuid

import pytest
import requests

from conftest import Server, assert_error, fresh_store_url
from support_booking import (CARD_DECLINED, CARD_OK, admin, confirm, create_event, hold,
                             register, seat_ids, small_event, status_once_not)
from support_tokens import mint_token


@pytest.fixture(scope="module")
def world(server, api_module):
    admin_api = admin(api_module, server)
    return admin_api


@pytest.fixture(scope="module")
def api_module(server):
    from conftest import Api
    return Api(server.base)


def test_hold_answers_201_with_the_spec_body(world, api):
    event, seats = small_event(world, api)
    buyer, buyer_id = register(api)
    r = hold(buyer, event["id"], [seats[0], seats[12]])
    assert r.status_code == 201, r.text
    assert r.headers["Location"].endswith(r.json()["data"]["booking"]["id"])
    data = r.json()["data"]
    b = data["booking"]
    assert re.fullmatch(r"EVT\d{8}\d{5}", b["booking_code"])
    assert b["status"] == "pending"
    assert b["event"]["id"] == event["id"] and b["event"]["name"] == event["name"]
    assert {s["section"] for s in b["seats"]} == {"VIP", "General"}
    assert all(isinstance(s["seat_number"], str) for s in b["seats"])
    assert b["total_amount"] == 349.99
    assert '"total_amount":349.99' in r.text
    assert data["payment_url"] == f"/api/v1/payments/initiate/{b['id']}"
    assert b["expires_at"] > b["created_at"]
    detail = buyer.get(f"/api/v1/bookings/{b['id']}")
    assert detail.status_code == 200 and detail.json()["data"]["id"] == b["id"]
    remaining = seat_ids(api, event["id"], status="available")
    assert seats[0] not in remaining and seats[12] not in remaining


def test_conflicting_hold_is_409_and_all_or_nothing(world, api):
    event, seats = small_event(world, api)
    first, _ = register(api)
    second, _ = register(api)
    assert hold(first, event["id"], [seats[1]]).status_code == 201
    r = hold(second, event["id"], [seats[0], seats[1]])
    err = assert_error(r, 409, "BOOKING_SEATS_UNAVAILABLE")
    assert err["details"]["unavailable_seat_ids"] == [seats[1]]
    assert seats[0] in seat_ids(api, event["id"], status="available")


def test_sold_out_event(world, api):
    event = create_event(world, [{"name": "GA", "rows": ["A"], "seats_per_row": 2, "price": 10}])
    seats = seat_ids(api, event["id"])
    buyer, _ = register(api)
    assert hold(buyer, event["id"], seats).status_code == 201
    other, _ = register(api)
    assert_error(hold(other, event["id"], [seats[0]]), 409, "EVENT_SOLD_OUT")


@pytest.mark.parametrize("case", ["empty", "duplicate", "eleven", "not_uuid", "missing_event",
                                  "bad_event_id", "wrong_type", "unknown_field", "foreign_seat"])
def test_bad_hold_requests_are_400(world, api, case):
    event, seats = small_event(world, api)
    other_event, other_seats = small_event(world, api)
    buyer, _ = register(api)
    bodies = {
        "empty": {"event_id": event["id"], "seat_ids": []},
        "duplicate": {"event_id": event["id"], "seat_ids": [seats[0], seats[0]]},
        "eleven": {"event_id": event["id"], "seat_ids": seats[:11]},
        "not_uuid": {"event_id": event["id"], "seat_ids": ["seat-1"]},
        "missing_event": {"seat_ids": [seats[0]]},
        "bad_event_id": {"event_id": "nope", "seat_ids": [seats[0]]},
        "wrong_type": {"event_id": event["id"], "seat_ids": "all"},
        "unknown_field": {"event_id": event["id"], "seat_ids": [seats[0]], "price": 0},
        "foreign_seat": {"event_id": event["id"], "seat_ids": [other_seats[0]]},
    }
    err = assert_error(buyer.post("/api/v1/bookings", json=bodies[case]), 400, "VALIDATION_ERROR")
    assert err["details"]["fields"]
    assert len(seat_ids(api, event["id"], status="available")) == len(seats)


def test_unknown_event_and_auth(world, api):
    buyer, _ = register(api)
    assert_error(hold(buyer, str(uuid.uuid4()), [str(uuid.uuid4())]), 404, "EVENT_NOT_FOUND")
    r = api.post("/api/v1/bookings", json={"event_id": str(uuid.uuid4()), "seat_ids": []})
    assert_error(r, 401, "AUTH_REQUIRED")
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_confirm_with_card_and_decline(world, api):
    event, seats = small_event(world, api)
    buyer, _ = register(api)
    booking = hold(buyer, event["id"], [seats[2]]).json()["data"]["booking"]
    declined = confirm(buyer, booking["id"], CARD_DECLINED)
    assert_error(declined, 402, "PAYMENT_FAILED")
    assert buyer.get(f"/api/v1/bookings/{booking['id']}").json()["data"]["status"] == "pending"
    ok = confirm(buyer, booking["id"], CARD_OK)
    assert ok.status_code == 200, ok.text
    assert ok.json()["data"]["booking"]["status"] == "confirmed"
    again = confirm(buyer, booking["id"], CARD_OK)
    err = assert_error(again, 409, "BOOKING_NOT_PENDING")
    assert err["details"]["status"] == "confirmed"
    assert seats[2] in seat_ids(api, event["id"], status="booked")


@pytest.mark.parametrize("body", [
    {},
    {"payment_method": "credit_card"},
    {"payment_method": "bitcoin", "payment_details": {"token": "tok_visa"}},
    {"payment_method": "credit_card", "payment_details": {"number": "4242424242424241",
                                                          "exp_month": 12, "exp_year": 2030,
                                                          "cvc": "123"}},
    {"payment_method": "credit_card", "payment_details": {"number": "4242424242424242",
                                                          "exp_month": 13, "exp_year": 2030,
                                                          "cvc": "123"}},
    {"payment_method": "credit_card", "payment_details": {"token": "not_a_token"}},
])
def test_bad_confirm_requests_are_400_and_keep_the_hold(world, api, body):
    event, seats = small_event(world, api)
    buyer, _ = register(api)
    booking = hold(buyer, event["id"], [seats[3]]).json()["data"]["booking"]
    r = buyer.post(f"/api/v1/bookings/{booking['id']}/confirm", json=body)
    assert_error(r, 400, "VALIDATION_ERROR")
    assert buyer.get(f"/api/v1/bookings/{booking['id']}").json()["data"]["status"] == "pending"


def test_other_users_get_404(world, api):
    event, seats = small_event(world, api)
    owner, _ = register(api)
    stranger, _ = register(api)
    booking = hold(owner, event["id"], [seats[4]]).json()["data"]["booking"]
    assert_error(stranger.get(f"/api/v1/bookings/{booking['id']}"), 404, "BOOKING_NOT_FOUND")
    assert_error(confirm(stranger, booking["id"]), 404, "BOOKING_NOT_FOUND")
    assert_error(stranger.delete(f"/api/v1/bookings/{booking['id']}"), 404, "BOOKING_NOT_FOUND")
    assert_error(owner.get("/api/v1/bookings/not-a-uuid"), 404, "BOOKING_NOT_FOUND")
    assert world.get(f"/api/v1/bookings/{booking['id']}").status_code == 200  # admins may look


def test_free_booking_confirms_and_cancels_without_money(world, api):
    event = create_event(world, [{"name": "Community", "rows": ["A"], "seats_per_row": 3,
                                  "price": 0}])
    seats = seat_ids(api, event["id"])
    buyer, _ = register(api)
    booking = hold(buyer, event["id"], seats[:2]).json()["data"]["booking"]
    assert booking["total_amount"] == 0
    ok = confirm(buyer, booking["id"])
    assert ok.status_code == 200, ok.text
    assert ok.json()["data"]["booking"]["status"] == "confirmed"
    assert set(seat_ids(api, event["id"], status="booked")) == set(seats[:2])
    r = buyer.delete(f"/api/v1/bookings/{booking['id']}")
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"booking_id": booking["id"], "status": "cancelled",
                                "refund_status": "not_applicable", "refund_amount": 0.0}
    assert len(seat_ids(api, event["id"], status="available")) == 3


def test_cancel_pending_and_confirmed(world, api):
    event, seats = small_event(world, api)
    buyer, _ = register(api)
    pending = hold(buyer, event["id"], [seats[5]]).json()["data"]["booking"]
    r = buyer.delete(f"/api/v1/bookings/{pending['id']}")
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"booking_id": pending["id"], "status": "cancelled",
                                "refund_status": "not_applicable", "refund_amount": 0.0}
    assert r.json()["message"] == "Booking cancelled successfully"
    assert_error(buyer.delete(f"/api/v1/bookings/{pending['id']}"), 409, "BOOKING_NOT_CANCELLABLE")

    paid = hold(buyer, event["id"], [seats[5], seats[15]]).json()["data"]["booking"]
    assert confirm(buyer, paid["id"]).status_code == 200
    assert buyer.get("/api/v1/users/profile").json()["data"]["stats"]["total_spent"] == 349.99
    r = buyer.delete(f"/api/v1/bookings/{paid['id']}")
    assert r.status_code == 200
    assert r.json()["data"]["refund_status"] == "processing"
    assert r.json()["data"]["refund_amount"] == 349.99
    # The refund counts from the cancellation's commit, while it is still processing.
    assert buyer.get("/api/v1/users/profile").json()["data"]["stats"]["total_spent"] == 0
    deadline = time.time() + 10
    while time.time() < deadline:
        got = buyer.get(f"/api/v1/bookings/{paid['id']}").json()["data"]
        if got["refund_status"] == "completed":
            break
        time.sleep(0.2)
    assert got["refund_status"] == "completed"
    assert {seats[5], seats[15]} <= set(seat_ids(api, event["id"], status="available"))


def test_list_and_payment_intent(world, api):
    event, seats = small_event(world, api)
    buyer, _ = register(api)
    first = hold(buyer, event["id"], [seats[7]]).json()["data"]["booking"]
    second = hold(buyer, event["id"], [seats[8]]).json()["data"]["booking"]
    assert confirm(buyer, second["id"]).status_code == 200
    listing = buyer.get("/api/v1/users/bookings")
    assert listing.status_code == 200
    body = listing.json()
    assert [b["id"] for b in body["data"]] == [second["id"], first["id"]]
    assert body["pagination"]["total"] == 2
    confirmed = buyer.get("/api/v1/users/bookings?status=confirmed").json()
    assert [b["id"] for b in confirmed["data"]] == [second["id"]]
    assert_error(buyer.get("/api/v1/users/bookings?status=bogus"), 400, "VALIDATION_ERROR")
    assert_error(buyer.get("/api/v1/users/bookings?per_page=101"), 400, "VALIDATION_ERROR")
    assert_error(buyer.get("/api/v1/users/bookings?page=0"), 400, "VALIDATION_ERROR")
    past_end = buyer.get("/api/v1/users/bookings?page=9").json()
    assert past_end["data"] == [] and past_end["pagination"]["has_next"] is False
    intent = buyer.get(f"/api/v1/payments/initiate/{first['id']}")
    assert intent.status_code == 200
    assert intent.json()["data"]["status"] == "requires_payment_method"
    assert intent.json()["data"]["amount"] == first["total_amount"]


def test_idempotency_key_replays_and_refuses_mismatch(world, api):
    event, seats = small_event(world, api)
    buyer, _ = register(api)
    key = {"Idempotency-Key": "order-" + uuid.uuid4().hex}
    first = hold(buyer, event["id"], [seats[9]], headers=key)
    again = hold(buyer, event["id"], [seats[9]], headers=key)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Location"] == first.headers["Location"]
    assert_error(hold(buyer, event["id"], [seats[10]], headers=key), 422,
                 "IDEMPOTENCY_KEY_MISMATCH")
    assert_error(hold(buyer, event["id"], [seats[10]], headers={"Idempotency-Key": "k" * 256}),
                 400, "VALIDATION_ERROR")
    # Keys are per user: another user's identical key is a new request.
    other, _ = register(api)
    assert_error(hold(other, event["id"], [seats[9]], headers=key), 409,
                 "BOOKING_SEATS_UNAVAILABLE")
    booking_id = first.json()["data"]["booking"]["id"]
    ckey = {"Idempotency-Key": "confirm-" + uuid.uuid4().hex}
    c1 = confirm(buyer, booking_id, headers=ckey)
    c2 = confirm(buyer, booking_id, headers=ckey)
    assert c1.status_code == 200 and c2.content == c1.content


def test_racing_clients_never_share_a_seat(world, api):
    event, seats = small_event(world, api)
    contested = seats[:5]
    buyers = [register(api)[0] for _ in range(12)]
    won = []
    lock = threading.Lock()

    def storm(buyer, offset):
        for i in range(6):
            pick = [contested[(offset + i) % 5], contested[(offset + i + 2) % 5]]
            r = hold(buyer, event["id"], pick)
            assert r.status_code in (201, 409), r.text
            if r.status_code == 201:
                with lock:
                    won.extend(s["seat_id"] for s in r.json()["data"]["booking"]["seats"])

    threads = [threading.Thread(target=storm, args=(b, i)) for i, b in enumerate(buyers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(won) == sorted(set(won))
    assert set(won) <= set(contested)
    held = set(seat_ids(api, event["id"], status="held"))
    assert held == set(won)


def test_client_disconnecting_mid_request_holds_nothing(world, api, server):
    event, seats = small_event(world, api)
    buyer, _ = register(api)
    body = ('{"event_id":"%s","seat_ids":["%s"]}' % (event["id"], seats[0])).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + b"Authorization: Bearer " + buyer.token.encode() + b"\r\n"
                  + b"Content-Length: " + str(len(body) + 50).encode() + b"\r\n\r\n" + body[:20])
    time.sleep(0.3)
    assert seats[0] in seat_ids(api, event["id"], status="available")


def test_holds_expire_on_their_own(engine, tmp_path):
    srv = Server(fresh_store_url(engine, str(tmp_path)),
                 {"EVENTLY_HOLD_SECONDS": "1", "EVENTLY_EXPIRY_INTERVAL_MS": "100"}).start()
    try:
        from conftest import Api
        api = Api(srv.base)
        admin_api = admin(api, srv)
        event, seats = small_event(admin_api, api)
        buyer, _ = register(api)
        booking = hold(buyer, event["id"], [seats[0], seats[1]]).json()["data"]["booking"]
        assert status_once_not(buyer, booking["id"], "pending", 5) == "expired"
        assert {seats[0], seats[1]} <= set(seat_ids(api, event["id"], status="available"))
        assert_error(confirm(buyer, booking["id"]), 410, "BOOKING_EXPIRED")
    finally:
        assert srv.stop() == 0


def test_two_nodes_on_one_postgres_never_share_a_seat(engine, tmp_path):
    if engine != "postgres":
        pytest.skip("several nodes share a store only on PostgreSQL")
    url = fresh_store_url(engine, str(tmp_path))
    a = Server(url).start()
    b = Server(url).start()
    try:
        from conftest import Api
        api_a, api_b = Api(a.base), Api(b.base)
        admin_api = admin(api_a, a)
        event, seats = small_event(admin_api, api_a)
        contested = seats[:4]
        won = []
        lock = threading.Lock()

        def storm(node_api, seed):
            buyer, _ = register(node_api)
            for i in range(8):
                pick = [contested[(seed + i) % 4]]
                r = hold(buyer, event["id"], pick)
                assert r.status_code in (201, 409), r.text
                if r.status_code == 201:
                    with lock:
                        won.extend(pick)

        threads = [threading.Thread(target=storm, args=(api_a if i % 2 else api_b, i))
                   for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(won) == sorted(contested)
    finally:
        assert a.stop() == 0
        assert b.stop() == 0


def test_a_token_whose_user_is_gone_is_refused_and_sinks_no_other_hold(world, api):
    """A correctly signed token for a user this store does not have (deleted, or a store restored
    from an older backup) is refused like an invalid token on every route that needs a caller,
    and the holds racing it all commit."""
    event, seats = small_event(world, api, seats_per_row=10)
    ghost = api.with_token(mint_token("user"))
    ghost_admin = api.with_token(mint_token("admin"))
    for r in (ghost.get("/api/v1/users/profile"), ghost.get("/api/v1/users/bookings"),
              hold(ghost, event["id"], [seats[0]]), ghost_admin.get("/api/v1/admin/users")):
        assert_error(r, 401, "AUTH_TOKEN_INVALID")
    buyers = [register(api)[0] for _ in range(8)]
    answers = {}

    def send(i):
        who = buyers[i // 2] if i % 2 == 0 else ghost
        answers[i] = hold(who, event["id"], [seats[i]])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, r in answers.items():
        if i % 2 == 0:
            assert r.status_code == 201, r.text
        else:
            assert_error(r, 401, "AUTH_TOKEN_INVALID")
    assert set(seat_ids(api, event["id"], status="held")) == {seats[i] for i in range(0, 16, 2)}
