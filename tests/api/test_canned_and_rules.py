"""Canned responses and auto-assignment rules over the real binary: CRUD, search, rendering,
rule order and rotation, the audit entry of an automatic assignment, and malformed input."""
from openapi_util import check
from tickets_support import new_ticket, problem, unique

# Rules made here only match this combination, which no other test creates, and are deleted after.
NICHE = {"category": "other", "priority": "low", "channel": "internal"}
NICHE_CONDITIONS = {"categories": ["other"], "priorities": ["low"], "channels": ["internal"]}


def test_canned_crud_search_and_render(helpdesk, admin, as_role):
    agent = as_role("Agent")
    word = unique("kw")
    created = admin.post("/api/canned-responses", json={
        "title": f"Refund {word}", "category": "billing",
        "body": "Hi {{requester.firstName}}, {{ticket.reference}} ({{ticket.subject}}) is refunded. {{agent.name}} {{nope}}"})
    check(helpdesk, "POST", "/api/canned-responses", created)
    assert created.status_code == 201 and created.headers["Location"].endswith(str(created.json()["id"]))
    response = created.json()
    assert response["category"] == "billing" and response["createdBy"]["id"] == admin.me["agent"]["id"]
    found = agent.get("/api/canned-responses", params={"q": f"REFUND {word.upper()}"})
    check(helpdesk, "GET", "/api/canned-responses", found)
    assert [r["id"] for r in found.json()["cannedResponses"]] == [response["id"]]
    assert agent.get("/api/canned-responses", params={"q": f"{word} %"}).json()["cannedResponses"] == []
    assert agent.get("/api/canned-responses", params={"q": word, "category": "account"}).json()["cannedResponses"] == []
    ticket = new_ticket(agent, subject="Double charge", requester={"name": "Grace Hopper", "email": f"{unique('g')}@example.test"})
    rendered = agent.post(f"/api/canned-responses/{response['id']}/render", json={"ticketId": ticket["id"]})
    check(helpdesk, "POST", "/api/canned-responses/{id}/render", rendered)
    assert rendered.json()["body"] == (f"Hi Grace, {ticket['reference']} (Double charge) is refunded. "
                                       f"{agent.me['agent']['name']} {{{{nope}}}}")
    assert rendered.json()["unknownPlaceholders"] == ["nope"]
    patched = admin.patch(f"/api/canned-responses/{response['id']}", json={"category": None, "title": "Renamed"})
    check(helpdesk, "PATCH", "/api/canned-responses/{id}", patched)
    assert patched.json()["category"] is None and patched.json()["title"] == "Renamed"
    assert admin.delete(f"/api/canned-responses/{response['id']}").status_code == 204
    problem(agent.get(f"/api/canned-responses/{response['id']}"), 404)


def test_canned_malformed_input_names_the_field(admin, as_role):
    problem(admin.post("/api/canned-responses", json={"title": " ", "body": "b"}), 422, "title")
    problem(admin.post("/api/canned-responses", json={"title": "t"}), 422, "body")
    problem(admin.post("/api/canned-responses", json={"title": "t", "body": "b", "category": "food"}), 422, "category")
    problem(admin.post("/api/canned-responses", data="{", headers={"Content-Type": "application/json"}), 400)
    problem(admin.get("/api/canned-responses", params={"category": "food"}), 422, "category")
    problem(admin.get("/api/canned-responses", params={"limit": "0"}), 422, "limit")
    problem(admin.post("/api/canned-responses/999999/render", json={"ticketId": 1}), 404)
    made = admin.post("/api/canned-responses", json={"title": "t", "body": "b"}).json()
    problem(admin.post(f"/api/canned-responses/{made['id']}/render", json={"ticketId": "x"}), 422, "ticketId")
    problem(admin.post(f"/api/canned-responses/{made['id']}/render", json={"ticketId": 99999999}), 404)
    admin.delete(f"/api/canned-responses/{made['id']}")


