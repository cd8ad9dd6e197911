"""A small local stand-in for Stripe: for the tests, and for the demo (`make run` with DEBUG
on and no Stripe key, through `manage.py demo_stripe`). No network beyond 127.0.0.1, no
card, no money.

It speaks enough of Stripe's HTTP API for the real `stripe` library (checkout sessions:
create, retrieve, expire; payment intents: retrieve; refunds: create), records every request
with its Idempotency-Key, and answers a repeated key with the first response (a repeated key
with different parameters is refused, as Stripe does). It also hosts a tiny checkout page at
each session's url, which says it is a demonstration: its Pay button marks the session paid,
sends a signed checkout.session.completed webhook to `webhook_url` (when set) and redirects
to success_url. Its state lives in memory: restarting it forgets open checkouts.

Tests use the `stripe_standin` fixture (tests/stripe_standin.py).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import itertools
import json
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

# Known to everyone and accepted by nothing but the stand-in: never a real Stripe secret.
WEBHOOK_SECRET = "whsec_standin_test_secret"  # noqa: S105
SECRET_KEY = "sk_test_standin"  # noqa: S105


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    idempotency_key: str | None
    params: dict


def decode_form(body: str) -> dict:
    """Stripe's form encoding (a[b][0][c]=v) back into nested dicts and lists."""
    root: dict = {}
    for name, value in parse_qsl(body, keep_blank_values=True):
        keys = name.replace("]", "").split("[")
        node = root
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        if node and all(key.isdigit() for key in node):
            return [_lists(node[key]) for key in sorted(node, key=int)]
        return {key: _lists(value) for key, value in node.items()}
    return node


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A Stripe-Signature header, made exactly as Stripe makes it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


class StripeError(Exception):
    def __init__(self, status: int, message: str, code: str = "", type_="invalid_request_error"):
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": type_, "code": code, "message": message}}


class StripeStandIn:
    def __init__(self, webhook_secret: str = WEBHOOK_SECRET, webhook_url: str = "", port: int = 0):
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        self.sessions: dict[str, dict] = {}
        self.payment_intents: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.requests: list[RecordedRequest] = []
        self.webhook_responses: list[int] = []
        self._replies: dict[str, tuple[dict, int, dict]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StripeStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_standin_{next(self._ids)}"

    def writes(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path.startswith("/v1/")]

    # What a payer or Stripe itself does, for tests to call directly.

    def pay(self, session_id: str) -> dict:
        """The payer completes checkout: a succeeded payment intent and charge."""
        with self._lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                raise StripeError(400, "This Checkout Session is no longer open.")
            intent_id, charge_id = self.new_id("pi"), self.new_id("ch")
            self.charges[charge_id] = {
                "id": charge_id,
                "object": "charge",
                "amount": session["amount_total"],
                "amount_refunded": 0,
                "refunded": False,
                "currency": session["currency"],
                "payment_intent": intent_id,
            }
            self.payment_intents[intent_id] = {
                "id": intent_id,
                "object": "payment_intent",
                "amount": session["amount_total"],
                "currency": session["currency"],
                "status": "succeeded",
                "metadata": session["_intent_metadata"],
                "latest_charge": charge_id,
            }
            session.update(status="complete", payment_status="paid", payment_intent=intent_id)
            return self.public(session)

    def expire(self, session_id: str) -> dict:
        """Stripe's own expiry of an open session."""
        with self._lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                raise StripeError(400, "Only open Checkout Sessions can be expired.")
            session["status"] = "expired"
            return self.public(session)

    def refund_in_dashboard(self, payment_intent_id: str, amount: int) -> dict:
        """Someone refunds in Stripe's dashboard, not through the portal."""
        return self._create_refund({"payment_intent": payment_intent_id, "amount": str(amount)})

    def event(self, type_: str, obj: dict) -> dict:
        return {
            "id": self.new_id("evt"),
            "object": "event",
            "type": type_,
            "created": int(time.time()),
            "livemode": False,
            "api_version": "2025-01-27.acacia",
            "data": {"object": obj},
        }

    def send_webhook(self, event: dict) -> int:
        payload = json.dumps(event)
        request = urllib.request.Request(  # noqa: S310 - the URL is the test's live server
            self.webhook_url,
            data=payload.encode(),
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": sign(payload, self.webhook_secret),
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            self.webhook_responses.append(response.status)
            return response.status

    @staticmethod
    def public(obj: dict) -> dict:
        return {key: value for key, value in obj.items() if not key.startswith("_")}

    # The API

    def handle_api(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        parts = path.strip("/").split("/")
        with self._lock:
            match method, parts:
                case "POST", ["v1", "checkout", "sessions"]:
                    return 200, self._create_session(params)
                case "GET", ["v1", "checkout", "sessions", session_id]:
                    return 200, self.public(self._get(self.sessions, session_id))
                case "POST", ["v1", "checkout", "sessions", session_id, "expire"]:
                    self._get(self.sessions, session_id)
                    return 200, self.expire(session_id)
                case "GET", ["v1", "payment_intents", intent_id]:
                    intent = dict(self._get(self.payment_intents, intent_id))
                    if "latest_charge" in params.get("expand", []):
                        intent["latest_charge"] = self.charges[intent["latest_charge"]]
                    return 200, intent
                case "POST", ["v1", "refunds"]:
                    return 200, self._create_refund(params)
        raise StripeError(404, f"Unrecognized request URL ({method}: {path}).")

    def _get(self, objects: dict, object_id: str) -> dict:
        if object_id not in objects:
            raise StripeError(404, f"No such object: '{object_id}'", code="resource_missing")
        return objects[object_id]

    def _create_session(self, params: dict) -> dict:
        now = int(time.time())
        expires_at = int(params.get("expires_at", now + 24 * 3600))
        if not now + 30 * 60 <= expires_at <= now + 24 * 3600:
            raise StripeError(
                400, "expires_at must be between 30 minutes and 24 hours from now.", "parameter"
            )
        line = params["line_items"][0]
        amount = int(line["price_data"]["unit_amount"]) * int(line.get("quantity", 1))
        session_id = self.new_id("cs_test")
        self.sessions[session_id] = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params.get("mode"),
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": amount,
            "currency": line["price_data"]["currency"],
            "customer_email": params.get("customer_email"),
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}),
            "success_url": params["success_url"],
            "cancel_url": params["cancel_url"],
            "expires_at": expires_at,
            "payment_intent": None,
            "livemode": False,
            "url": f"{self.url}/checkout/{session_id}",
            "_intent_metadata": params.get("payment_intent_data", {}).get("metadata", {}),
        }
        return self.public(self.sessions[session_id])

    def _create_refund(self, params: dict) -> dict:
        intent = self._get(self.payment_intents, params.get("payment_intent", ""))
        charge = self.charges[intent["latest_charge"]]
        left = charge["amount"] - charge["amount_refunded"]
        amount = int(params.get("amount", left))
        if amount <= 0 or amount > left:
            raise StripeError(
                400,
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                code="amount_too_large" if left else "charge_already_refunded",
            )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        refund_id = self.new_id("re")
        self.refunds[refund_id] = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "status": "succeeded",
            "payment_intent": intent["id"],
            "charge": charge["id"],
            "metadata": params.get("metadata", {}),
        }
        return self.refunds[refund_id]

    # The hosted checkout page

    def checkout_page(self, session_id: str) -> str:
        session = self.sessions.get(session_id)
        if session is None or session["status"] != "open":
            return _page("Checkout closed", "<p>This checkout is no longer open.</p>")
        amount = f"£{session['amount_total'] / 100:,.2f}"
        return _page(
            "Pay (demonstration checkout)",
            f"<h1>Pay {html.escape(amount)}</h1>"
            "<p><strong>This is a demonstration checkout, a stand-in for Stripe's: no card is "
            "asked for and no money moves.</strong> A site with Stripe keys sends people to "
            "Stripe's own checkout instead.</p>"
            f'<form method="post" action="/checkout/{html.escape(session_id)}/pay">'
            '<button type="submit">Pay</button></form>'
            f'<p><a href="{html.escape(session["cancel_url"])}">Cancel</a></p>',
        )

    def pay_from_page(self, session_id: str) -> str:
        session = self.pay(session_id)
        if self.webhook_url:
            self.send_webhook(self.event("checkout.session.completed", session))
        return session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><main>{body}</main></body></html>"
    )


