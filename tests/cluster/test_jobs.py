"""The background jobs not covered by test_cluster.py, with three nodes running each at once on
one PostgreSQL: waitlist offers and their lapses, outbox delivery (email to a real SMTP server,
text messages to a webhook, receipts counted there), and the purges of idempotency keys and
refresh tokens. Each item is done once, in order where there is one, and no node logs a failed
round of any job."""
import collections
import re
import time
import uuid

import pytest

from conftest import WIDE_LIMITS, Api, AsServer, running, wait_until
from support_booking import admin, hold
from support_chaos import SEAT_CHECKS, sql, violations
from support_identity import register
from support_realtime import Person, SmtpSink, Store, WebhookSink, unique_email

HOLD_SECONDS = 5
OFFER_SECONDS = 2
SEATS = 6


@pytest.fixture(scope="module")
def sinks():
    smtp, hook = SmtpSink().start(), WebhookSink()
    try:
        yield smtp, hook
    finally:
        smtp.stop()
        hook.stop()


@pytest.fixture(scope="module")
def cluster(sinks):
    smtp, hook = sinks
    # Every job on a short interval, so the three nodes' rounds overlap all the time.
    with running({**WIDE_LIMITS, "EVENTLY_HOLD_SECONDS": str(HOLD_SECONDS),
                  "EVENTLY_OFFER_SECONDS": str(OFFER_SECONDS),
                  "EVENTLY_EXPIRY_INTERVAL_MS": "50", "EVENTLY_NOTIFY_INTERVAL_MS": "50",
                  "EVENTLY_PURGE_INTERVAL_MS": "100", "EVENTLY_NOTIFY_TIMEOUT_MS": "5000",
                  "EVENTLY_SMTP_URL": smtp.url, "EVENTLY_SMS_WEBHOOK_URL": hook.url}) as c:
        yield c


@pytest.fixture(scope="module")
def world(cluster):
    return Api(cluster.base), Store(cluster.db_url)


@pytest.fixture(autouse=True)
def no_job_failed_a_round(cluster):
    """Each test's own trouble only: one failure is not reported again by every later test."""
    sizes = cluster.log_sizes()
    yield
    assert cluster.job_trouble(since=sizes) == []


def people(world, n, prefix, phone=False):
    api, store = world
    return [Person(api, store, unique_email(prefix),
                   phone=f"+1415{uuid.uuid4().int % 10**7:07d}" if phone else None)
            for _ in range(n)]


def hold_every_seat(event, holders):
    for person, seat in zip(holders, event["seat_ids"]):
        r = person.hold(event["id"], [seat])
        assert r.status_code == 201, r.text


def join_with_email_and_sms(event, line):
    for person in line:
        r = person.join(event["id"], email=True, sms=True)
        assert r.status_code == 201, r.text


def receipts(sinks):
    """How often the sinks received each delivery (the outbox row's id): an email names it in
    its Message-ID, a text message in its delivery_id."""
    smtp, hook = sinks
    ids = [re.search(r"^Message-ID: <([^@>]+)@evently>", m["data"], re.M | re.I).group(1)
           for m in list(smtp.messages)]
    ids += [r["body"]["delivery_id"] for r in list(hook.requests)]
    return collections.Counter(ids)


def outbox_of(url, event_id):
    """(id, channel, status, attempts) of every delivery of the event's notifications."""
    return sql(url, "SELECT o.id, o.channel, o.status, o.attempts FROM outbox o "
                    "JOIN notifications n ON n.id = o.notification_id "
                    f"WHERE n.event_id = '{event_id}' ORDER BY o.id")


def assert_delivered_exactly_once(cluster, sinks, event_id):
    """Every delivery of the event's notifications reaches its sink once, on the first attempt;
    returns the deliveries."""
    url = cluster.db_url

    def all_delivered():
        rows = outbox_of(url, event_id)
        return rows and all(status == "delivered" for _, _, status, _ in rows)
    assert wait_until(all_delivered, 20, 0.2), outbox_of(url, event_id)
    time.sleep(1.0)  # twenty more rounds of every node's delivery loops
    rows = outbox_of(url, event_id)
    got = receipts(sinks)
    assert [(i, got[i]) for i, _, _, _ in rows if got[i] != 1] == []
    assert [(i, n) for i, _, _, n in rows if n != "1"] == []  # claimed once: no lease ran out
    return rows


