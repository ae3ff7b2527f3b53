"""The waiting room against the real binary, on both engines (CONTRACT.md: On-sale).

Admission windows are capped at a few seconds on this module's server
(EVENTLY_QUEUE_WINDOW_CAP_SECONDS) so that a window lapses within a test.
"""
import datetime
import json
import math
import time
import uuid

import pytest
import websocket

from conftest import Api, Server, assert_error, fresh_store_url, wait_until
from support_booking import admin, create_event, hold, iso, register, seat_ids
from support_catalogue import run_sql
from support_realtime import metric

SECTIONS = [{"name": "General", "rows": ["A", "B"], "seats_per_row": 5, "price": 20.00}]
WINDOW_CAP = 4
QUEUE_ENV = {"EVENTLY_QUEUE_WINDOW_CAP_SECONDS": str(WINDOW_CAP), "EVENTLY_QUEUE_INTERVAL_MS": "50"}
TICKET_KEYS = {"ticket_id", "event_id", "status", "position", "estimated_wait_seconds", "joined_at",
               "admitted_at", "admission_expires_at"}


@pytest.fixture(scope="module")
def server(engine, tmp_path_factory):
    srv = Server(fresh_store_url(engine, str(tmp_path_factory.mktemp("store"))), QUEUE_ENV).start()
    yield srv
    assert srv.stop() == 0, srv.stderr()


@pytest.fixture(scope="module")
def world(server):
    return admin(Api(server.base), server)


def soon(seconds):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)


def queued_event(world, starts_in_s=2, rate=600, sections=SECTIONS, **queue):
    """An event whose sale starts in `starts_in_s` seconds (whole seconds), sold through a queue."""
    start = soon(starts_in_s).replace(microsecond=0) + datetime.timedelta(seconds=1)
    event = create_event(world, sections, sale_starts_at=iso(start),
                         queue={"enabled": True, "admit_per_minute": rate, **queue})
    return event, start


def queue_path(event_id):
    return f"/api/v1/events/{event_id}/queue"


def join(user, event_id):
    return user.post(queue_path(event_id))


def wait_for_status(user, event_id, status, timeout=15):
    def ticket():
        r = user.get(queue_path(event_id))
        assert r.status_code == 200, r.text
        return r.json()["data"] if r.json()["data"]["status"] == status else None
    found = wait_until(ticket, timeout, 0.1)
    assert found, user.get(queue_path(event_id)).json()["data"]
    return found