def test_round_robin_rule_assigns_in_rotation_and_audits_why(helpdesk, admin, as_role):
    ids = [as_role(role).me["agent"]["id"] for role in ("Administrator", "Supervisor", "Agent")]
    created = admin.post("/api/assignment-rules", json={"name": "Niche rotation", "conditions": NICHE_CONDITIONS,
                                                        "agentIds": ids, "maxOpenTickets": None})
    check(helpdesk, "POST", "/api/assignment-rules", created)
    rule = created.json()
    try:
        assert rule["method"] == "round_robin" and [a["id"] for a in rule["agents"]] == ids and rule["enabled"]
        assignees = [new_ticket(admin, **NICHE)["assignee"]["id"] for _ in range(6)]
        start = ids.index(assignees[0])
        assert assignees == [ids[(start + n) % 3] for n in range(6)]
        ticket = new_ticket(admin, **NICHE)
        timeline = admin.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]
        auto = [e for e in timeline if e["action"] == "ticket.auto_assigned"]
        assert len(auto) == 1 and auto[0]["actor"]["type"] == "system"
        assert auto[0]["after"]["rule"] == "Niche rotation" and auto[0]["after"]["reason"].startswith("round robin, next after ")
        # Disabled rules are kept but skipped.
        disabled = admin.patch(f"/api/assignment-rules/{rule['id']}", json={"enabled": False})
        check(helpdesk, "PATCH", "/api/assignment-rules/{id}", disabled)
        assert new_ticket(admin, **NICHE)["assignee"] is None
        assert new_ticket(admin, **{**NICHE, "priority": "high"})["assignee"] is None
    finally:
        admin.delete(f"/api/assignment-rules/{rule['id']}")


def test_category_rule_reorder_and_away_agents(helpdesk, admin, as_role):
    bob = as_role("Agent")
    bob_id, admin_id = bob.me["agent"]["id"], admin.me["agent"]["id"]
    first = admin.post("/api/assignment-rules", json={"name": "Niche A", "conditions": NICHE_CONDITIONS, "agentIds": [admin_id]}).json()
    second = admin.post("/api/assignment-rules", json={"name": "Niche B", "conditions": NICHE_CONDITIONS,
                                                       "categoryAgents": {"other": [bob_id]}}).json()
    try:
        assert second["method"] == "category_based" and second["categoryAgents"]["other"][0]["id"] == bob_id
        assert new_ticket(admin, **NICHE)["assignee"]["id"] == admin_id
        everything = [r["id"] for r in admin.get("/api/assignment-rules").json()["rules"]]
        order = [second["id"]] + [i for i in everything if i != second["id"]]
        reordered = admin.post("/api/assignment-rules/reorder", json={"ids": order})
        check(helpdesk, "POST", "/api/assignment-rules/reorder", reordered)
        assert [r["id"] for r in reordered.json()["rules"]] == order and reordered.json()["rules"][0]["position"] == 1
        ticket = new_ticket(admin, **NICHE)
        assert ticket["assignee"]["id"] == bob_id
        reason = [e for e in admin.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]
                  if e["action"] == "ticket.auto_assigned"][0]["after"]["reason"]
        assert reason.startswith("Other routing, least open tickets: ")
        # Away agents are skipped: the next rule in order applies.
        assert bob.patch(f"/api/agents/{bob_id}", json={"away": True}).status_code == 200
        assert new_ticket(admin, **NICHE)["assignee"]["id"] == admin_id
    finally:
        bob.patch(f"/api/agents/{bob_id}", json={"away": False})
        admin.delete(f"/api/assignment-rules/{first['id']}")
        admin.delete(f"/api/assignment-rules/{second['id']}")


def test_rule_malformed_input_names_the_field(admin):
    me = admin.me["agent"]["id"]
    problem(admin.post("/api/assignment-rules", json={"name": "x"}), 422, "method")
    problem(admin.post("/api/assignment-rules", json={"name": "x", "agentIds": []}), 422, "agentIds")
    problem(admin.post("/api/assignment-rules", json={"name": "x", "agentIds": [me, me]}), 422, "agentIds")
    problem(admin.post("/api/assignment-rules", json={"name": "x", "agentIds": [987654]}), 422, "agentIds")
    problem(admin.post("/api/assignment-rules", json={"name": "x", "method": "lottery", "agentIds": [me]}), 422, "method")
    problem(admin.post("/api/assignment-rules", json={"name": "x", "method": "lottery"}), 422, "method")
    problem(admin.post("/api/assignment-rules", json={"name": "x", "method": "category_based", "agentIds": [me]}), 422, "categoryAgents")
    problem(admin.post("/api/assignment-rules", json={"name": "x", "categoryAgents": {"food": [me]}}), 422, "categoryAgents")
    problem(admin.post("/api/assignment-rules", json={"name": "", "agentIds": [me]}), 422, "name")
    problem(admin.post("/api/assignment-rules", json={"name": "x", "agentIds": [me], "maxOpenTickets": 0}), 422, "maxOpenTickets")
    problem(admin.post("/api/assignment-rules", json={"name": "x", "agentIds": [me], "conditions": {"channels": ["fax"]}}), 422)
    problem(admin.post("/api/assignment-rules/reorder", json={"ids": [1, 1]}), 422, "ids")
    problem(admin.patch("/api/assignment-rules/999999", json={"enabled": True}), 404)
