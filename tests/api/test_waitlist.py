"""The waitlist over HTTP: joining a sold-out event, positions, leaving, offers of released
seats that only their holder can book, lapsed offers passing on, and in-app notifications."""
import time
import uuid

import pytest

from conftest import Api, Server, assert_error, fresh_store_url, wait_until
from support_realtime import Person, Store, connect, collect_updates, unique_email


@pytest.fixture(scope="module")
def node(engine, tmp_path_factory):
    srv = Server(fresh_store_url(engine, str(tmp_path_factory.mktemp("waitlist"))),
                 extra_env={"EVENTLY_OFFER_SECONDS": "3", "EVENTLY_EXPIRY_INTERVAL_MS": "100"}
                 ).start()
    yield srv
    assert srv.stop() == 0, srv.stderr()


@pytest.fixture
def w(node):
    """A fresh sold-out event: alice holds its four seats in two bookings of two."""
    api = Api(node.base)
    store = Store(node.store_url)
    people = {name: Person(api, store, unique_email(name)) for name in ("alice", "bob", "carol")}
    event = store.create_event()
    s = event["seat_ids"]
    first = people["alice"].hold(event["id"], s[:2])
    second = people["alice"].hold(event["id"], s[2:])
    assert first.status_code == 201 and second.status_code == 201
    return {"api": api, "store": store, "event": event, **people,
            "bookings": [first.json()["data"]["booking"]["id"],
                         second.json()["data"]["booking"]["id"]]}


def test_join_a_sold_out_event(w, node):
    r = w["bob"].join(w["event"]["id"])
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert data["position"] == 1
    assert data["estimated_wait_time"] == "unknown"
    assert data["event"] == {"id": w["event"]["id"], "name": "Live Night"}
    assert data["status"] == "waiting"
    assert data["notification_preferences"] == {"email": True, "sms": False}
    assert r.headers["Location"] == f"/api/v1/waitlist/{data['waitlist_id']}"
    again = w["bob"].join(w["event"]["id"], email=False)
    assert again.status_code == 200
    assert again.json()["data"]["waitlist_id"] == data["waitlist_id"]
    carol = w["carol"].join(w["event"]["id"], email=False, sms=True).json()["data"]
    assert carol["position"] == 2
    assert carol["notification_preferences"] == {"email": False, "sms": True}


def test_join_refusals(w, node):
    api, store = w["api"], w["store"]
    open_event = store.create_event()
    assert_error(w["bob"].join(open_event["id"]), 409, "WAITLIST_NOT_AVAILABLE")
    assert_error(w["bob"].join(str(uuid.uuid4())), 404, "EVENT_NOT_FOUND")
    store.cancel_event(open_event["id"])
    assert_error(w["bob"].join(open_event["id"]), 409, "EVENT_NOT_BOOKABLE")
    assert_error(api.post("/api/v1/waitlist/join", json={"event_id": w["event"]["id"]}), 401,
                 "AUTH_REQUIRED")
    bob = w["bob"].api
    for body, field in (({}, "event_id"), ({"event_id": 7}, "event_id"),
                        ({"event_id": "nope"}, "event_id"),
                        ({"event_id": w["event"]["id"], "notification_preferences": {"sms": "yes"}},
                         "notification_preferences.sms"),
                        ({"event_id": w["event"]["id"], "notification_preferences": []},
                         "notification_preferences"),
                        ({"event_id": w["event"]["id"], "priority": 1}, "priority")):
        error = assert_error(bob.post("/api/v1/waitlist/join", json=body), 400, "VALIDATION_ERROR")
        assert field in [f["field"] for f in error["details"]["fields"]], (body, error)
    r = bob.post("/api/v1/waitlist/join", data="{not json", headers={"Content-Type":
                                                                     "application/json"})
    assert_error(r, 400, "VALIDATION_ERROR")


def test_list_get_and_leave(w, node):
    bob, carol = w["bob"], w["carol"]
    entry = bob.join(w["event"]["id"]).json()["data"]
    carol_entry = carol.join(w["event"]["id"]).json()["data"]
    other = w["store"].create_event()
    for seat in other["seat_ids"]:
        assert w["alice"].hold(other["id"], [seat]).status_code == 201
    bob.join(other["id"])
    page = bob.api.get("/api/v1/waitlist?per_page=1")
    assert page.status_code == 200
    body = page.json()
    assert len(body["data"]) == 1 and body["pagination"]["total"] == 2
    assert body["pagination"]["has_next"] is True
    assert_error(bob.api.get("/api/v1/waitlist?per_page=0"), 400, "VALIDATION_ERROR")
    got = bob.api.get(f"/api/v1/waitlist/{entry['waitlist_id']}")
    assert got.status_code == 200 and got.json()["data"]["position"] == 1
    for who, path in ((carol, entry["waitlist_id"]), (bob, str(uuid.uuid4())), (bob, "nope")):
        assert_error(who.api.get(f"/api/v1/waitlist/{path}"), 404, "WAITLIST_ENTRY_NOT_FOUND")
    # Leaving someone else's entry: as if it did not exist, and it stays.
    assert_error(carol.api.delete(f"/api/v1/waitlist/{entry['waitlist_id']}"), 404,
                 "WAITLIST_ENTRY_NOT_FOUND")
    left = bob.api.delete(f"/api/v1/waitlist/{entry['waitlist_id']}")
    assert left.status_code == 200
    assert left.json()["data"]["status"] == "left" and left.json()["data"]["position"] is None
    moved = carol.api.get(f"/api/v1/waitlist/{carol_entry['waitlist_id']}").json()["data"]
    assert moved["position"] == 1
    assert bob.api.delete(f"/api/v1/waitlist/{entry['waitlist_id']}").status_code == 200


