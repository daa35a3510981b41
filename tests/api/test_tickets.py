"""Tickets over real HTTP: create, read, update with version checks, delete, contacts,
audit, malformed input, and the permission matrix of every ticket route."""
import pytest

from tickets_support import new_ticket, problem, unique


def test_create_returns_every_field_with_api_values(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent, priority="high", category="bug_report", channel="email", tags=["VPN", "vpn", " Urgent "],
                        dueAt="2030-01-02T03:04:05Z", status="in_progress")
    assert ticket["reference"].startswith("TKT-") and len(ticket["reference"]) >= 7
    assert (ticket["status"], ticket["priority"], ticket["category"], ticket["channel"]) == \
        ("in_progress", "high", "bug_report", "email")
    assert ticket["tags"] == ["urgent", "vpn"]
    assert ticket["dueAt"] == "2030-01-02T03:04:05Z"
    assert ticket["assignee"] is None and ticket["version"] == 1
    assert set(ticket["requester"]) == {"id", "name", "email"}
    for key in ("createdAt", "updatedAt", "firstResponseAt", "resolvedAt", "closedAt"):
        assert key in ticket


def test_requester_email_is_matched_case_insensitively(as_role):
    agent = as_role("Agent")
    email = unique("grace") + "@Example.test"
    first = new_ticket(agent, requester={"name": "Grace", "email": email})
    second = new_ticket(agent, requester={"name": "Someone Else", "email": email.upper()})
    assert first["requester"]["id"] == second["requester"]["id"]
    assert second["requester"] == {"id": first["requester"]["id"], "name": "Grace", "email": email.lower()}
    third = new_ticket(agent, requesterId=first["requester"]["id"])
    assert third["requester"]["id"] == first["requester"]["id"]


