"""Unbounded input against the real binary (issue 11, item 5): every text field has a
documented maximum checked before storage, list parameters are bounded, rendering is
bounded, NUL is refused with 422, and a refused request leaves the database as it was and
the server's memory where it was."""
import json
import os

import pytest
import requests

from conftest import PASSWORD, ROLES, pg_databases
from openapi_util import document
from tickets_support import new_ticket, unique

MB = 1024 * 1024


def rss_bytes(server):
    with open(f"/proc/{server.process.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def counts(server):
    """Rows per table that a refused request must not touch."""
    db = pg_databases.connect(server.data_dir)
    try:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("tickets", "contacts", "messages", "canned_responses", "login_attempts", "roles", "agents")}
    finally:
        db.close()


def problem(response, field):
    assert response.status_code == 422, response.text[:300]
    assert response.json().get("field") == field, response.text[:300]


def test_an_11_mb_requester_name_is_refused_and_nothing_is_stored(helpdesk, as_role):
    agent = as_role("Agent")
    before, rss_before = counts(helpdesk), rss_bytes(helpdesk)
    for _ in range(3):
        response = agent.post("/api/tickets", json={"subject": "Big", "requester": {"name": "n" * (11 * MB), "email": "big@example.test"}})
        problem(response, "requester.name")
    assert counts(helpdesk) == before
    grown = rss_bytes(helpdesk) - rss_before
    print(f"RSS grew {grown / MB:.1f} MiB over three 11 MB requests")
    assert grown < 150 * MB


@pytest.mark.parametrize("path, body, field", [
    ("/api/tickets", {"subject": "s" * 251, "requester": {"email": "x@example.test"}}, "subject"),
    ("/api/tickets", {"subject": "ok", "description": "d" * 100_001, "requester": {"email": "x@example.test"}}, "description"),
    ("/api/tickets", {"subject": "ok", "tags": ["t"] * 21, "requester": {"email": "x@example.test"}}, "tags"),
    ("/api/tickets", {"subject": "ok", "tags": ["t" * 51], "requester": {"email": "x@example.test"}}, "tags"),
    ("/api/tickets", {"subject": "ok", "requester": {"name": "n" * 201, "email": "x@example.test"}}, "requester.name"),
    ("/api/tickets", {"subject": "ok", "requester": {"email": "a" * 250 + "@example.test"}}, "requester.email"),
    ("/api/contacts", {"name": "n" * 201, "email": "y@example.test"}, "name"),
    ("/api/canned-responses", {"title": "t" * 201, "body": "b"}, "title"),
    ("/api/canned-responses", {"title": "t", "body": "b" * 20_001}, "body"),
    ("/api/roles", {"name": "r" * 201, "permissions": []}, "name"),
    ("/api/agents", {"name": "a" * 201, "email": "long@example.test", "password": PASSWORD, "roleId": 3}, "name"),
    ("/api/tokens", {"name": "k" * 201}, "name"),
    ("/api/sla-policies", {"name": "p" * 101, "firstResponse": {"urgent": 30, "high": 60, "medium": 120, "low": 240},
                           "resolution": {"urgent": 120, "high": 240, "medium": 480, "low": 960}}, "name"),
    ("/api/assignment-rules", {"name": "r" * 101, "conditions": {"categories": ["other"]}, "agentIds": [1]}, "name"),
])
def test_every_text_field_has_a_maximum(admin, helpdesk, path, body, field):
    before = counts(helpdesk)
    problem(admin.post(path, json=body), field)
    assert counts(helpdesk) == before


