#!/usr/bin/env python3
"""A local fake of the slice of Stripe's REST API that payments/stripe_gateway.cpp speaks:
PaymentIntents (create with confirm and manual capture, retrieve, capture, cancel, search by
metadata), refunds, and Idempotency-Key on every POST. Every change is appended to a JSON-lines
ledger and fsynced before the answer, so the fake survives kill -9 and a test (or an operator
running a demo) can compare what the gateway holds with what the store says.

    fake_stripe.py --port 12111 --ledger /tmp/stripe.jsonl [--key sk_test_fake]

Test tokens: tok_chargeDeclined (402 card_declined), tok_insufficientFunds (402), any other tok_*
succeeds. GET /__ledger answers every intent and refund (for tests); POST /__hang?seconds=N makes
the next create call hang that long before it is processed (a gateway timeout).
"""
import argparse
import json
import os
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse, parse_qs


class Ledger:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.intents = {}
        self.refunds = {}
        self.answers = {}  # idempotency key -> (status, body)
        self.hang = 0.0
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    line = line.strip()
                    if line:
                        self._apply(json.loads(line))
        self.file = open(path, "a")

    def _apply(self, entry):
        kind = entry["kind"]
        if kind == "intent":
            self.intents[entry["object"]["id"]] = entry["object"]
        elif kind == "refund":
            self.refunds[entry["object"]["id"]] = entry["object"]
        if entry.get("key"):
            self.answers[entry["key"]] = (entry["status"], entry["answer"])

    def write(self, entry):
        self._apply(entry)
        self.file.write(json.dumps(entry) + "\n")
        self.file.flush()
        os.fsync(self.file.fileno())


def form(body):
    return dict(parse_qsl(body, keep_blank_values=True))


def error(status, type_, code, message, decline=None):
    err = {"type": type_, "code": code, "message": message}
    if decline:
        err["decline_code"] = decline
    return status, {"error": err}


class Handler(BaseHTTPRequestHandler):
    server_version = "fake-stripe"

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        if self.headers.get("Authorization") != "Bearer " + self.server.key:
            self.answer(*error(401, "invalid_request_error", "api_key_invalid", "bad key"))
            return False
        return True

    def do_GET(self):
        ledger = self.server.ledger
        url = urlparse(self.path)
        if url.path == "/__ledger":
            with ledger.lock:
                return self.answer(200, {"intents": list(ledger.intents.values()),
                                         "refunds": list(ledger.refunds.values())})
        if not self.authorized():
            return
        if url.path == "/v1/payment_intents/search":
            query = parse_qs(url.query).get("query", [""])[0]
            m = re.fullmatch(r"metadata\['(\w+)'\]:'([^']*)'", query)
            if not m:
                return self.answer(*error(400, "invalid_request_error", "parameter_invalid",
                                          "unsupported query"))
            with ledger.lock:
                found = [i for i in ledger.intents.values()
                         if i["metadata"].get(m.group(1)) == m.group(2)]
            return self.answer(200, {"object": "search_result", "data": found})
        m = re.fullmatch(r"/v1/payment_intents/(pi_\w+)", url.path)
        if m:
            with ledger.lock:
                intent = ledger.intents.get(m.group(1))
            if not intent:
                return self.answer(*error(404, "invalid_request_error", "resource_missing",
                                          "no such payment_intent"))
            return self.answer(200, intent)
        self.answer(*error(404, "invalid_request_error", "resource_missing", "unknown path"))

    def do_POST(self):
        ledger = self.server.ledger
        length = int(self.headers.get("Content-Length") or 0)
        params = form(self.rfile.read(length).decode())
        url = urlparse(self.path)
        if url.path == "/__hang":
            with ledger.lock:
                ledger.hang = float(parse_qs(url.query).get("seconds", ["5"])[0])
            return self.answer(200, {})
        if not self.authorized():
            return
        key = self.headers.get("Idempotency-Key", "")
        if url.path == "/v1/payment_intents":
            with ledger.lock:
                hang, ledger.hang = ledger.hang, 0.0
            if hang:
                time.sleep(hang)
        with ledger.lock:
            if key and key in ledger.answers:
                status, body = ledger.answers[key]
                return self.answer(status, body)
            status, body, kind = self.route(url.path, params)
            if status < 500:
                ledger.write({"kind": kind, "key": key, "status": status, "answer": body,
                              "object": body if status == 200 else None, "at": time.time()})
        self.answer(status, body)

    def route(self, path, p):
        ledger = self.server.ledger
        if path == "/v1/payment_intents":
            token = p.get("payment_method_data[card][token]", "")
            amount = int(p.get("amount", "0") or 0)
            if not token.startswith("tok_") or amount <= 0:
                return (*error(400, "invalid_request_error", "parameter_invalid", "bad request"),
                        "error")
            if token in ("tok_chargeDeclined", "tok_insufficientFunds"):
                decline = "card_declined" if token == "tok_chargeDeclined" else "insufficient_funds"
                return (*error(402, "card_error", "card_declined", "declined", decline), "error")
            intent = {"id": "pi_" + uuid.uuid4().hex[:24], "object": "payment_intent",
                      "amount": amount, "currency": p.get("currency"),
                      "capture_method": p.get("capture_method", "automatic"),
                      "status": "requires_capture" if p.get("capture_method") == "manual"
                      else "succeeded",
                      "amount_received": 0, "amount_refunded": 0,
                      "metadata": {k[9:-1]: v for k, v in p.items() if k.startswith("metadata[")}}
            if intent["status"] == "succeeded":
                intent["amount_received"] = amount
            return 200, intent, "intent"
        m = re.fullmatch(r"/v1/payment_intents/(pi_\w+)/(capture|cancel)", path)
        if m:
            intent = dict(ledger.intents.get(m.group(1)) or {})
            if not intent:
                return (*error(404, "invalid_request_error", "resource_missing", "no such intent"),
                        "error")
            if intent["status"] != "requires_capture":
                return (*error(400, "invalid_request_error", "payment_intent_unexpected_state",
                               "intent is " + intent["status"]), "error")
            if m.group(2) == "capture":
                intent["status"] = "succeeded"
                intent["amount_received"] = int(p.get("amount_to_capture") or intent["amount"])
            else:
                intent["status"] = "canceled"
            return 200, intent, "intent"
        if path == "/v1/refunds":
            intent = dict(ledger.intents.get(p.get("payment_intent", "")) or {})
            amount = int(p.get("amount") or intent.get("amount_received", 0))
            if not intent or intent["status"] != "succeeded" or \
                    intent["amount_refunded"] + amount > intent["amount_received"]:
                return (*error(400, "invalid_request_error", "charge_not_refundable",
                               "nothing to refund"), "error")
            intent["amount_refunded"] += amount
            ledger.intents[intent["id"]] = intent  # the refund's entry carries the intent too
            ledger.write({"kind": "intent", "key": None, "status": 200, "answer": intent,
                          "object": intent, "at": time.time()})
            refund = {"id": "re_" + uuid.uuid4().hex[:24], "object": "refund", "amount": amount,
                      "payment_intent": intent["id"], "status": "succeeded"}
            return 200, refund, "refund"
        return (*error(404, "invalid_request_error", "resource_missing", "unknown path"), "error")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--ledger", required=True)
    parser.add_argument("--key", default="sk_test_fake")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.ledger = Ledger(args.ledger)
    server.key = args.key
    print(f"fake stripe on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