def test_released_seats_are_offered_in_order_and_bookable_only_by_their_holder(w, node):
    alice, bob, carol = w["alice"], w["bob"], w["carol"]
    event = w["event"]
    s = event["seat_ids"]
    bob_entry = bob.join(event["id"]).json()["data"]
    carol_entry = carol.join(event["id"]).json()["data"]
    ws, snapshot = connect(node, event["id"])
    assert snapshot["data"]["available_seats"] == 0
    assert alice.cancel(w["bookings"][0]).status_code == 200
    # Pushed as held: the seats never appear on sale.
    seen = collect_updates(ws, s[:2])
    assert all(u[-1]["status"] == "held" and u[-1]["available_seats"] == 0 for u in seen.values())
    offered = bob.api.get(f"/api/v1/waitlist/{bob_entry['waitlist_id']}").json()["data"]
    assert offered["status"] == "offered"
    assert sorted(offered["offer"]["seat_ids"]) == sorted(s[:2])
    assert offered["offer"]["expires_at"].endswith("Z")
    assert_error(carol.hold(event["id"], [s[0]]), 409, "EVENT_SOLD_OUT")
    held = bob.hold(event["id"], [s[1]])
    assert held.status_code == 201, held.text
    converted = bob.api.get(f"/api/v1/waitlist/{bob_entry['waitlist_id']}").json()["data"]
    assert converted["status"] == "converted"
    carols = carol.api.get(f"/api/v1/waitlist/{carol_entry['waitlist_id']}").json()["data"]
    assert carols["status"] == "offered" and carols["offer"]["seat_ids"] == [s[0]]
    assert bob.confirm(held.json()["data"]["booking"]["id"]).status_code == 200
    ws.close()
    # Everyone was told, in-app (plus email by default).
    kinds = [n["kind"] for n in bob.api.get("/api/v1/users/notifications").json()["data"]]
    assert kinds == ["booking_confirmed", "waitlist_offer"]


def test_a_lapsed_offer_passes_on_then_the_seats_go_back_on_sale(w, node):
    alice, bob, carol = w["alice"], w["bob"], w["carol"]
    event = w["event"]
    bob_entry = bob.join(event["id"]).json()["data"]
    carol_entry = carol.join(event["id"]).json()["data"]
    ws, _ = connect(node, event["id"])
    assert alice.cancel(w["bookings"][1]).status_code == 200
    get = lambda who, e: who.api.get(f"/api/v1/waitlist/{e['waitlist_id']}").json()["data"]
    assert get(bob, bob_entry)["status"] == "offered"
    # The offer window is 3 s here; the lapse job passes it to carol, then to open sale.
    assert wait_until(lambda: get(carol, carol_entry)["status"] == "offered", timeout=8)
    assert get(bob, bob_entry)["status"] == "lapsed"
    assert wait_until(lambda: get(carol, carol_entry)["status"] == "lapsed", timeout=8)
    # Live maps saw them held (offers) and finally back on sale.
    last = {}
    while set(last) != set(event["seat_ids"][2:]) or any(
            u["status"] != "available" for u in last.values()):
        for seat, history in collect_updates(ws, event["seat_ids"][2:3], timeout=5).items():
            last[seat] = history[-1]
    assert last[event["seat_ids"][2]]["available_seats"] == 2
    assert bob.hold(event["id"], event["seat_ids"][2:3]).status_code == 201
    ws.close()
    kinds = [n["kind"] for n in bob.api.get("/api/v1/users/notifications").json()["data"]]
    assert "waitlist_offer_lapsed" in kinds


def test_notifications_list_and_mark_read(w, node):
    alice, bob = w["alice"], w["bob"]
    assert alice.cancel(w["bookings"][0]).status_code == 200
    assert alice.cancel(w["bookings"][1]).status_code == 200
    listing = alice.api.get("/api/v1/users/notifications?per_page=1").json()
    assert listing["pagination"]["total"] == 2
    note = listing["data"][0]
    assert note["kind"] == "booking_cancelled" and note["read"] is False
    assert note["event_id"] == w["event"]["id"]
    assert_error(bob.api.post(f"/api/v1/users/notifications/{note['id']}/read"), 404,
                 "NOTIFICATION_NOT_FOUND")
    assert_error(alice.api.post("/api/v1/users/notifications/nope/read"), 404,
                 "NOTIFICATION_NOT_FOUND")
    read = alice.api.post(f"/api/v1/users/notifications/{note['id']}/read")
    assert read.status_code == 200
    assert read.json()["data"]["read"] is True
    again = alice.api.post(f"/api/v1/users/notifications/{note['id']}/read").json()["data"]
    assert again["read_at"] == read.json()["data"]["read_at"]
    unread = alice.api.get("/api/v1/users/notifications?unread=true").json()
    assert unread["pagination"]["total"] == 1
    assert_error(alice.api.get("/api/v1/users/notifications?unread=maybe"), 400,
                 "VALIDATION_ERROR")
    assert_error(alice.api.get("/api/v1/users/notifications?page=0"), 400, "VALIDATION_ERROR")
    empty = alice.api.get("/api/v1/users/notifications?page=9").json()
    assert empty["data"] == [] and empty["pagination"]["total"] == 2