def test_queue_settings_are_optional_defaulted_and_returned(world, api):
    plain = create_event(world, SECTIONS)
    assert plain["queue"] is None
    event, _ = queued_event(world, starts_in_s=3600)
    assert event["queue"] == {"enabled": True, "admit_per_minute": 600, "window_seconds": 600,
                              "opens_before_seconds": 1800}
    detail = api.get(f"/api/v1/events/{event['id']}").json()["data"]
    assert detail["queue"] == event["queue"]
    listed = [e for e in api.get("/api/v1/events?per_page=100").json()["data"]
              if e["id"] == event["id"]]
    assert listed and listed[0]["queue"] == event["queue"]
    changed = world.put(f"/api/v1/admin/events/{event['id']}",
                        json={"queue": {"enabled": False, "admit_per_minute": 100,
                                        "window_seconds": 120, "opens_before_seconds": 0}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["queue"]["window_seconds"] == 120
    cleared = world.put(f"/api/v1/admin/events/{event['id']}", json={"queue": None})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["data"]["queue"] is None


def test_bad_queue_settings_are_validation_errors_and_change_nothing(world, api):
    for queue, field in [({"enabled": True, "admit_per_minute": 0}, "queue.admit_per_minute"),
                         ({"enabled": True, "admit_per_minute": 600001}, "queue.admit_per_minute"),
                         ({"enabled": True, "admit_per_minute": 10, "window_seconds": 59},
                          "queue.window_seconds"),
                         ({"enabled": True, "admit_per_minute": 10, "opens_before_seconds": 86401},
                          "queue.opens_before_seconds"),
                         ({"admit_per_minute": 10}, "queue.enabled"),
                         ({"enabled": True, "admit_per_minute": 10, "extra": 1}, "queue.extra")]:
        event, _ = queued_event(world, starts_in_s=3600)
        path = f"/api/v1/admin/events/{event['id']}"
        err = assert_error(world.put(path, json={"queue": queue}), 400, "VALIDATION_ERROR")
        assert field in [f["field"] for f in err["details"]["fields"]], err
        assert api.get(f"/api/v1/events/{event['id']}").json()["data"]["queue"] == event["queue"]
    # A queue needs a sale start.
    venue_event = create_event(world, SECTIONS, sale_starts_at=iso(soon(7200)))
    err = assert_error(world.put(f"/api/v1/admin/events/{venue_event['id']}",
                                 json={"sale_starts_at": None,
                                       "queue": {"enabled": True, "admit_per_minute": 5}}),
                       400, "VALIDATION_ERROR")
    assert "queue" in [f["field"] for f in err["details"]["fields"]]
    after = api.get(f"/api/v1/events/{venue_event['id']}").json()["data"]
    assert after["queue"] is None and after["sale_starts_at"] is not None  # nothing half-written
    # Once the sale has started, the queue is fixed.
    started = create_event(world, SECTIONS, sale_starts_at=iso(soon(-60)),
                           queue={"enabled": True, "admit_per_minute": 5})
    err = assert_error(world.put(f"/api/v1/admin/events/{started['id']}",
                                 json={"queue": {"enabled": False, "admit_per_minute": 5}}),
                       400, "VALIDATION_ERROR")
    assert err["details"]["fields"][0]["field"] == "queue"
    assert api.get(f"/api/v1/events/{started['id']}").json()["data"]["queue"]["enabled"] is True


def test_join_twice_look_and_leave(world, api):
    event, _ = queued_event(world, starts_in_s=600)
    user, _ = register(api, "Queuer")
    first = join(user, event["id"])
    assert first.status_code == 201, first.text
    ticket = first.json()["data"]
    assert TICKET_KEYS <= set(ticket) and "admission_token" not in ticket
    assert ticket["status"] == "waiting" and ticket["position"] >= 1
    assert ticket["estimated_wait_seconds"] == ticket["position"] * 60 // 600
    assert ticket["admitted_at"] is None and ticket["admission_expires_at"] is None
    again = join(user, event["id"])
    assert again.status_code == 200, again.text
    assert again.json()["data"]["ticket_id"] == ticket["ticket_id"]
    other, _ = register(api, "Second")
    assert join(other, event["id"]).status_code == 201
    looked = other.get(queue_path(event["id"])).json()["data"]
    assert looked["status"] == "waiting" and looked["position"] in (1, 2)
    left = user.delete(queue_path(event["id"]))
    assert left.status_code == 200, left.text
    assert left.json()["data"]["status"] == "left"
    assert left.json()["data"]["position"] is None
    assert user.get(queue_path(event["id"])).json()["data"]["status"] == "left"
    # One ticket per user and event: joining again gives the ticket that left.
    rejoined = join(user, event["id"])
    assert rejoined.status_code == 200 and rejoined.json()["data"]["status"] == "left"
    # The place is free: the other ticket is first now.
    assert wait_until(lambda: other.get(queue_path(event["id"])).json()["data"]["position"] == 1,
                      3, 0.2), "the place that was left stayed taken"
    stranger, _ = register(api, "Stranger")
    assert_error(stranger.get(queue_path(event["id"])), 404, "QUEUE_TICKET_NOT_FOUND")
    assert_error(stranger.delete(queue_path(event["id"])), 404, "QUEUE_TICKET_NOT_FOUND")


def test_bad_ids_and_closed_queues_are_refused_with_nothing_written(world, api, server):
    user, _ = register(api, "Refused")
    for path in ["/api/v1/events/not-a-uuid/queue", queue_path(str(uuid.uuid4()))]:
        assert_error(user.post(path), 404, "EVENT_NOT_FOUND")
        assert_error(user.get(path), 404, "EVENT_NOT_FOUND" if "not-a" in path
                     else "QUEUE_TICKET_NOT_FOUND")
        assert_error(user.delete(path), 404, "EVENT_NOT_FOUND" if "not-a" in path
                     else "QUEUE_TICKET_NOT_FOUND")
    assert_error(api.post(queue_path(str(uuid.uuid4()))), 401, "AUTH_REQUIRED")
    plain = create_event(world, SECTIONS)
    assert_error(join(user, plain["id"]), 409, "QUEUE_NOT_ENABLED")
    later, _ = queued_event(world, starts_in_s=7200, opens_before_seconds=60)
    err = assert_error(join(user, later["id"]), 409, "QUEUE_NOT_OPEN")
    assert err["details"]["opens_at"]
    off = create_event(world, SECTIONS, sale_starts_at=iso(soon(7200)),
                       queue={"enabled": False, "admit_per_minute": 60})
    assert_error(join(user, off["id"]), 409, "QUEUE_NOT_ENABLED")
    for event in (plain, later, off):
        assert_error(user.get(queue_path(event["id"])), 404, "QUEUE_TICKET_NOT_FOUND")
    assert_error(world.get(f"/api/v1/admin/events/{plain['id']}/queue"), 409, "QUEUE_NOT_ENABLED")
    assert_error(world.get("/api/v1/admin/events/nope/queue"), 404, "EVENT_NOT_FOUND")


def test_admission_token_is_needed_and_bound_to_user_event_and_window(world, api):
    event, start = queued_event(world, starts_in_s=6)
    other_event, _ = queued_event(world, starts_in_s=6)
    seats = seat_ids(api, event["id"])
    buyer, _ = register(api, "Admitted")
    rival, _ = register(api, "Rival")
    for u in (buyer, rival):
        assert join(u, event["id"]).status_code == 201
        assert join(u, other_event["id"]).status_code == 201
    # Before the start: not on sale, whatever the token.
    assert_error(hold(buyer, event["id"], seats[:1]), 409, "EVENT_NOT_ON_SALE")
    ticket = wait_for_status(buyer, event["id"], "admitted")
    assert ticket["position"] is None and ticket["admitted_at"]
    token = ticket["admission_token"]
    rival_token = wait_for_status(rival, event["id"], "admitted")["admission_token"]
    other_token = wait_for_status(buyer, other_event["id"], "admitted")["admission_token"]
    required = "QUEUE_ADMISSION_REQUIRED"
    assert_error(hold(buyer, event["id"], seats[:1]), 403, required)
    assert_error(hold(buyer, event["id"], seats[:1], headers={"X-Queue-Token": rival_token}),
                 403, required)
    assert_error(hold(buyer, event["id"], seats[:1], headers={"X-Queue-Token": other_token}),
                 403, required)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert_error(hold(buyer, event["id"], seats[:1], headers={"X-Queue-Token": forged}),
                 403, required)
    tampered = token.replace(ticket["event_id"], other_event["id"])
    assert_error(hold(buyer, other_event["id"], seats[:1],
                      headers={"X-Queue-Token": tampered}), 403, required)
    assert_error(hold(buyer, event["id"], seats[:1], headers={"X-Queue-Token": "garbage"}),
                 403, required)
    held = hold(buyer, event["id"], seats[:1], headers={"X-Queue-Token": token})
    assert held.status_code == 201, held.text
    # The window lapses on its own: the ticket turns expired and the token stops working.
    expires = datetime.datetime.fromisoformat(ticket["admission_expires_at"].replace("Z", "+00:00"))
    assert expires - datetime.datetime.fromisoformat(
        ticket["admitted_at"].replace("Z", "+00:00")) <= datetime.timedelta(seconds=WINDOW_CAP + 1)
    lapsed = wait_for_status(buyer, event["id"], "expired", timeout=WINDOW_CAP + 5)
    assert "admission_token" not in lapsed
    assert_error(hold(buyer, event["id"], seats[1:2], headers={"X-Queue-Token": token}), 403,
                 required)
    # An event without a queue ignores the header.
    plain = create_event(world, SECTIONS)
    free = hold(buyer, plain["id"], seat_ids(api, plain["id"])[:1],
                headers={"X-Queue-Token": "anything"})
    assert free.status_code == 201, free.text


def test_sold_out_reaches_waiting_tickets(world, api, server):
    event, start = queued_event(world, rate=1, starts_in_s=1)  # nobody admitted for a minute
    users = [register(api, f"Late{i}")[0] for i in range(3)]
    for u in users[:2]:
        assert join(u, event["id"]).status_code == 201
    time.sleep(max(0.0, (start - datetime.datetime.now(datetime.timezone.utc)).total_seconds()))
    run_sql(server, [
        f"UPDATE seats SET status = 'booked' WHERE event_id = '{event['id']}'",
        f"UPDATE event_sections SET available = 0 WHERE event_id = '{event['id']}'",
    ])
    for u in users[:2]:
        ticket = wait_for_status(u, event["id"], "sold_out")
        assert ticket["position"] is None
    assert_error(join(users[2], event["id"]), 409, "EVENT_SOLD_OUT")
    summary = world.get(f"/api/v1/admin/events/{event['id']}/queue")
    assert summary.status_code == 200, summary.text
    assert summary.json()["data"]["sold_out"] == 2 and summary.json()["data"]["waiting"] == 0


def test_admin_view_and_metrics(world, api):
    event, _ = queued_event(world)
    admissions_before = metric(api, "evently_queue_admissions_total")
    users = [register(api, f"Count{i}")[0] for i in range(3)]
    for u in users:
        assert join(u, event["id"]).status_code == 201
    users[2].delete(queue_path(event["id"]))
    wait_for_status(users[0], event["id"], "admitted")
    wait_for_status(users[1], event["id"], "admitted")
    data = world.get(f"/api/v1/admin/events/{event['id']}/queue").json()["data"]
    # Admitted windows are capped at a few seconds here: some may have lapsed already.
    assert (data["waiting"], data["admitted"] + data["expired"], data["left"]) == (0, 2, 1)
    assert data["admitted_last_minute"] == 2 and data["admit_per_minute"] == 600
    assert_error(users[0].get(f"/api/v1/admin/events/{event['id']}/queue"), 403,
                 "AUTH_UNAUTHORIZED")
    # This node admitted both (one node here), and its counter says so.
    assert metric(api, "evently_queue_admissions_total") - admissions_before == 2
    text = api.get("/metrics").text
    assert 'evently_queue_tickets{status="waiting"}' in text
    # Join latency: the request histogram of the join's route.
    assert 'evently_http_request_duration_seconds_bucket{route="/api/v1/events/{event_id}/queue"' \
        in text


def test_watch_queue_over_the_event_socket(world, api, server):
    event, _ = queued_event(world, starts_in_s=3)
    user, _ = register(api, "Watcher")
    ticket = join(user, event["id"]).json()["data"]
    ws = websocket.create_connection(f"ws://127.0.0.1:{server.port}/ws/events/{event['id']}",
                                     timeout=10)
    try:
        assert json.loads(ws.recv())["type"] == "snapshot"
        ws.send(json.dumps({"action": "watch_queue", "ticket_id": str(uuid.uuid4())}))
        err = json.loads(ws.recv())
        assert err["type"] == "error" and err["error"]["code"] == "QUEUE_TICKET_NOT_FOUND"
        stranger, _ = register(api, "Peeker")
        ws.send(json.dumps({"action": "watch_queue", "ticket_id": ticket["ticket_id"],
                            "access_token": stranger.token}))
        err = json.loads(ws.recv())
        assert err["type"] == "error" and err["error"]["code"] == "QUEUE_TICKET_NOT_FOUND"
        ws.send(json.dumps({"action": "watch_queue", "ticket_id": ticket["ticket_id"],
                            "access_token": user.token}))
        first = json.loads(ws.recv())
        assert first["type"] == "queue_update", first
        assert set(first["data"]) == {"ticket_id", "status", "position", "estimated_wait_seconds"}
        assert first["data"]["status"] == "waiting" and first["data"]["position"] == 1
        deadline = time.time() + 15
        while True:
            message = json.loads(ws.recv())
            if message["type"] == "queue_update" and message["data"]["status"] == "admitted":
                break
            assert time.time() < deadline, "no admitted update"
        assert message["data"]["position"] is None
        assert "admission_token" not in message["data"]
    finally:
        ws.close()


def test_two_nodes_never_admit_more_than_the_rate(engine, server, world, api):
    if engine != "postgres":
        pytest.skip("several nodes share a PostgreSQL store")
    second = Server(server.store_url, QUEUE_ENV).start()
    try:
        rate = 120  # two a second
        event, start = queued_event(world, rate=rate, starts_in_s=2)
        nodes = [Api(server.base), Api(second.base)]
        before = [metric(node, "evently_queue_admissions_total") for node in nodes]
        users = []
        for i in range(24):
            user, _ = register(nodes[i % 2], f"Node{i}")
            assert join(user, event["id"]).status_code == 201
            users.append(user)
        checks = 0
        while checks < 12:
            time.sleep(0.5)
            data = world.get(f"/api/v1/admin/events/{event['id']}/queue").json()["data"]
            elapsed = (datetime.datetime.now(datetime.timezone.utc) - start).total_seconds()
            allowed = max(0, math.floor(rate * elapsed / 60))
            admitted = data["admitted"] + data["expired"]
            assert admitted <= allowed, (admitted, allowed, elapsed)
            checks += 1
        # Both nodes' admission jobs ran throughout; which node wins an allowance is a race
        # (tests/storage: TwoNodesRacingNeverAdmitMoreThanTheRate races them on purpose). What
        # the nodes count between them is what the store admitted: nothing twice.
        def store_admitted():
            data = world.get(f"/api/v1/admin/events/{event['id']}/queue").json()["data"]
            return data["admitted"] + data["expired"]
        low = store_admitted()
        assert low >= 6
        after = [metric(node, "evently_queue_admissions_total") for node in nodes]
        high = store_admitted()  # admissions go on while the counters are read
        assert low <= sum(after) - sum(before) <= high, (before, after, low, high)
    finally:
        assert second.stop() == 0, second.stderr()
