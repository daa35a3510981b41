"""Requester access links: an agent issues, reads, regenerates and gives an expiry to a
ticket's link; the token opens that ticket only; every token that opens nothing gets the
same answer in similar time; the portal is rate-limited per address and per token; every
change is audited and logged."""
import base64
import os
import statistics
import tempfile
import threading
import time

import pytest
import requests

from conftest import PASSWORD, Client, cli, client_address, start_server, stop_server, pg_databases
from openapi_util import check
from tickets_support import new_ticket, problem

EMAIL = "portal-admin@example.test"
LINK = "/api/tickets/{id}/access-link"


@pytest.fixture(scope="module")
def clocked():
    """A server of its own whose clock the tests move (expiry without sleeping)."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-portal-") as data_dir:
        done = cli("user", "add", "--email", EMAIL, "--name", "Portal Admin", "--role", "Administrator",
                   "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        server = start_server(data_dir, "--test-clock", "--trusted-proxy", "127.0.0.1")
        log = []
        threading.Thread(target=lambda: [log.append(line) for line in server.process.stdout], daemon=True).start()
        server.log = log
        yield server
        stop_server(server)


def advance(client, seconds):
    response = client.post("/api/test/clock", json={"advanceSeconds": seconds})
    assert response.status_code == 200, response.text


def portal(server, token, address=None, path="/api/portal/ticket"):
    """A portal request as an anonymous browser from a fresh address."""
    headers = {"X-Forwarded-For": address or client_address()}
    if token is not None:
        headers["Portal-Token"] = token
    return requests.get(server.url(path), headers=headers, timeout=10)


def issue(client, ticket_id, **body):
    response = client.post(LINK.format(id=ticket_id), json=body) if body else client.post(LINK.format(id=ticket_id))
    check(client.server, "POST", "/api/tickets/{id}/access-link", response)
    assert response.status_code == 201, response.text
    return response.json()["link"]


def test_a_ticket_has_no_link_until_one_is_issued(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    response = check(helpdesk, "GET", "/api/tickets/{id}/access-link", agent.get(LINK.format(id=ticket["id"])))
    assert response.json() == {"ticketId": ticket["id"], "link": None}


def test_an_issued_link_opens_its_ticket_and_can_be_copied_again(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    link = issue(agent, ticket["id"])
    token = link["token"]
    assert len(base64.urlsafe_b64decode(token + "=")) == 32, "256 bits of token"
    assert link["url"] == f"{helpdesk.base_url}/portal#{token}"
    assert link["generation"] == 1 and link["expiresAt"] is None and link["expired"] is False
    again = agent.get(LINK.format(id=ticket["id"])).json()["link"]
    assert again["token"] == token, "the ticket page shows the same link again to copy"
    opened = check(helpdesk, "GET", "/api/portal/ticket", portal(helpdesk, token))
    assert opened.status_code == 200
    body = opened.json()
    assert body["reference"] == ticket["reference"] and body["subject"] == ticket["subject"]
    assert body["status"] == "open" and body["statusText"]
    assert opened.headers["Cache-Control"] == "no-store"


def test_the_database_holds_only_the_tokens_hash(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    token = issue(agent, ticket["id"])["token"]
    with pg_databases.connect(helpdesk.data_dir) as db:
        rows = db.execute("SELECT token_hash, nonce FROM ticket_access_links WHERE ticket_id = ?", (ticket["id"],)).fetchall()
        dump = "\n".join(db.iterdump())
    assert len(rows) == 1 and len(rows[0][0]) == 32
    assert token not in dump and base64.urlsafe_b64decode(token + "=").hex() not in dump.lower()
    key = os.path.join(helpdesk.data_dir, "access-link.key")
    assert os.stat(key).st_mode & 0o777 == 0o600


def test_regenerating_stops_the_old_link_at_once(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    old = issue(agent, ticket["id"])["token"]
    new = issue(agent, ticket["id"])
    assert new["generation"] == 2 and new["token"] != old
    assert portal(helpdesk, new["token"]).status_code == 200
    problem(portal(helpdesk, old), 404)


def test_a_link_opens_only_its_own_ticket(helpdesk, as_role):
    agent = as_role("Agent")
    first, second = new_ticket(agent), new_ticket(agent)
    token = issue(agent, first["id"])["token"]
    issue(agent, second["id"])
    body = portal(helpdesk, token).json()
    assert body["reference"] == first["reference"]
    # No route takes a ticket id or reference: the token alone decides the ticket.
    for path in (f"/api/portal/ticket?id={second['id']}", f"/api/portal/ticket?reference={second['reference']}"):
        assert portal(helpdesk, token, path=path).json()["reference"] == first["reference"]
    # The portal token is no session: agent routes refuse it.
    response = requests.get(helpdesk.url(f"/api/tickets/{first['id']}"), headers={"Portal-Token": token}, timeout=10)
    assert response.status_code == 401


def test_every_token_that_opens_nothing_gets_the_same_answer(clocked):
    admin = Client(clocked, EMAIL)
    expired_ticket, replaced_ticket, deleted_ticket = new_ticket(admin), new_ticket(admin), new_ticket(admin)
    expired = issue(admin, expired_ticket["id"], expiresAt=clocked_now(admin, 3600))["token"]
    replaced = issue(admin, replaced_ticket["id"])["token"]
    issue(admin, replaced_ticket["id"])
    deleted = issue(admin, deleted_ticket["id"])["token"]
    assert admin.delete(f"/api/tickets/{deleted_ticket['id']}").status_code == 204
    advance(admin, 3601)
    random = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
    bad = {"expired": expired, "replaced": replaced, "deleted": deleted, "random": random, "short": "abc",
           "empty": "", "long": "x" * 5000, "not base64": "!!!! ????", "missing": None}
    answers = {}
    for name, token in bad.items():
        response = check(clocked, "GET", "/api/portal/ticket", portal(clocked, token))
        answers[name] = (response.status_code, response.headers["Content-Type"], response.content)
    assert len(set(answers.values())) == 1, answers
    assert answers["random"][0] == 404


def clocked_now(client, plus_seconds):
    """The server clock plus `plus_seconds`, as ISO 8601 (the clocked server runs ahead of the wall)."""
    now = client.post("/api/test/clock", json={"advanceSeconds": 1}).json()["now"]
    from datetime import datetime, timedelta
    at = datetime.fromisoformat(now.replace("Z", "+00:00")) + timedelta(seconds=plus_seconds)
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_expiry_closes_the_link_and_lifting_it_reopens(clocked):
    admin = Client(clocked, EMAIL)
    ticket = new_ticket(admin)
    token = issue(admin, ticket["id"], expiresAt=clocked_now(admin, 600))["token"]
    assert portal(clocked, token).status_code == 200
    advance(admin, 601)
    problem(portal(clocked, token), 404)
    state = admin.get(LINK.format(id=ticket["id"])).json()["link"]
    assert state["expired"] is True and state["token"] == token
    lifted = check(clocked, "PATCH", "/api/tickets/{id}/access-link", admin.patch(LINK.format(id=ticket["id"]), json={"expiresAt": None}))
    assert lifted.json()["link"]["expiresAt"] is None and lifted.json()["link"]["token"] == token
    assert portal(clocked, token).status_code == 200


def test_an_expiry_must_be_in_the_future(clocked):
    admin = Client(clocked, EMAIL)
    ticket = new_ticket(admin)
    past = clocked_now(admin, -60)
    problem(check(clocked, "POST", "/api/tickets/{id}/access-link", admin.post(LINK.format(id=ticket["id"]), json={"expiresAt": past})), 422, "expiresAt")
    problem(admin.patch(LINK.format(id=ticket["id"]), json={"expiresAt": None}), 404)
    problem(admin.post(LINK.format(id=ticket["id"]), json={"expiresAt": "tomorrow"}), 422, "expiresAt")


def test_bad_tokens_answer_in_similar_time(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    old = issue(agent, ticket["id"])["token"]
    issue(agent, ticket["id"])
    shapes = {"replaced": old, "random": base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="),
              "short": "a", "long": "y" * 4000}
    times = {name: [] for name in shapes}
    # Round-robin, so a load spike on the shared machine hits every shape alike.
    for _ in range(20):
        for name, token in shapes.items():
            started = time.perf_counter()
            assert portal(helpdesk, token).status_code == 404
            times[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) for name, values in times.items()}
    spread = max(medians.values()) - min(medians.values())
    # One hash and one indexed lookup for every shape: the medians differ by noise only.
    assert spread < 0.005, medians


def test_refused_tokens_stop_an_address_but_not_others(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    token = issue(agent, ticket["id"])["token"]
    guesser = client_address()
    answers = [portal(helpdesk, base64.urlsafe_b64encode(os.urandom(32)).decode(), address=guesser).status_code for _ in range(20)]
    assert answers == [404] * 20
    limited = check(helpdesk, "GET", "/api/portal/ticket", portal(helpdesk, token, address=guesser))
    problem(limited, 429)
    assert int(limited.headers["Retry-After"]) > 0
    assert portal(helpdesk, token).status_code == 200, "another address still opens the link"


def test_one_token_is_limited_across_addresses(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    token = issue(agent, ticket["id"])["token"]
    answers = [portal(helpdesk, token).status_code for _ in range(61)]
    assert answers[:60] == [200] * 60 and answers[60] == 429


def test_managing_links_needs_ticket_update(helpdesk, as_role, anonymous):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    assert anonymous.get(helpdesk.url(LINK.format(id=ticket["id"]))).status_code == 401
    assert anonymous.post(helpdesk.url(LINK.format(id=ticket["id"]))).status_code == 401
    problem(agent.get(LINK.format(id=999_999)), 404)


def test_link_changes_are_audited_and_logged_without_the_token(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    first = issue(agent, ticket["id"])["token"]
    second = issue(agent, ticket["id"], expiresAt="2099-01-01T00:00:00Z")["token"]
    agent.patch(LINK.format(id=ticket["id"]), json={"expiresAt": None})
    timeline = agent.get(f"/api/tickets/{ticket['id']}/timeline").json()
    entries = timeline["entries"] if isinstance(timeline, dict) else timeline
    actions = [e["action"] for e in entries]
    assert actions[-3:] == ["access_link.issued", "access_link.regenerated", "access_link.expiry_changed"]
    with pg_databases.connect(helpdesk.data_dir) as db:
        events = db.execute("SELECT payload FROM events WHERE type = 'ticket.access_link_changed' AND ticket_id = ?",
                            (ticket["id"],)).fetchall()
        audit = db.execute("SELECT coalesce(before_json, '') || after_json FROM audit_log WHERE ticket_id = ?", (ticket["id"],)).fetchall()
    assert [p for (p,) in events if '"regenerated"' in p] and len(events) == 3
    for (text,) in events + audit:
        assert first not in text and second not in text