def _handler_for(standin: StripeStandIn):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - quiet in tests
            pass

        def do_GET(self):
            self._dispatch("GET")

        def do_POST(self):
            self._dispatch("POST")

        def _dispatch(self, method: str) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            if split.path.startswith("/checkout/"):
                self._checkout(method, split.path)
                return
            params = decode_form(body if method == "POST" else split.query)
            key = self.headers.get("Idempotency-Key")
            with standin._lock:
                standin.requests.append(RecordedRequest(method, split.path, key, params))
                if method == "POST" and key and key in standin._replies:
                    first_params, status, reply = standin._replies[key]
                    if first_params != params:
                        status, reply = (
                            StripeError(
                                400,
                                "Keys for idempotent requests can only be used with the same "
                                "parameters they were first used with.",
                                type_="idempotency_error",
                            ).status,
                            {"error": {"type": "idempotency_error"}},
                        )
                    self._json(status, reply, replayed=True)
                    return
                try:
                    status, reply = standin.handle_api(method, split.path, params)
                except StripeError as exc:
                    status, reply = exc.status, exc.body
                if method == "POST" and key:
                    standin._replies[key] = (params, status, reply)
            self._json(status, reply)

        def _checkout(self, method: str, path: str) -> None:
            parts = path.strip("/").split("/")
            if method == "POST" and len(parts) == 3 and parts[2] == "pay":
                try:
                    location = standin.pay_from_page(parts[1])
                except StripeError:
                    location = f"/checkout/{parts[1]}"
                self.send_response(303)
                self.send_header("Location", location)
                self.end_headers()
                return
            page = standin.checkout_page(parts[1]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def _json(self, status: int, reply: dict, replayed: bool = False) -> None:
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", f"req_standin_{len(standin.requests)}")
            if replayed:
                self.send_header("Idempotent-Replayed", "true")
            self.end_headers()
            self.wfile.write(data)

    return Handler