def test_other_maxima_account_name_link_title_notifications_and_filters(admin, helpdesk):
    problem(admin.patch("/api/account", json={"name": "a" * 201}), "name")
    ticket = new_ticket(admin)
    problem(admin.post(f"/api/tickets/{ticket['id']}/links", json={"kind": "issue", "title": "t" * 201, "url": "https://x.example/1"}), "title")
    started_rss = rss_bytes(helpdesk)
    problem(admin.post("/api/notifications/read", json={"ids": list(range(1, 1_200_001))}), "ids")
    assert rss_bytes(helpdesk) - started_rss < 200 * MB
    assert admin.post("/api/notifications/read", json={"ids": list(range(1, 1_001))}).status_code == 200
    problem(admin.post("/api/tickets/bulk", json={"filter": {"status": ["open"] * 101}, "change": {"priority": "low"}}), "filter.status")
    problem(admin.get("/api/tickets", params={"tag": "t" * 51}), "tag")
    problem(admin.get("/api/tickets", params=[("status", "open")] * 101), "status")
    problem(admin.get("/api/tickets", params={"cursor": "c" * 600}), "cursor")
    problem(admin.get("/api/contacts", params={"q": "q" * 300}), "q")


def test_nul_is_refused_in_every_text_and_query_field(admin, helpdesk):
    before = counts(helpdesk)
    problem(admin.post("/api/tickets", json={"subject": "a\u0000b", "requester": {"email": "nul@example.test"}}), "subject")
    problem(admin.post("/api/tickets", json={"subject": "ok", "requester": {"name": "x\u0000", "email": "nul@example.test"}}),
            "requester.name")
    problem(admin.post("/api/tickets", json={"subject": "ok", "tags": ["fine", "b\u0000d"], "requester": {"email": "nul@example.test"}}),
            "tags[1]")
    problem(admin.post("/api/canned-responses", json={"title": "t", "body": "b\u0000"}), "body")
    # An escaped backslash followed by "u0000" is text, not a NUL.
    literal = admin.post("/api/canned-responses", json={"title": unique("literal"), "body": "\\u0000 is how JSON writes NUL"})
    assert literal.status_code == 201 and literal.json()["body"].startswith("\\u0000")
    problem(admin.get("/api/tickets", params={"q": "print\u0000er"}), "q")
    problem(requests.post(helpdesk.url("/api/session"), json={"email": ROLES["Agent"] + "\u0000", "password": PASSWORD}, timeout=10),
            "email")
    after = counts(helpdesk)
    after["canned_responses"] -= 1
    assert after == before


def test_a_canned_response_repeating_a_placeholder_cannot_render_megabytes(admin):
    ticket = new_ticket(admin, subject="s" * 250)
    body = "{{ticket.subject}}" * (20_000 // 18)
    created = admin.post("/api/canned-responses", json={"title": unique("bomb"), "body": body})
    assert created.status_code == 201
    rendered = admin.post(f"/api/canned-responses/{created.json()['id']}/render", json={"ticketId": ticket["id"]})
    problem(rendered, "body")


def test_a_failed_sign_in_never_stores_an_unbounded_email(helpdesk):
    before = counts(helpdesk)
    for _ in range(3):
        response = requests.post(helpdesk.url("/api/session"), json={"email": "e" * (5 * MB) + "@x.example", "password": "p"}, timeout=30)
        problem(response, "email")
    assert counts(helpdesk)["login_attempts"] == before["login_attempts"]
    db = pg_databases.connect(helpdesk.data_dir)
    try:
        assert db.execute("SELECT max(length(email)) FROM login_attempts").fetchone()[0] or 0 <= 254
    finally:
        db.close()


def test_the_maxima_are_in_the_openapi_document(helpdesk):
    schemas = document(helpdesk)["components"]["schemas"]
    create = schemas["NewTicket"]["properties"]
    assert create["subject"]["maxLength"] == 250 and create["description"]["maxLength"] == 100_000
    assert create["tags"]["maxItems"] == 20 and create["tags"]["items"]["maxLength"] == 50
    assert create["requester"]["properties"]["name"]["maxLength"] == 200
    assert create["requester"]["properties"]["email"]["maxLength"] == 254
    assert schemas["CreateAgentRequest"]["properties"]["password"]["minLength"] == 12
    assert schemas["CreateAgentRequest"]["properties"]["name"]["maxLength"] == 200
    assert schemas["CreateTokenRequest"]["properties"]["name"]["maxLength"] == 200
    assert schemas["LoginRequest"]["properties"]["email"]["maxLength"] == 254
    assert schemas["MarkReadRequest"]["properties"]["ids"]["maxItems"] == 1000