def test_three_nodes_offer_each_release_once_and_pass_each_lapse_on_once_in_order(
        cluster, world, sinks):
    event = world[1].create_event(sections=(("Floor", 1, SEATS, 2500),))
    holders = people(world, SEATS, "holder")
    line = people(world, 2 * SEATS, "waiting", phone=True)
    hold_every_seat(event, holders)  # sold out
    join_with_email_and_sms(event, line)
    url, eid = cluster.db_url, event["id"]

    # Three nodes' expiry jobs release the holds (each seat offered to the first six in line);
    # three nodes' lapse jobs pass the lapsed offers to the next six, then back on sale.
    def settled():
        return sql(url, "SELECT status, COUNT(*) FROM waitlist_entries "
                        f"WHERE event_id = '{eid}' GROUP BY status") == \
            [["lapsed", str(2 * SEATS)]] and \
            sql(url, f"SELECT SUM(available) FROM event_sections WHERE event_id = '{eid}'") == \
            [[str(SEATS)]]
    assert wait_until(settled, HOLD_SECONDS + 2 * OFFER_SECONDS + 20, 0.2), \
        sql(url, f"SELECT user_id, status FROM waitlist_entries WHERE event_id = '{eid}'")
    time.sleep(0.5)  # ten more rounds of every node's expiry and lapse jobs
    notices = collections.defaultdict(list)
    for user_id, kind, at in sql(url, "SELECT user_id, kind, created_at FROM notifications "
                                      f"WHERE event_id = '{eid}' ORDER BY created_at"):
        notices[user_id].append((kind, int(at)))
    # Each in line was offered once and lapsed once; the holders heard nothing.
    for person in line:
        assert [kind for kind, _ in notices[person.id]] == \
            ["waitlist_offer", "waitlist_offer_lapsed"], notices[person.id]
    assert all(person.id not in notices for person in holders)
    # In order: the first six got the released seats, the next six only their lapses.
    offered_at = [notices[p.id][0][1] for p in line]
    assert max(offered_at[:SEATS]) < min(offered_at[SEATS:]), offered_at
    assert sql(url, f"SELECT expirations FROM event_stats WHERE event_id = '{eid}'") == \
        [[str(SEATS)]]
    assert sql(url, "SELECT COUNT(*) FROM seats WHERE status = 'available' AND offer_id IS NULL "
                    f"AND event_id = '{eid}'") == [[str(SEATS)]]
    assert violations(url, SEAT_CHECKS) == []
    # Every offer went out once by email and once by text message.
    channels = collections.Counter(c for _, c, _, _ in assert_delivered_exactly_once(
        cluster, sinks, eid))
    assert channels == {"email": 2 * SEATS, "sms": 2 * SEATS}, channels


def test_three_nodes_deliver_each_outbox_item_exactly_once(cluster, world, sinks):
    api, store = world
    seats = 4 * SEATS
    event = store.create_event(sections=(("Floor", 2, seats // 2, 2500),))
    holders = people(world, seats, "holder")
    line = people(world, 2 * SEATS, "waiting", phone=True)
    hold_every_seat(event, holders)
    join_with_email_and_sms(event, line)
    # One transaction writes them all (an email to each holder, an email and a text message to
    # each in line), so every node's email and SMS loops find the whole burst due at once.
    cancelled = admin(api, AsServer(cluster)).post(f"/api/v1/admin/events/{event['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    rows = assert_delivered_exactly_once(cluster, sinks, event["id"])
    channels = collections.Counter(c for _, c, _, _ in rows)
    # A hold that expired before the cancellation would have made an offer (more deliveries).
    assert channels["email"] >= seats + 2 * SEATS and channels["sms"] >= 2 * SEATS, channels


def test_three_nodes_purge_expired_keys_and_tokens_and_nothing_else(cluster, world):
    api = world[0]
    account = register(api)
    user_id = account["user"]["id"]
    buyer = api.with_token(account["access_token"])
    event = world[1].create_event()
    key = {"Idempotency-Key": "kept-" + uuid.uuid4().hex}
    first = hold(buyer, event["id"], event["seat_ids"][:1], headers=key)
    assert first.status_code == 201, first.text
    url = cluster.db_url
    now = int(time.time() * 1000)
    day = 86_400_000
    # Past their expiry: 3,000 keys and 25,000 tokens (three slices of the token purge). Not yet:
    # 2,000 keys, 1,000 live tokens and 1,000 spent ones (kept to detect their reuse).
    world[1].script([
        "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, state, "
        "response_status, response_headers, response_body, created_at, expires_at) "
        f"SELECT '{user_id}', (CASE WHEN g <= 3000 THEN 'gone-' ELSE 'kept-' END) || g, 'h', "
        f"'done', 201, '', '{{}}', {now - 2 * day}, "
        f"CASE WHEN g <= 3000 THEN {now} - g ELSE {now + day} END "
        "FROM generate_series(1, 5000) g",
        "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, "
        f"used_at) SELECT gen_random_uuid(), '{user_id}', gen_random_uuid(), "
        f"(CASE WHEN g <= 25000 THEN 'gone-' ELSE 'kept-' END) || g, {now - 2 * day}, "
        f"CASE WHEN g <= 25000 THEN {now} - g ELSE {now + day} END, "
        f"CASE WHEN g % 2 = 0 THEN {now} END FROM generate_series(1, 27000) g"])

    def counts():
        return sql(url, "SELECT (SELECT COUNT(*) FROM idempotency_keys WHERE idempotency_key "
                        "LIKE 'gone-%'), (SELECT COUNT(*) FROM refresh_tokens WHERE token_hash "
                        "LIKE 'gone-%')")[0]
    started = time.time()
    assert wait_until(lambda: counts() == ["0", "0"], 20, 0.1), counts()
    print(f"purged 3,000 keys and 25,000 tokens in {time.time() - started:.1f} s")
    time.sleep(0.5)  # five more rounds of every node's purges
    assert sql(url, "SELECT (SELECT COUNT(*) FROM idempotency_keys WHERE idempotency_key "
                    "LIKE 'kept-%'), (SELECT COUNT(*) FROM refresh_tokens WHERE token_hash "
                    "LIKE 'kept-%'), (SELECT COUNT(*) FROM refresh_tokens WHERE token_hash "
                    "LIKE 'kept-%' AND used_at IS NOT NULL)") == [["2001", "2000", "1000"]]
    # What the API stored is still there and still works, whichever node answers.
    for n in (1, 2, 3):
        again = hold(Api(cluster.node_base(n), account["access_token"]), event["id"],
                     event["seat_ids"][:1], headers=key)
        assert again.status_code == 201 and again.content == first.content, (n, again.text)
        assert again.headers["Idempotent-Replayed"] == "true"
    rotated = api.post("/api/v1/auth/refresh", json={"refresh_token": account["refresh_token"]})
    assert rotated.status_code == 200, rotated.text
    assert sql(url, "SELECT COUNT(*) FROM bookings WHERE event_id = "
                    f"'{event['id']}'") == [["1"]]