def test_get_by_id_and_by_reference(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    assert agent.get(f"/api/tickets/{ticket['id']}").json() == ticket
    by_reference = agent.get(f"/api/tickets/by-reference/{ticket['reference'].lower()}")
    assert by_reference.status_code == 200 and by_reference.json()["id"] == ticket["id"]
    problem(agent.get("/api/tickets/by-reference/TKT-999999"), 404)
    problem(agent.get("/api/tickets/by-reference/nonsense"), 404)
    problem(agent.get("/api/tickets/99999999"), 404)
    problem(agent.get("/api/tickets/abc"), 404)


def test_patch_changes_fields_bumps_version_and_audits(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    response = agent.patch(f"/api/tickets/{ticket['id']}", json={"version": 1, "status": "resolved", "priority": "low",
                                                                 "subject": "Renamed", "dueAt": "2031-05-01T00:00:00Z"})
    assert response.status_code == 200, response.text
    updated = response.json()
    assert (updated["status"], updated["priority"], updated["subject"], updated["version"]) == ("resolved", "low", "Renamed", 2)
    assert updated["resolvedAt"] is not None
    assert response.headers["ETag"] == '"v2"'
    cleared = agent.patch(f"/api/tickets/{ticket['id']}", json={"version": 2, "dueAt": None}).json()
    assert cleared["dueAt"] is None and cleared["version"] == 3
    timeline = agent.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]
    actions = [entry["action"] for entry in timeline]
    assert actions[0] == "ticket.created" and "ticket.status_changed" in actions
    status_entry = next(e for e in timeline if e["action"] == "ticket.status_changed")
    assert status_entry["before"] == {"status": "open"} and status_entry["after"] == {"status": "resolved"}
    assert status_entry["actor"]["type"] == "agent" and status_entry["actor"]["name"] == "Agent Person"


def test_stale_version_is_a_conflict_carrying_the_current_ticket(as_role):
    agent, supervisor = as_role("Agent"), as_role("Supervisor")
    ticket = new_ticket(agent)
    assert supervisor.patch(f"/api/tickets/{ticket['id']}", json={"version": 1, "priority": "urgent"}).status_code == 200
    body = problem(agent.patch(f"/api/tickets/{ticket['id']}", json={"version": 1, "priority": "low"}), 409, "version")
    assert body["currentTicket"]["priority"] == "urgent" and body["currentTicket"]["version"] == 2
    assert body["currentTicket"]["id"] == ticket["id"] and body["currentTicket"]["reference"] == ticket["reference"]
    assert agent.get(f"/api/tickets/{ticket['id']}").json()["priority"] == "urgent"


def test_if_match_carries_the_version(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    ok = agent.patch(f"/api/tickets/{ticket['id']}", json={"category": "billing"}, headers={"If-Match": '"v1"'})
    assert ok.status_code == 200 and ok.json()["category"] == "billing"
    problem(agent.patch(f"/api/tickets/{ticket['id']}", json={"category": "other"}, headers={"If-Match": '"v1"'}), 409)
    problem(agent.patch(f"/api/tickets/{ticket['id']}", json={"category": "other"}), 428, "version")
    problem(agent.patch(f"/api/tickets/{ticket['id']}", json={"version": 2, "category": "other"},
                        headers={"If-Match": '"v1"'}), 422, "version")


def test_assignment_and_unassignment(as_role):
    agent = as_role("Agent")
    me = agent.me["agent"]["id"] if "agent" in agent.me else agent.me["id"]
    ticket = new_ticket(agent, assigneeId=me)
    assert ticket["assignee"] == {"id": me, "name": "Agent Person"}
    unassigned = agent.patch(f"/api/tickets/{ticket['id']}", json={"version": 1, "assigneeId": None}).json()
    assert unassigned["assignee"] is None
    problem(agent.patch(f"/api/tickets/{ticket['id']}", json={"version": 2, "assigneeId": 987654}), 422, "assigneeId")


def test_delete_removes_the_ticket_and_keeps_its_audit(as_role):
    supervisor = as_role("Supervisor")
    ticket = new_ticket(supervisor)
    assert supervisor.delete(f"/api/tickets/{ticket['id']}").status_code == 204
    problem(supervisor.get(f"/api/tickets/{ticket['id']}"), 404)
    problem(supervisor.delete(f"/api/tickets/{ticket['id']}"), 404)
    actions = [e["action"] for e in supervisor.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]]
    assert actions[-1] == "ticket.deleted"


@pytest.mark.parametrize("body, status, field", [
    ({"description": "no subject", "requester": {"email": "x@example.test"}}, 422, "subject"),
    ({"subject": 5, "requester": {"email": "x@example.test"}}, 422, "subject"),
    ({"subject": "s", "requester": {"email": "x@example.test"}, "status": "bogus"}, 422, "status"),
    ({"subject": "s", "requester": {"email": "x@example.test"}, "tags": "one"}, 422, "tags"),
    ({"subject": "s", "requester": {"email": "x@example.test"}, "dueAt": "tomorrow"}, 422, "dueAt"),
    ({"subject": "s"}, 422, "requester"),
    ({"subject": "s", "requesterId": 99999999}, 422, "requesterId"),
    ({"subject": "s", "requester": {"email": "not an email"}}, 422, "requester.email"),
    ({"subject": "   ", "requester": {"email": "x@example.test"}}, 422, "subject"),
])
def test_invalid_tickets_are_refused_naming_the_field(as_role, body, status, field):
    agent = as_role("Agent")
    before = agent.get("/api/tickets?limit=1").json()["total"]
    problem(agent.post("/api/tickets", json=body), status, field)
    assert agent.get("/api/tickets?limit=1").json()["total"] == before


def test_malformed_bodies_are_client_errors(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    problem(agent.post("/api/tickets", data=b"{not json", headers={"Content-Type": "application/json"}), 400)
    problem(agent.post("/api/tickets", data=b"subject=x", headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)
    problem(agent.patch(f"/api/tickets/{ticket['id']}", json={"version": "one"}), 422, "version")
    problem(agent.patch(f"/api/tickets/{ticket['id']}", json={"version": 1, "priority": "meh"}), 422, "priority")
    problem(agent.patch(f"/api/tickets/{ticket['id']}", json=[1, 2]), 422)
    assert agent.get(f"/api/tickets/{ticket['id']}").json() == ticket


def test_contacts_search_read_and_create(as_role):
    agent = as_role("Agent")
    email = unique("linus") + "@example.test"
    created = agent.post("/api/contacts", json={"name": "Linus", "email": email.upper()})
    assert created.status_code == 200, created.text
    contact = created.json()
    assert contact["email"] == email and contact["name"] == "Linus"
    assert agent.post("/api/contacts", json={"name": "Other", "email": email}).json()["id"] == contact["id"]
    assert agent.get(f"/api/contacts/{contact['id']}").json() == contact
    found = agent.get("/api/contacts", params={"q": email[:12]}).json()["contacts"]
    assert contact in found
    assert agent.get("/api/contacts", params={"q": "%_\\'\""}).status_code == 200
    problem(agent.get("/api/contacts/99999999"), 404)
    problem(agent.post("/api/contacts", json={"name": "x", "email": "nope"}), 422, "email")
    problem(agent.get("/api/contacts?limit=1000"), 422, "limit")


def test_audit_log_lists_before_and_after_for_auditors_only(as_role):
    supervisor, agent = as_role("Supervisor"), as_role("Agent")
    ticket = new_ticket(agent)
    agent.patch(f"/api/tickets/{ticket['id']}", json={"version": 1, "priority": "urgent"})
    page = supervisor.get("/api/audit?limit=5").json()
    newest = page["entries"][0]
    assert newest["ticketId"] == ticket["id"] and newest["action"] == "ticket.updated"
    assert newest["before"] == {"priority": "medium"} and newest["after"] == {"priority": "urgent"}
    older = supervisor.get(f"/api/audit?limit=5&before={page['nextBefore']}").json()["entries"]
    assert all(e["id"] < page["entries"][-1]["id"] for e in older)
    problem(agent.get("/api/audit"), 403)
    problem(supervisor.get("/api/audit?before=x"), 422, "before")


# (method, path, JSON body) -> expected status per role; {id} is a fresh ticket of the test.
MATRIX = [
    ("GET", "/api/tickets", None, {"Administrator": 200, "Supervisor": 200, "Agent": 200}),
    ("POST", "/api/tickets", {"subject": "m", "requester": {"email": "m@example.test"}},
     {"Administrator": 201, "Supervisor": 201, "Agent": 201}),
    ("GET", "/api/tickets/{id}", None, {"Administrator": 200, "Supervisor": 200, "Agent": 200}),
    ("GET", "/api/tickets/by-reference/{reference}", None, {"Administrator": 200, "Supervisor": 200, "Agent": 200}),
    ("PATCH", "/api/tickets/{id}", {"version": 1, "priority": "low"}, {"Administrator": 200, "Supervisor": 200, "Agent": 200}),
    ("DELETE", "/api/tickets/{id}", None, {"Administrator": 204, "Supervisor": 204, "Agent": 403}),
    ("GET", "/api/tickets/{id}/messages", None, {"Administrator": 200, "Supervisor": 200, "Agent": 200}),
    ("POST", "/api/tickets/{id}/messages", {"kind": "note", "body": "hi"},
     {"Administrator": 201, "Supervisor": 201, "Agent": 201}),
    ("GET", "/api/tickets/{id}/timeline", None, {"Administrator": 200, "Supervisor": 200, "Agent": 200}),
    ("GET", "/api/audit", None, {"Administrator": 200, "Supervisor": 200, "Agent": 403}),
    ("GET", "/api/presets", None, {"Administrator": 200, "Supervisor": 200, "Agent": 200}),
    ("POST", "/api/tickets/bulk", {"ids": ["{id}"], "change": {"priority": "high"}},
     {"Administrator": 200, "Supervisor": 200, "Agent": 403}),
    ("POST", "/api/tickets/bulk", {"ids": ["{id}"], "delete": True},
     {"Administrator": 200, "Supervisor": 200, "Agent": 403}),
    ("GET", "/api/tickets/export.csv?tag=none-such", None, {"Administrator": 200, "Supervisor": 200, "Agent": 200}),
    ("GET", "/api/contacts?q=a", None, {"Administrator": 200, "Supervisor": 200, "Agent": 200}),
    ("GET", "/api/contacts/{requester}", None, {"Administrator": 200, "Supervisor": 200, "Agent": 200}),
    ("POST", "/api/contacts", {"email": "matrix@example.test"}, {"Administrator": 200, "Supervisor": 200, "Agent": 200}),
]


def fill(value, ticket):
    if isinstance(value, str):
        if value == "{id}":
            return ticket["id"]
        return value.format(id=ticket["id"], reference=ticket["reference"], requester=ticket["requester"]["id"])
    if isinstance(value, list):
        return [fill(v, ticket) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ticket) for k, v in value.items()}
    return value


@pytest.mark.parametrize("role", ["Administrator", "Supervisor", "Agent"])
@pytest.mark.parametrize("method, path, body, expected", MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
def test_permission_matrix(as_role, anonymous, helpdesk, role, method, path, body, expected):
    client = as_role(role)
    ticket = new_ticket(as_role("Administrator"))
    response = client.request(method, fill(path, ticket), json=fill(body, ticket))
    assert response.status_code == expected[role], response.text
    unauthenticated = anonymous.request(method, helpdesk.url(fill(path, ticket)), json=fill(body, ticket), timeout=10)
    assert unauthenticated.status_code == 401


def test_patch_changes_the_requester_by_id_or_by_email_and_audits_it(admin):
    ticket = new_ticket(admin)
    email = f"{unique('new-requester')}@example.test"
    moved = admin.patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "requester": {"name": "Nia", "email": email}})
    assert moved.status_code == 200, moved.text
    assert moved.json()["requester"]["email"] == email and moved.json()["requester"]["name"] == "Nia"
    back = admin.patch(f"/api/tickets/{ticket['id']}", json={"version": moved.json()["version"], "requesterId": ticket["requester"]["id"]})
    assert back.status_code == 200 and back.json()["requester"]["id"] == ticket["requester"]["id"]
    unknown = admin.patch(f"/api/tickets/{ticket['id']}", json={"version": back.json()["version"], "requesterId": 99999999})
    assert unknown.status_code == 422 and unknown.json()["field"] == "requesterId"
    timeline = admin.get(f"/api/tickets/{ticket['id']}/timeline").json()
    entries = timeline["entries"] if isinstance(timeline, dict) else timeline
    assert any("requester" in (entry.get("after") or {}) for entry in entries)


def test_a_first_reply_can_be_guarded_with_after_message_id_zero(admin, as_role):
    ticket = new_ticket(admin)
    colleague = as_role("Agent")
    first = colleague.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "I was first"})
    assert first.status_code == 201
    late = admin.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "me too", "afterMessageId": 0})
    assert late.status_code == 409 and late.json()["newerMessages"][0]["body"] == "I was first"
