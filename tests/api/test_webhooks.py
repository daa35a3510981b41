"""Signed webhooks over the real binary against a Python http.server on 127.0.0.1: the JSON
body and its HMAC-SHA256 signature over timestamp + "." + body verify with the secret shown
at creation; a 500 is retried (the server's test clock moves the backoff forward, no
sleeping); the delivery log keeps each response code; a rotated secret signs what follows;
link-local addresses are refused."""
import hashlib
import hmac
import http.server
import json
import tempfile
import threading
import time

import pytest

from conftest import PASSWORD, Client, cli, start_server, stop_server
from openapi_util import check
from tickets_support import new_ticket, problem, unique

EMAIL = "hooks-admin@example.test"


class Receiver(http.server.ThreadingHTTPServer):
    """Records every POST; answers the statuses in `script` in turn, then 200."""

    def __init__(self):
        self.requests, self.script = [], []
        super().__init__(("127.0.0.1", 0), Handler)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((dict(self.headers), body))
        status = self.server.script.pop(0) if self.server.script else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def clocked():
    with tempfile.TemporaryDirectory(prefix="helpdesk-hooks-") as data_dir:
        done = cli("user", "add", "--email", EMAIL, "--name", "Hooks Admin", "--role", "Administrator",
                   "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        server = start_server(data_dir, "--test-clock", "--trusted-proxy", "127.0.0.1")
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        yield server
        stop_server(server)


@pytest.fixture()
def receiver():
    server = Receiver()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def wait_for(condition, what, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def verify(secret, headers, body):
    expected = "sha256=" + hmac.new(secret.encode(), headers["X-Helpdesk-Timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Helpdesk-Signature"])


def hook_workflow(admin, word, webhook_id):
    r = admin.post("/api/workflows", json={
        "name": f"Hook {word}", "enabled": True, "trigger": {"kind": "ticket.created"},
        "conditions": {"match": "all", "conditions": [{"field": "ticket.subject", "op": "contains", "value": word}]},
        "actions": [{"type": "call_webhook", "webhookId": webhook_id}]})
    assert r.status_code == 201, r.text
    return r.json()


def test_signed_delivery_retried_after_a_500_and_a_rotated_secret(clocked, receiver):
    admin = Client(clocked, EMAIL)
    created = admin.post("/api/webhooks", json={"name": "Receiver", "url": f"http://127.0.0.1:{receiver.server_port}/hook?x=1"})
    check(clocked, "POST", "/api/webhooks", created)
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    hook = created.json()
    secret = hook["secret"]
    assert secret.startswith("whsec_") and "secret" not in admin.get("/api/webhooks").json()["webhooks"][0]
    word = unique("hook")
    hook_workflow(admin, word, hook["id"])

    receiver.script = [500]
    ticket = new_ticket(admin, subject=f"Server {word} down")
    [(headers, body)] = wait_for(lambda: receiver.requests, "the first attempt")
    assert headers["Content-Type"] == "application/json" and verify(secret, headers, body)
    payload = json.loads(body)
    assert payload["ticket"]["reference"] == ticket["reference"] and payload["event"]["trigger"] == "ticket.created"
    assert payload["workflow"]["name"] == f"Hook {word}"
    log = wait_for(lambda: [d for d in admin.get(f"/api/webhooks/{hook['id']}/deliveries").json()["deliveries"]
                            if d["attempts"]], "the failed attempt in the log")
    assert log[0]["state"] == "queued" and log[0]["attempts"][0]["status"] == 500

    # The first retry is 10 s later on the server's clock: move it, no sleeping.
    assert admin.post("/api/test/clock", json={"advanceSeconds": 11}).status_code == 200
    wait_for(lambda: len(receiver.requests) == 2, "the retry")
    retry_headers, retry_body = receiver.requests[1]
    assert retry_body == body and verify(secret, retry_headers, retry_body)
    assert retry_headers["X-Helpdesk-Delivery"] == headers["X-Helpdesk-Delivery"]
    delivered = wait_for(lambda: [d for d in admin.get(f"/api/webhooks/{hook['id']}/deliveries").json()["deliveries"]
                                  if d["state"] == "delivered"], "the delivered state")
    check(clocked, "GET", "/api/webhooks/{id}/deliveries", admin.get(f"/api/webhooks/{hook['id']}/deliveries"))
    assert [a["status"] for a in delivered[0]["attempts"]] == [500, 200]

    rotated = admin.post(f"/api/webhooks/{hook['id']}/rotate-secret")
    check(clocked, "POST", "/api/webhooks/{id}/rotate-secret", rotated)
    new_secret = rotated.json()["secret"]
    assert new_secret != secret
    new_ticket(admin, subject=f"Again {word}")
    wait_for(lambda: len(receiver.requests) == 3, "the third call")
    third_headers, third_body = receiver.requests[2]
    assert verify(new_secret, third_headers, third_body) and not verify(secret, third_headers, third_body)
    audit = {e["action"] for e in admin.get("/api/audit", params={"limit": 50}).json()["entries"]}
    assert {"webhook.created", "webhook.secret_rotated"} <= audit


def test_link_local_addresses_are_refused_and_bad_urls_named(clocked):
    admin = Client(clocked, EMAIL)
    problem(admin.post("/api/webhooks", json={"name": "x", "url": "ftp://example.test/"}), 422, "url")
    problem(admin.post("/api/webhooks", json={"name": "x", "url": "http://user:pw@example.test/"}), 422, "url")
    problem(admin.post("/api/webhooks", json={"name": " ", "url": "http://example.test/"}), 422, "name")
    hook = admin.post("/api/webhooks", json={"name": "Metadata", "url": "http://169.254.169.254/latest/meta-data"}).json()
    word = unique("meta")
    hook_workflow(admin, word, hook["id"])
    new_ticket(admin, subject=f"Steal {word}")
    log = wait_for(lambda: [d for d in admin.get(f"/api/webhooks/{hook['id']}/deliveries").json()["deliveries"] if d["attempts"]],
                   "the refused attempt")
    assert "link-local" in log[0]["attempts"][0]["error"] and "status" not in log[0]["attempts"][0]
    assert admin.patch(f"/api/webhooks/{hook['id']}", json={"enabled": False}).json()["enabled"] is False
    assert admin.delete(f"/api/webhooks/{hook['id']}").status_code == 204
    problem(admin.delete(f"/api/webhooks/{hook['id']}"), 404)
