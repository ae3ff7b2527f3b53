"""Sale start and per-user limits against the real binary, on both engines (CONTRACT.md: On-sale)."""
import datetime
import time

import pytest

from conftest import Api, Server, assert_error, fresh_store_url
from support_booking import (admin, confirm, create_event, hold, iso, register, seat_ids,
                             status_once_not)

SECTIONS = [{"name": "General", "rows": ["A", "B"], "seats_per_row": 5, "price": 20.00}]


@pytest.fixture(scope="module")
def world(server):
    return admin(Api(server.base), server)


def event_with(admin_api, api, **terms):
    event = create_event(admin_api, SECTIONS, **terms)
    return event, seat_ids(api, event["id"])


def soon(seconds):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)


def test_terms_are_optional_and_every_event_body_returns_them(world, api):
    event, _ = event_with(world, api)
    assert event["sale_starts_at"] is None and event["max_tickets_per_user"] is None
    # With no sale start the event is on sale from its creation: its terms are fixed.
    err = assert_error(world.put(f"/api/v1/admin/events/{event['id']}",
                                 json={"max_tickets_per_user": 4}), 400, "VALIDATION_ERROR")
    assert err["details"]["fields"][0]["field"] == "max_tickets_per_user"
    event, _ = event_with(world, api, sale_starts_at=iso(soon(7200)))
    opens = iso(soon(3600))
    changed = world.put(f"/api/v1/admin/events/{event['id']}",
                        json={"sale_starts_at": opens, "max_tickets_per_user": 4})
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["sale_starts_at"] == opens
    assert changed.json()["data"]["max_tickets_per_user"] == 4
    detail = api.get(f"/api/v1/events/{event['id']}").json()["data"]
    assert (detail["sale_starts_at"], detail["max_tickets_per_user"]) == (opens, 4)
    listed = [e for e in api.get("/api/v1/events?per_page=100").json()["data"]
              if e["id"] == event["id"]]
    assert listed and (listed[0]["sale_starts_at"], listed[0]["max_tickets_per_user"]) == (opens, 4)
    cleared = world.put(f"/api/v1/admin/events/{event['id']}",
                        json={"sale_starts_at": None, "max_tickets_per_user": None})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["data"]["sale_starts_at"] is None
    assert cleared.json()["data"]["max_tickets_per_user"] is None


def test_bad_terms_are_validation_errors_naming_the_field(world, api):
    event, _ = event_with(world, api, sale_starts_at=iso(soon(3600)))
    path = f"/api/v1/admin/events/{event['id']}"
    for body, field in [({"max_tickets_per_user": 0}, "max_tickets_per_user"),
                        ({"max_tickets_per_user": 101}, "max_tickets_per_user"),
                        ({"max_tickets_per_user": "4"}, "max_tickets_per_user"),
                        ({"sale_starts_at": "tomorrow"}, "sale_starts_at"),
                        ({"sale_starts_at": iso(soon(86400 * 30))}, "sale_starts_at")]:
        err = assert_error(world.put(path, json=body), 400, "VALIDATION_ERROR")
        assert field in [f["field"] for f in err["details"]["fields"]], (body, err)
    venue = world.get(f"/api/v1/events/{event['id']}").json()["data"]["venue"]["id"]
    body = {"name": "Late sale", "venue_id": venue, "start_time": iso(soon(3600)),
            "end_time": iso(soon(7200)), "seat_configuration": {"sections": SECTIONS}}
    for terms, field in [({"sale_starts_at": iso(soon(3601))}, "sale_starts_at"),
                         ({"max_tickets_per_user": 200}, "max_tickets_per_user")]:
        err = assert_error(world.post("/api/v1/admin/events", json={**body, **terms}), 400,
                           "VALIDATION_ERROR")
        assert [f["field"] for f in err["details"]["fields"]] == [field], err
    assert not [e for e in world.get("/api/v1/events?per_page=100").json()["data"]
                if e["name"] == "Late sale"]


def test_no_hold_before_the_sale_starts_and_no_change_after(world, api):
    opens = soon(3)
    event, seats = event_with(world, api, sale_starts_at=iso(opens))
    buyer, _ = register(api)
    err = assert_error(hold(buyer, event["id"], [seats[0]]), 409, "EVENT_NOT_ON_SALE")
    assert err["details"]["sale_starts_at"] == event["sale_starts_at"]
    assert api.get(f"/api/v1/events/{event['id']}").status_code == 200
    assert seats[0] in seat_ids(api, event["id"], status="available")
    time.sleep(max(0.0, (opens - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1.1)
    assert hold(buyer, event["id"], [seats[0]]).status_code == 201
    path = f"/api/v1/admin/events/{event['id']}"
    for body in [{"sale_starts_at": iso(soon(3600))}, {"max_tickets_per_user": 2}]:
        err = assert_error(world.put(path, json=body), 400, "VALIDATION_ERROR")
        assert err["details"]["fields"][0]["field"] == next(iter(body))
    same = world.put(path, json={"sale_starts_at": event["sale_starts_at"], "name": "Renamed"})
    assert same.status_code == 200, same.text


def test_the_limit_counts_pending_and_confirmed_not_cancelled(world, api):
    event, seats = event_with(world, api, max_tickets_per_user=3)
    buyer, _ = register(api)
    first = hold(buyer, event["id"], seats[0:2]).json()["data"]["booking"]
    assert confirm(buyer, first["id"]).status_code == 200
    err = assert_error(hold(buyer, event["id"], seats[2:4]), 409, "BOOKING_LIMIT_EXCEEDED")
    assert err["details"] == {"limit": 3, "held": 2}
    assert {seats[2], seats[3]} <= set(seat_ids(api, event["id"], status="available"))
    pending = hold(buyer, event["id"], [seats[2]])
    assert pending.status_code == 201, pending.text
    err = assert_error(hold(buyer, event["id"], [seats[3]]), 409, "BOOKING_LIMIT_EXCEEDED")
    assert err["details"] == {"limit": 3, "held": 3}
    other, _ = register(api)
    assert hold(other, event["id"], seats[3:6]).status_code == 201
    assert buyer.delete(f"/api/v1/bookings/{pending.json()['data']['booking']['id']}").status_code == 200
    assert hold(buyer, event["id"], [seats[6]]).status_code == 201


def test_expired_holds_do_not_count(engine, tmp_path):
    srv = Server(fresh_store_url(engine, str(tmp_path)),
                 {"EVENTLY_HOLD_SECONDS": "1", "EVENTLY_EXPIRY_INTERVAL_MS": "100"}).start()
    try:
        api = Api(srv.base)
        admin_api = admin(api, srv)
        event, seats = event_with(admin_api, api, max_tickets_per_user=2)
        buyer, _ = register(api)
        booking = hold(buyer, event["id"], seats[0:2]).json()["data"]["booking"]
        assert_error(hold(buyer, event["id"], [seats[2]]), 409, "BOOKING_LIMIT_EXCEEDED")
        assert status_once_not(buyer, booking["id"], "pending", 6) == "expired"
        r = hold(buyer, event["id"], seats[2:4])
        assert r.status_code == 201, r.text
    finally:
        assert srv.stop() == 0
