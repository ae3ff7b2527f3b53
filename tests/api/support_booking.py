"""Building blocks for booking tests, through the public API only (plus `evently admin create`)."""
import datetime
import subprocess
import uuid

from conftest import EVENTLY_BIN, Api, wait_until

CARD_OK = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2025, "cvc": "123"}
CARD_DECLINED = {"number": "4000000000000002", "exp_month": 12, "exp_year": 2030, "cvc": "123"}


def register(api, name="Buyer"):
    email = f"{name.lower()}-{uuid.uuid4().hex[:10]}@example.com"
    r = api.post("/api/v1/auth/register",
                 json={"email": email, "password": "Passw0rd!x", "full_name": name})
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    return api.with_token(data["access_token"]), data["user"]["id"]


def admin(api, server):
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    r = subprocess.run([EVENTLY_BIN, "admin", "create", "--email", email, "--password",
                        "AdminPass123!", "--name", "Test Admin"], env=server.env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    login = api.post("/api/v1/auth/login", json={"email": email, "password": "AdminPass123!"})
    assert login.status_code == 200, login.text
    return api.with_token(login.json()["data"]["access_token"])


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def create_event(admin_api, sections, starts_in=datetime.timedelta(days=10), capacity=None,
                 **terms):
    venue = admin_api.post("/api/v1/admin/venues", json={
        "name": "Test Hall " + uuid.uuid4().hex[:6], "address": "1 Test Road", "city": "Testville",
        "state": "TS", "country": "USA", "postal_code": "00001", "capacity": 100000})
    assert venue.status_code == 201, venue.text
    start = datetime.datetime.now(datetime.timezone.utc) + starts_in
    body = {
        "name": "Test Event " + uuid.uuid4().hex[:6],
        "description": "booking tests",
        "venue_id": venue.json()["data"]["id"],
        "start_time": iso(start),
        "end_time": iso(start + datetime.timedelta(hours=3)),
        "seat_configuration": {"sections": sections},
    }
    if capacity is not None:
        body["capacity"] = capacity
    body.update(terms)  # sale_starts_at, max_tickets_per_user: terms fixed once the sale starts
    r = admin_api.post("/api/v1/admin/events", json=body)
    assert r.status_code == 201, r.text
    return r.json()["data"]


def seat_ids(api, event_id, status="all"):
    r = api.get(f"/api/v1/events/{event_id}/seats?status={status}")
    assert r.status_code == 200, r.text
    ids = []
    for section in r.json()["data"]["sections"]:
        for row in section["rows"]:
            ids.extend(seat["id"] for seat in row["seats"])
    return ids


def small_event(admin_api, api, seats_per_row=5, rows=("A", "B")):
    event = create_event(admin_api, [
        {"name": "VIP", "rows": list(rows), "seats_per_row": seats_per_row, "price": 300.00},
        {"name": "General", "rows": list(rows), "seats_per_row": seats_per_row, "price": 49.99},
    ])
    return event, seat_ids(api, event["id"])


def hold(user_api, event_id, ids, **kw):
    return user_api.post("/api/v1/bookings", json={"event_id": event_id, "seat_ids": ids}, **kw)


def confirm(user_api, booking_id, details=None, method="credit_card", **kw):
    return user_api.post(f"/api/v1/bookings/{booking_id}/confirm",
                         json={"payment_method": method,
                               "payment_details": details or {"token": "tok_visa"}}, **kw)


def status_once_not(user_api, booking_id, status, timeout):
    """The booking's status as soon as it is no longer `status`, or still it after `timeout` s."""
    def changed():
        now = user_api.get(f"/api/v1/bookings/{booking_id}").json()["data"]["status"]
        return now if now != status else None
    return wait_until(changed, timeout, 0.1) or status
