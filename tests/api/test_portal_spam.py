"""Bots on the portal's public form: no captcha solution, a wrong one, a replayed one, an
expired one, the honeypot filled: each refused (the honeypot quietly) and nothing stored.
A real client with a solved challenge passes."""
import hashlib
import tempfile
import threading

import pytest
import requests

from conftest import PASSWORD, Client, cli, client_address, start_server, stop_server
from openapi_util import check
from portal_support import captcha, leading_zero_bits, solve
from tickets_support import attachment_files, new_ticket, problem
from test_portal import link, portal_reply


def replies(client, ticket_id):
    return [m for m in client.get(f"/api/tickets/{ticket_id}/messages").json()["messages"] if m["kind"] == "reply"]


def send(server, token, fields, files=()):
    parts = [(name, (None, value)) for name, value in fields.items()]
    return requests.post(server.url("/api/portal/messages"), files=parts + list(files),
                         headers={"Portal-Token": token, "X-Forwarded-For": client_address()}, timeout=10)


def test_a_challenge_is_documented_and_bounded(helpdesk):
    response = check(helpdesk, "POST", "/api/portal/captcha",
                     requests.post(helpdesk.url("/api/portal/captcha"), headers={"X-Forwarded-For": client_address()}, timeout=10))
    body = response.json()
    assert response.status_code == 201 and len(body["challenge"]) == 32 and body["difficultyBits"] >= 16


def test_bots_are_refused_and_nothing_is_stored(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    token = link(agent, ticket["id"])
    before = len(attachment_files(helpdesk))
    file = [("attachments", ("bot.txt", b"spam", "text/plain"))]
    # No solution at all.
    problem(send(helpdesk, token, {"body": "spam"}, file), 422, "captcha")
    # A challenge with a wrong nonce (and the challenge is spent by that attempt).
    issued = requests.post(helpdesk.url("/api/portal/captcha"), headers={"X-Forwarded-For": client_address()}).json()
    wrong = next(str(n) for n in range(10_000)
                 if leading_zero_bits(hashlib.sha256(f"{issued['challenge']}:{n}".encode()).digest()) < issued["difficultyBits"])
    problem(send(helpdesk, token, {"body": "spam", "captchaChallenge": issued["challenge"], "captchaNonce": wrong}), 422, "captcha")
    right = solve(issued["challenge"], issued["difficultyBits"])
    problem(send(helpdesk, token, {"body": "spam", "captchaChallenge": issued["challenge"], "captchaNonce": right}), 422, "captcha")
    # A made-up challenge, and malformed fields.
    problem(send(helpdesk, token, {"body": "spam", "captchaChallenge": "0" * 32, "captchaNonce": "1"}), 422, "captcha")
    problem(send(helpdesk, token, {"body": "spam", "captchaChallenge": "x", "captchaNonce": "-1"}), 422, "captcha")
    # A replayed solution: the first use passes, the second is refused.
    solved = captcha(helpdesk)
    assert send(helpdesk, token, {"body": "a person", **solved}).status_code == 201
    problem(send(helpdesk, token, {"body": "replayed", **solved}, file), 422, "captcha")
    # The honeypot filled: a quiet 202, nothing stored (even with a valid solution).
    quiet = send(helpdesk, token, {"body": "honeypot spam", "website": "http://spam.example", **captcha(helpdesk)}, file)
    assert check(helpdesk, "POST", "/api/portal/messages", quiet).status_code == 202
    assert quiet.json() == {"received": True}
    assert [m["body"] for m in replies(agent, ticket["id"])] == ["a person"]
    assert len(attachment_files(helpdesk)) == before


@pytest.fixture(scope="module")
def clocked():
    with tempfile.TemporaryDirectory(prefix="helpdesk-captcha-") as data_dir:
        done = cli("user", "add", "--email", "captcha@example.test", "--name", "Captcha Admin", "--role", "Administrator",
                   "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        server = start_server(data_dir, "--test-clock", "--trusted-proxy", "127.0.0.1")
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        yield server
        stop_server(server)


def test_an_expired_solution_is_refused(clocked):
    admin = Client(clocked, "captcha@example.test")
    ticket = new_ticket(admin)
    token = link(admin, ticket["id"])
    solved = captcha(clocked)
    assert admin.post("/api/test/clock", json={"advanceSeconds": 121}).status_code == 200
    problem(send(clocked, token, {"body": "late", **solved}), 422, "captcha")
    assert replies(admin, ticket["id"]) == []


def test_challenges_are_rate_limited_per_address(helpdesk):
    address = client_address()
    answers = [requests.post(helpdesk.url("/api/portal/captcha"), headers={"X-Forwarded-For": address}, timeout=10).status_code
               for _ in range(121)]
    assert answers[:120] == [201] * 120 and answers[120] == 429
