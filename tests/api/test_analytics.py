"""Admin analytics over HTTP: shape, exact figures for a small history, and bad input."""
import datetime

import pytest

from conftest import Api, assert_error
from support_booking import admin, confirm, hold, register, small_event


@pytest.fixture(scope="module")
def admin_api(server):
    return admin(Api(server.base), server)


def test_dashboard_shape_and_figures(admin_api, api):
    event, seats = small_event(admin_api, api)
    buyer, _ = register(api)
    sale = hold(buyer, event["id"], [seats[0], seats[12]]).json()["data"]["booking"]
    assert confirm(buyer, sale["id"]).status_code == 200
    abandoned = hold(buyer, event["id"], [seats[1]]).json()["data"]["booking"]
    assert buyer.delete(f"/api/v1/bookings/{abandoned['id']}").status_code == 200

    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    r = admin_api.get(f"/api/v1/admin/analytics/events/{event['id']}"
                      f"?start_date={today}&end_date={today}")
    assert r.status_code == 200, r.text
    e = r.json()["data"]
    assert e["bookings"] == 1 and e["revenue"] == 349.99
    assert e["seats_sold"] == 2 and e["seats_held"] == 0
    assert e["conversion_rate"] == 50.0
    assert {t["tier"]: t["seats_sold"] for t in e["tiers"]} == {"VIP": 1, "General": 1}
    assert len(e["booking_trends"]) == 1

    d = admin_api.get("/api/v1/admin/analytics/dashboard").json()["data"]
    assert set(d["summary"]) == {"total_events", "total_bookings", "total_revenue",
                                 "average_capacity_utilization"}
    assert len(d["booking_trends"]) == 30
    assert d["booking_trends"][-1]["date"] == today
    assert d["summary"]["total_bookings"] >= 1
    assert any(t["event_id"] == event["id"] for t in d["top_events"])
    assert "VIP" in d["revenue_by_category"]
    for key in ("cancellation_rate", "expired_holds", "conversion_rate"):
        assert key in d


@pytest.mark.parametrize("query", ["start_date=2024-02-30", "end_date=yesterday",
                                   "start_date=2024-03-05&end_date=2024-03-01",
                                   "start_date=2023-01-01&end_date=2024-12-31"])
def test_bad_ranges_are_400(admin_api, query):
    assert_error(admin_api.get(f"/api/v1/admin/analytics/dashboard?{query}"), 400,
                 "VALIDATION_ERROR")


def test_unknown_event_and_non_admins(admin_api, api):
    assert_error(admin_api.get("/api/v1/admin/analytics/events/not-a-uuid"), 404,
                 "EVENT_NOT_FOUND")
    assert_error(admin_api.get("/api/v1/admin/analytics/events/"
                               "01890000-0000-7000-8000-000000000000"), 404, "EVENT_NOT_FOUND")
    user, _ = register(api)
    assert_error(user.get("/api/v1/admin/analytics/dashboard"), 403, "AUTH_UNAUTHORIZED")
    assert_error(api.get("/api/v1/admin/analytics/dashboard"), 401, "AUTH_REQUIRED")
