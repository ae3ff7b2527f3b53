"""Live seat maps over WebSocket: snapshot, updates for every seat change, subscriptions, bad
input, slow and vanished clients, the connection limit, and changes made on another node."""
import json
import socket
import struct
import threading
import time
import uuid

import pytest
import requests
import websocket

from conftest import PG_URL, Api, Server, assert_error, fresh_store_url, wait_until
from support_realtime import (Person, Store, collect_updates, connect, metric, next_message,
                              quiet_for, raw_upgrade, server_rss_kib, unique_email, updates,
                              ws_url)

LIVE_ENV = {
    "EVENTLY_HOLD_SECONDS": "2",
    "EVENTLY_EXPIRY_INTERVAL_MS": "100",
    "EVENTLY_WS_SEND_QUEUE": "8",
    "EVENTLY_WS_SOCKET_SEND_BUFFER": "16384",
    "EVENTLY_WS_MAX_CONNECTIONS": "400",
    "EVENTLY_WORKER_THREADS": "4",
}


@pytest.fixture(scope="module")
def live(engine, tmp_path_factory):
    srv = Server(fresh_store_url(engine, str(tmp_path_factory.mktemp("live"))),
                 extra_env=LIVE_ENV).start()
    yield srv
    assert srv.stop() == 0, srv.stderr()


@pytest.fixture(scope="module")
def world(live):
    api = Api(live.base)
    store = Store(live.store_url)
    return {"api": api, "store": store,
            "alice": Person(api, store, unique_email("alice")),
            "bob": Person(api, store, unique_email("bob"))}


