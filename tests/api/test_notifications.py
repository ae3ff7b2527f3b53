"""Notification delivery through the outbox: real SMTP and SMS webhook sinks, retries when the
mail server refuses or hangs, and nothing lost when the server is killed before delivering."""
import time

import pytest

from conftest import Api, Server, fresh_store_url, wait_until
from support_realtime import (Person, SilentServer, SmtpSink, Store, WebhookSink, free_port,
                              unique_email)

FAST = {"EVENTLY_NOTIFY_TIMEOUT_MS": "1500", "EVENTLY_NOTIFY_MAX_BACKOFF_SECONDS": "1",
        "EVENTLY_NOTIFY_INTERVAL_MS": "100"}


def start(store_url, smtp_url=None, sms_url=None, **extra):
    env = dict(FAST, **extra)
    if smtp_url:
        env["EVENTLY_SMTP_URL"] = smtp_url
        env["EVENTLY_SMTP_FROM"] = "Evently Tickets <tickets@evently.test>"
    if sms_url:
        env["EVENTLY_SMS_WEBHOOK_URL"] = sms_url
    return Server(store_url, extra_env=env).start()


def make_offer(srv, store, bob_phone=None, **prefs):
    """Sells out an event, puts bob on its waitlist and releases two seats: bob gets an offer."""
    api = Api(srv.base)
    alice = Person(api, store, unique_email("alice"))
    bob = Person(api, store, unique_email("bob"), phone=bob_phone)
    event = store.create_event(name="Délices Night")
    held = alice.hold(event["id"], event["seat_ids"][:2])
    assert alice.hold(event["id"], event["seat_ids"][2:]).status_code == 201
    assert bob.join(event["id"], **prefs).status_code == 201
    assert alice.cancel(held.json()["data"]["booking"]["id"]).status_code == 200
    return alice, bob


def test_offer_arrives_by_email_sms_and_in_app(engine, tmp_path):
    smtp, hook = SmtpSink().start(), WebhookSink()
    srv = start(fresh_store_url(engine, str(tmp_path)), smtp.url, hook.url)
    try:
        store = Store(srv.store_url)
        alice, bob = make_offer(srv, store, bob_phone="+14155550123", email=True, sms=True)
        assert wait_until(lambda: smtp.to(bob.email), timeout=10)
        mail = smtp.to(bob.email)[0]
        assert mail["from"] == "tickets@evently.test"
        assert "Subject: =?UTF-8?B?" in mail["data"]  # the event name is not plain ASCII
        assert "held for you until" in mail["data"]
        assert wait_until(lambda: hook.requests, timeout=10)
        sms = hook.requests[0]
        assert sms["body"]["to"] == "+14155550123"
        assert "Délices Night" in sms["body"]["body"]
        assert sms["headers"]["Idempotency-Key"] == sms["body"]["delivery_id"]
        # Alice's cancellation went out by email as well.
        assert wait_until(lambda: smtp.to(alice.email), timeout=10)
        in_app = bob.api.get("/api/v1/users/notifications").json()["data"]
        assert [n["kind"] for n in in_app] == ["waitlist_offer"]
        assert wait_until(lambda: all(row[3] == "delivered" for row in store.outbox(bob.id)))
        time.sleep(0.5)
        assert len(smtp.to(bob.email)) == 1 and len(hook.requests) == 1  # once each
    finally:
        assert srv.stop() == 0, srv.stderr()
        smtp.stop()
        hook.stop()


def test_a_refusing_mail_server_is_retried_until_it_answers(engine, tmp_path):
    port = free_port()
    srv = start(fresh_store_url(engine, str(tmp_path)), f"smtp://127.0.0.1:{port}")
    smtp = SmtpSink(port)
    try:
        store = Store(srv.store_url)
        _, bob = make_offer(srv, store)
        assert wait_until(lambda: int(store.outbox(bob.id)[0][4]) >= 2, timeout=10)
        row = store.outbox(bob.id)[0]
        assert row[3] == "pending" and row[5]  # last_error kept
        smtp.start()
        assert wait_until(lambda: smtp.to(bob.email), timeout=10)
        assert wait_until(lambda: store.outbox(bob.id)[0][3] == "delivered")
    finally:
        assert srv.stop() == 0, srv.stderr()
        smtp.stop()


def test_a_hanging_mail_server_does_not_hold_up_text_messages(engine, tmp_path):
    silent, hook = SilentServer(), WebhookSink()
    srv = start(fresh_store_url(engine, str(tmp_path)), f"smtp://127.0.0.1:{silent.port}",
                hook.url, EVENTLY_NOTIFY_TIMEOUT_MS="4000")
    try:
        store = Store(srv.store_url)
        started = time.time()
        _, bob = make_offer(srv, store, bob_phone="+14155550124", email=True, sms=True)
        assert wait_until(lambda: hook.requests, timeout=3)
        assert time.time() - started < 3.5  # before the stuck email even timed out
        assert wait_until(lambda: any(r[1] == "email" and r[5] for r in store.outbox(bob.id)),
                          timeout=10)
        email = [r for r in store.outbox(bob.id) if r[1] == "email"][0]
        assert email[3] == "pending" and "timeout" in email[5].lower(), email
    finally:
        assert srv.stop() == 0, srv.stderr()
        silent.stop()
        hook.stop()


def test_nothing_is_lost_when_the_server_dies_before_delivering(engine, tmp_path):
    port = free_port()
    url = fresh_store_url(engine, str(tmp_path))
    srv = start(url, f"smtp://127.0.0.1:{port}")
    smtp = SmtpSink(port)
    restarted = None
    try:
        store = Store(url)
        _, bob = make_offer(srv, store)
        assert store.outbox(bob.id)[0][3] == "pending"  # committed with the offer
        srv.proc.kill()  # kill -9: no shutdown, no flush
        srv.proc.wait()
        smtp.start()
        restarted = start(url, smtp.url)
        assert wait_until(lambda: smtp.to(bob.email), timeout=20)
        assert "Délices Night" in smtp.to(bob.email)[0]["data"] or \
            "=?UTF-8?B?" in smtp.to(bob.email)[0]["data"]
        assert wait_until(lambda: store.outbox(bob.id)[0][3] == "delivered")
    finally:
        if restarted:
            assert restarted.stop() == 0, restarted.stderr()
        smtp.stop()
