"""Helpers for catalogue tests: instants, request bodies, and direct store access that stands
in for the booking engine (a seat changes status and events.seat_version moves with it)."""
import datetime as dt
import sqlite3
import subprocess
import uuid


def iso(when):
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def in_days(days, hours=0):
    return dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days, hours=hours)


def venue_body(**overrides):
    body = {"name": "Test Arena " + uuid.uuid4().hex[:6], "address": "1 Main St", "city": "Springfield",
            "state": "IL", "country": "USA", "postal_code": "62701", "capacity": 60000,
            "layout_config": {"stage": "north", "levels": [1, 2], "accessible": True}}
    body.update(overrides)
    return body


def event_body(venue_id, sections=None, days=10, **overrides):
    start = in_days(days)
    body = {"name": "Concert " + uuid.uuid4().hex[:6], "description": "A test event",
            "venue_id": venue_id, "start_time": iso(start),
            "end_time": iso(start + dt.timedelta(hours=4)),
            "seat_configuration": {"sections": sections or [
                {"name": "VIP", "rows": ["A", "B"], "seats_per_row": 5, "price": 300.00},
                {"name": "General", "rows": ["C", "D", "E"], "seats_per_row": 10, "price": 50.5}]}}
    body.update(overrides)
    return body


def run_sql(server, statements):
    """Runs SQL on the server's own store, as another component (the booking engine) would."""
    url = server.store_url
    if url.startswith("sqlite:"):
        conn = sqlite3.connect(url[len("sqlite:"):], timeout=10)
        try:
            with conn:
                for sql in statements:
                    conn.execute(sql)
        finally:
            conn.close()
    else:
        script = "BEGIN;" + ";".join(statements) + ";COMMIT;"
        subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", script], check=True,
                       capture_output=True)


def hold_seat(server, event_id, seat_id):
    """A seat becomes held: status, the section counter and seat_version move together."""
    run_sql(server, [
        f"UPDATE seats SET status = 'held' WHERE id = '{seat_id}'",
        f"UPDATE event_sections SET available = available - 1 WHERE event_id = '{event_id}' "
        f"AND position = (SELECT section_position FROM seats WHERE id = '{seat_id}')",
        f"UPDATE events SET seat_version = seat_version + 1 WHERE id = '{event_id}'",
    ])