def test_unknown_or_malformed_event_is_404_before_upgrade(live):
    headers = {"Upgrade": "websocket", "Connection": "Upgrade",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"}
    for event in (str(uuid.uuid4()), "not-a-uuid", str(uuid.uuid4()) + "/extra"):
        r = requests.get(f"{live.base}/ws/events/{event}", headers=headers, timeout=10)
        assert_error(r, 404, "EVENT_NOT_FOUND")
        assert r.headers["X-Request-ID"]
    with pytest.raises(websocket.WebSocketBadStatusException) as bad:
        websocket.create_connection(ws_url(live, uuid.uuid4()), timeout=5)
    assert bad.value.status_code == 404
    # An upgrade to a path that is not a WebSocket route is an ordinary unknown route.
    r = requests.get(f"{live.base}/ws/nothing", headers=headers, timeout=10)
    assert_error(r, 404, "NOT_FOUND")


def test_a_bad_handshake_is_refused_in_the_envelope(world, live):
    """Beast would refuse these itself, in plain text naming its version; the gateway answers
    the API's envelope, and names no library in Server on a successful upgrade either."""
    event = world["store"].create_event()
    good = {"Upgrade": "websocket", "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"}
    cases = [("Sec-WebSocket-Key", None), ("Sec-WebSocket-Key", "c2hvcnQ="),
             ("Sec-WebSocket-Key", "x" * 30), ("Sec-WebSocket-Version", None),
             ("Sec-WebSocket-Version", "8")]
    for name, value in cases:
        headers = {k: v for k, v in good.items() if k != name}
        if value is not None:
            headers[name] = value
        headers["X-Request-ID"] = f"handshake-{name}-{value}"
        r = requests.get(f"{live.base}/ws/events/{event['id']}", headers=headers, timeout=10)
        error = assert_error(r, 400, "VALIDATION_ERROR")
        assert error["details"]["fields"][0]["field"] == name, (name, value, error)
        assert r.headers["Server"] == "evently"
        assert r.headers["Content-Type"] == "application/json; charset=utf-8"
        assert r.headers["Sec-WebSocket-Version"] == "13"
        assert r.headers["X-Request-ID"] == headers["X-Request-ID"]
    # An unknown event is refused by the gateway too, with the client's request id.
    r = requests.get(f"{live.base}/ws/events/{uuid.uuid4()}",
                     headers={**good, "X-Request-ID": "handshake-unknown"}, timeout=10)
    assert_error(r, 404, "EVENT_NOT_FOUND")
    assert r.headers["X-Request-ID"] == "handshake-unknown"
    assert r.headers["Server"] == "evently"
    s, head, data = raw_upgrade(live, f"/ws/events/{event['id']}")
    s.close()
    assert head == "HTTP/1.1 101 Switching Protocols"
    assert b"\r\nServer: evently\r\n" in data


def test_snapshot_on_connect_counts_per_tier(world, live):
    event = world["store"].create_event(sections=(("VIP", 1, 2, 9000), ("Floor", 2, 3, 2500)))
    ws, snapshot = connect(live, event["id"].upper())
    ws.close()
    data = snapshot["data"]
    assert data["event_id"] == event["id"]
    assert data["available_seats"] == 8
    assert data["by_tier"] == {"VIP": 2, "Floor": 6}


def test_every_seat_change_is_pushed(world, live):
    alice = world["alice"]
    event = world["store"].create_event()
    s = event["seat_ids"]
    ws, _ = connect(live, event["id"])
    held = alice.hold(event["id"], [s[0], s[1]])
    assert held.status_code == 201, held.text
    booking = held.json()["data"]["booking"]["id"]
    seen = collect_updates(ws, [s[0], s[1]])
    assert seen[s[0]][-1] == {"seat_id": s[0], "status": "held", "available_seats": 2}
    assert alice.confirm(booking).status_code == 200
    assert collect_updates(ws, [s[0]])[s[0]][-1]["status"] == "booked"
    assert alice.cancel(booking).status_code == 200
    last = collect_updates(ws, [s[0], s[1]])
    assert last[s[1]][-1] == {"seat_id": s[1], "status": "available", "available_seats": 4}
    # Expiry (hold time 2 s here) is pushed too, without any request.
    assert alice.hold(event["id"], [s[3]]).status_code == 201
    assert collect_updates(ws, [s[3]])[s[3]][-1]["status"] == "held"
    expired = collect_updates(ws, [s[3]], timeout=6)
    assert expired[s[3]][-1] == {"seat_id": s[3], "status": "available", "available_seats": 4}
    ws.close()


def test_bursts_are_batched(world, live):
    store = world["store"]
    event = store.create_event(sections=(("GA", 2, 10, 100),))
    people = [Person(world["api"], store, unique_email("burst")) for _ in range(4)]
    ws, _ = connect(live, event["id"])
    seats = event["seat_ids"]
    threads = [threading.Thread(target=lambda p=p, i=i: [
        p.hold(event["id"], [seat]) for seat in seats[i::4]]) for i, p in enumerate(people)]
    frames = []
    for t in threads:
        t.start()
    seen = {}
    deadline = time.time() + 15
    while len(seen) < len(seats) and time.time() < deadline:
        message = json.loads(ws.recv())
        frames.append(message["type"])
        for u in updates(message):
            seen[u["seat_id"]] = u
    for t in threads:
        t.join()
    ws.close()
    assert set(seen) == set(seats)
    assert min(u["available_seats"] for u in seen.values()) == 0
    assert "seat_updates" in frames and len(frames) < len(seats), frames


def test_subscribe_and_unsubscribe_more_events(world, live):
    alice, store = world["alice"], world["store"]
    first, second = store.create_event(), store.create_event(name="Second Night")
    ws, _ = connect(live, first["id"])
    ws.send(json.dumps({"action": "subscribe", "event_id": second["id"]}))
    snap = next_message(ws)
    assert snap["type"] == "snapshot" and snap["data"]["event_id"] == second["id"]
    assert alice.hold(second["id"], [second["seat_ids"][0]]).status_code == 201
    assert collect_updates(ws, [second["seat_ids"][0]])
    ws.send(json.dumps({"action": "subscribe", "event_id": second["id"]}))  # again: a snapshot
    again = next_message(ws)
    assert again["type"] == "snapshot" and again["data"]["available_seats"] == 3
    ws.send(json.dumps({"action": "unsubscribe", "event_id": second["id"]}))
    assert next_message(ws) == {"type": "unsubscribed", "data": {"event_id": second["id"]}}
    assert alice.hold(second["id"], [second["seat_ids"][1]]).status_code == 201
    assert alice.hold(first["id"], [first["seat_ids"][0]]).status_code == 201
    seen = collect_updates(ws, [first["seat_ids"][0]])
    assert second["seat_ids"][1] not in seen
    ws.close()


def test_bad_messages_get_error_frames_and_the_socket_stays_open(world, live):
    event = world["store"].create_event()
    ws, _ = connect(live, event["id"])

    def error_for(send):
        send()
        message = next_message(ws)
        assert message["type"] == "error", message
        assert set(message["error"]) == {"code", "message", "details"}
        return message["error"]

    assert error_for(lambda: ws.send("this is not json"))["code"] == "VALIDATION_ERROR"
    unknown = error_for(lambda: ws.send(json.dumps({"action": "dance", "event_id": event["id"]})))
    assert unknown["details"]["fields"][0]["field"] == "action"
    missing = str(uuid.uuid4())
    gone = error_for(lambda: ws.send(json.dumps({"action": "subscribe", "event_id": missing})))
    assert gone["code"] == "EVENT_NOT_FOUND" and gone["details"]["event_id"] == missing
    assert error_for(lambda: ws.send(json.dumps({"action": "subscribe", "event_id": "x"})))[
        "code"] == "VALIDATION_ERROR"
    assert error_for(lambda: ws.send(b"\x00\x01", opcode=websocket.ABNF.OPCODE_BINARY))[
        "code"] == "UNSUPPORTED_MEDIA_TYPE"
    big = error_for(lambda: ws.send(json.dumps({"action": "ping", "pad": "x" * 20000})))
    assert big["code"] == "PAYLOAD_TOO_LARGE" and big["details"]["max_bytes"] == 4096
    ws.send(json.dumps({"action": "ping"}))
    assert next_message(ws) == {"type": "pong"}
    ws.ping("keep-alive")
    frame = ws.recv_data_frame(True)
    while frame[0] != websocket.ABNF.OPCODE_PONG:
        frame = ws.recv_data_frame(True)
    assert frame[1].data == b"keep-alive"
    ws.close()


def test_ten_thousand_subscribes_from_one_socket(world, live):
    event = world["store"].create_event()
    ws, _ = connect(live, event["id"], timeout=30)
    rss_before = server_rss_kib(live)
    received = {"snapshot": 0, "error": 0}
    done = threading.Event()

    def reader():
        while sum(received.values()) < 10000 + 200:
            message = json.loads(ws.recv())
            received[message["type"]] = received.get(message["type"], 0) + 1
        done.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    subscribe = json.dumps({"action": "subscribe", "event_id": event["id"]})
    for i in range(10000):
        ws.send(subscribe)
    for _ in range(200):  # unknown events: each answered, none kept
        ws.send(json.dumps({"action": "subscribe", "event_id": str(uuid.uuid4())}))
    assert done.wait(120), received
    assert received["snapshot"] == 10000 and received["error"] == 200
    ws.send(json.dumps({"action": "ping"}))
    assert next_message(ws) == {"type": "pong"}
    ws.close()
    assert server_rss_kib(live) - rss_before < 64 * 1024
    assert world["api"].get("/health").status_code == 200


def test_a_client_that_never_reads_is_dropped_and_others_keep_receiving(world, live):
    store, alice = world["store"], world["alice"]
    event = store.create_event(sections=(("GA", 10, 100, 100),))
    stalled, head, _ = raw_upgrade(live, f"/ws/events/{event['id']}", rcvbuf=1024)
    assert head.startswith("HTTP/1.1 101")
    reader, _ = connect(live, event["id"], timeout=10)
    dropped_before = metric(world["api"], "evently_ws_dropped_slow_total")
    seats = event["seat_ids"]
    for i in range(0, len(seats), 10):
        assert alice.hold(event["id"], seats[i:i + 10]).status_code == 201
        if metric(world["api"], "evently_ws_dropped_slow_total") > dropped_before and i > 100:
            break
    seen = collect_updates(reader, seats[:i + 10], timeout=15)
    assert len(seen) == i + 10
    assert wait_until(lambda: metric(world["api"], "evently_ws_dropped_slow_total")
                      > dropped_before, timeout=10)
    # The server closed the stalled connection: reading it runs into the end.
    stalled.settimeout(5)
    total = 0
    with pytest.raises((ConnectionResetError, AssertionError)):
        while True:
            chunk = stalled.recv(65536)
            total += len(chunk)
            assert chunk
    stalled.close()
    reader.close()


def test_abrupt_disconnects_are_cleaned_up(world, live):
    event = world["store"].create_event()
    baseline = metric(world["api"], "evently_ws_connections")
    sockets = []
    for _ in range(30):
        s, head, _ = raw_upgrade(live, f"/ws/events/{event['id']}")
        assert head.startswith("HTTP/1.1 101")
        sockets.append(s)
    assert wait_until(lambda: metric(world["api"], "evently_ws_connections") >= baseline + 30)
    for s in sockets:  # RST, no close handshake
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    assert world["alice"].hold(event["id"], [event["seat_ids"][0]]).status_code == 201
    assert wait_until(lambda: metric(world["api"], "evently_ws_connections") <= baseline)
    assert metric(world["api"], "evently_ws_subscriptions") <= baseline


def test_the_connection_limit_answers_1013(engine, tmp_path):
    srv = Server(fresh_store_url(engine, str(tmp_path)),
                 extra_env={"EVENTLY_WS_MAX_CONNECTIONS": "2"}).start()
    try:
        event = Store(srv.store_url).create_event()
        first, _ = connect(srv, event["id"])
        second, _ = connect(srv, event["id"])
        # websocket-client refuses to parse 1013, so the third client reads the frame itself.
        third, head, data = raw_upgrade(srv, f"/ws/events/{event['id']}")
        assert head.startswith("HTTP/1.1 101")
        frame = data.split(b"\r\n\r\n", 1)[1]
        while len(frame) < 4 or len(frame) < 2 + frame[1]:
            chunk = third.recv(4096)
            assert chunk, frame
            frame += chunk
        assert frame[0] == 0x88  # FIN + close
        assert struct.unpack("!H", frame[2:4])[0] == 1013
        assert b"try again later" in frame[4:2 + frame[1]]
        third.close()
        first.close()
        assert wait_until(lambda: metric(Api(srv.base), "evently_ws_connections") <= 1)
        fourth, snapshot = connect(srv, event["id"])
        assert snapshot["data"]["available_seats"] == 4
        fourth.close()
        second.close()
    finally:
        assert srv.stop() == 0, srv.stderr()


@pytest.mark.skipif(not PG_URL, reason="two nodes need PostgreSQL")
def test_changes_on_one_node_reach_subscribers_on_another(engine, tmp_path):
    if engine != "postgres":
        pytest.skip("SQLite is a single node")
    url = fresh_store_url("postgres", str(tmp_path))
    node_a = Server(url).start()
    node_b = Server(url).start()
    try:
        store = Store(url)
        event = store.create_event()
        alice = Person(Api(node_a.base), store, unique_email("node-a"))
        on_b, _ = connect(node_b, event["id"])
        on_a, _ = connect(node_a, event["id"])
        started = time.time()
        held = alice.hold(event["id"], [event["seat_ids"][0]])
        assert held.status_code == 201
        seen = collect_updates(on_b, [event["seat_ids"][0]], timeout=1.0)
        assert seen[event["seat_ids"][0]][-1]["status"] == "held"
        assert time.time() - started < 1.0
        assert collect_updates(on_a, [event["seat_ids"][0]], timeout=1.0)
        # The other way round, and no double delivery on the node that made the change.
        r = Api(node_b.base, alice.token).post("/api/v1/bookings",
                         json={"event_id": event["id"], "seat_ids": [event["seat_ids"][1]]})
        assert r.status_code == 201
        assert collect_updates(on_a, [event["seat_ids"][1]], timeout=1.0)
        seen_b = collect_updates(on_b, [event["seat_ids"][1]], timeout=1.0)
        assert len(seen_b[event["seat_ids"][1]]) == 1
        assert not [m for m in quiet_for(on_b, 0.3) if updates(m)]
        on_a.close()
        on_b.close()
    finally:
        assert node_a.stop() == 0, node_a.stderr()
        assert node_b.stop() == 0, node_b.stderr()


def test_keep_alive_pings_close_silent_clients_only(engine, tmp_path):
    srv = Server(fresh_store_url(engine, str(tmp_path)),
                 extra_env={"EVENTLY_WS_IDLE_TIMEOUT_SECONDS": "2"}).start()
    try:
        event = Store(srv.store_url).create_event()
        silent, head, _ = raw_upgrade(srv, f"/ws/events/{event['id']}")
        assert head.startswith("HTTP/1.1 101")
        lively, _ = connect(srv, event["id"])  # websocket-client answers pings while reading
        started = time.time()
        pings = 0
        while time.time() - started < 3.5:  # longer than the timeout, answering every ping
            lively.settimeout(max(0.05, 3.5 - (time.time() - started)))
            try:
                opcode, _ = lively.recv_data_frame(True)
            except websocket.WebSocketTimeoutException:
                break
            pings += opcode == websocket.ABNF.OPCODE_PING
        assert pings >= 2
        lively.send(json.dumps({"action": "ping"}))
        assert next_message(lively) == {"type": "pong"}
        # The silent one got pinged, never answered, and was closed.
        silent.settimeout(5)
        data = b""
        while True:
            try:
                chunk = silent.recv(4096)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
        assert time.time() - started < 8
        assert b"\x89" in data  # a ping frame came before the close
        lively.close()
    finally:
        assert srv.stop() == 0, srv.stderr()


def test_batches_that_waited_for_a_busy_client_arrive_merged_once_each_in_order(engine, tmp_path):
    # Short batch window and tiny socket buffers: while the client is not reading, the server's
    # write to it is stuck and many batches are cut behind it; they must all arrive, once each,
    # in commit order, and fewer messages than batches.
    srv = Server(fresh_store_url(engine, str(tmp_path)),
                 extra_env={"EVENTLY_WS_BATCH_MS": "5", "EVENTLY_WS_SEND_QUEUE": "1024",
                            "EVENTLY_WS_SOCKET_SEND_BUFFER": "4096"}).start()
    try:
        api, store = Api(srv.base), Store(srv.store_url)
        event = store.create_event(sections=(("GA", 4, 30, 100),))
        seats = event["seat_ids"]
        alice = Person(api, store, unique_email("merge"))
        ws = websocket.create_connection(ws_url(srv, event["id"]), timeout=10,
                                         sockopt=((socket.SOL_SOCKET, socket.SO_RCVBUF, 2048),))
        assert json.loads(ws.recv())["type"] == "snapshot"
        frames_before = metric(api, "evently_ws_frames_sent_total")
        for seat in seats:  # one after the other: commit order is known
            assert alice.hold(event["id"], [seat]).status_code == 201
        frames = metric(api, "evently_ws_frames_sent_total") - frames_before
        got, messages = [], 0
        while len(got) < len(seats):
            message = json.loads(ws.recv())
            assert message["type"] in ("seat_update", "seat_updates"), message
            messages += 1
            got.extend(updates(message))
        assert not quiet_for(ws, 0.3)
        ws.close()
        assert sorted(u["seat_id"] for u in got) == sorted(seats)  # each once
        assert [u["available_seats"] for u in got] == list(range(len(seats) - 1, -1, -1))
        assert messages < frames, (messages, frames)
        assert metric(api, "evently_ws_dropped_slow_total") == 0
    finally:
        assert srv.stop() == 0, srv.stderr()
