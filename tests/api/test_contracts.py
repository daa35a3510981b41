"""Issue 17's contract rules against the real server: readable refusals, 404 vs 405, the
rules the product states (Closed is read-only, SLA hours to 24:00, a policy chosen at
creation, policy moves audited and live, external links with their status text)."""
import json

from openapi_util import document
from test_live import open_live, next_of, run, subscribe
from tickets_support import new_ticket, problem, unique


def test_a_bad_enum_value_names_the_allowed_values_not_a_swift_type(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    body = problem(agent.patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "status": "nope"}), 422, "status")
    assert body["detail"] == "status must be one of: open, pending, in_progress, on_hold, resolved, closed."
    assert "initialize" not in body["detail"] and "TicketStatus" not in body["detail"]
    typed = problem(agent.patch(f"/api/tickets/{ticket['id']}", json={"version": "one"}), 422, "version")
    assert typed["detail"] == "version must be an integer."
    missing = problem(agent.post("/api/tickets", json={"description": "no subject"}), 422, "subject")
    assert missing["detail"] == "subject is required."


def test_a_wrong_content_type_says_application_json(helpdesk, as_role):
    agent = as_role("Agent")
    refused = problem(agent.post("/api/tickets", data="subject=x", headers={"Content-Type": "text/plain"}), 415)
    assert refused["detail"] == "Send the body as application/json."
    for path in document(helpdesk)["paths"].values():
        for operation in path.values():
            for answer in operation.get("responses", {}).values() if isinstance(operation, dict) else []:
                assert "jsonBody" not in answer.get("description", "")


def test_a_static_path_answers_405_for_other_methods_and_timeline_404_for_unknown_tickets(as_role):
    agent = as_role("Agent")
    refused = problem(agent.delete("/api/tickets/bulk"), 405)
    assert "method not allowed" in refused["detail"]
    assert agent.delete("/api/tickets/bulk").headers["Allow"] == "POST"
    problem(agent.get("/api/tickets/999999/timeline"), 404)
    problem(agent.get("/api/tickets/abc/timeline"), 404)
    ticket = new_ticket(agent)
    assert agent.get(f"/api/tickets/{ticket['id']}/timeline").status_code == 200


def test_the_preset_parameter_lists_every_preset_the_server_offers(helpdesk, as_role):
    offered = {preset["id"] for preset in as_role("Agent").get("/api/presets").json()["presets"]}
    parameter = next(p for p in document(helpdesk)["paths"]["/api/tickets"]["get"]["parameters"] if p["name"] == "preset")
    assert set(parameter["schema"]["enum"]) == offered and "sla-breaching" in offered


def test_a_closed_ticket_refuses_replies_notes_and_edits_until_reopened(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    closed = agent.patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "status": "closed"}).json()
    for kind in ("reply", "note"):
        body = problem(agent.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": kind, "body": "late"}), 409)
        assert "reopen" in body["detail"]
    problem(agent.patch(f"/api/tickets/{ticket['id']}", json={"version": closed["version"], "priority": "urgent"}), 409, "status")
    problem(agent.patch(f"/api/tickets/{ticket['id']}", json={"version": closed["version"], "status": "open", "priority": "urgent"}),
            409, "status")
    reopened = agent.patch(f"/api/tickets/{ticket['id']}", json={"version": closed["version"], "status": "open"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    assert agent.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "note", "body": "back"}).status_code == 201


def test_business_hours_end_at_24_00_and_a_policy_is_chosen_at_creation(as_role):
    supervisor, agent = as_role("Supervisor"), as_role("Agent")
    targets = {"urgent": 60, "high": 120, "medium": 240, "low": 480}
    created = supervisor.post("/api/sla-policies", json={
        "name": unique("Round the clock"), "firstResponse": targets, "resolution": targets,
        "hours": {"start": "00:00", "end": "24:00", "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}})
    assert created.status_code == 201, created.text
    policy = created.json()
    assert policy["hours"]["start"] == "00:00" and policy["hours"]["end"] == "24:00"
    evening = supervisor.patch(f"/api/sla-policies/{policy['id']}", json={"hours": {"start": "18:00", "end": "00:00", "weekdays": ["mon"]}})
    assert evening.json()["hours"]["end"] == "24:00"
    problem(supervisor.patch(f"/api/sla-policies/{policy['id']}", json={"hours": {"start": "24:00", "end": "08:00", "weekdays": ["mon"]}}),
            422, "hours.start")
    problem(supervisor.patch(f"/api/sla-policies/{policy['id']}", json={"hours": {"start": "08:00", "end": "24:30", "weekdays": ["mon"]}}),
            422, "hours.end")

    ticket = new_ticket(agent, slaPolicyId=policy["id"])
    assert ticket["sla"]["policyId"] == policy["id"]
    problem(agent.post("/api/tickets", json={"subject": "x", "requester": {"email": "x@example.test"}, "slaPolicyId": 999999}),
            422, "slaPolicyId")
    first = agent.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"][0]
    assert first["action"] == "ticket.created" and first["after"]["slaPolicy"] == policy["name"]


def test_moving_a_ticket_to_another_policy_is_audited_and_sent_live(helpdesk, as_role):
    agent, supervisor = as_role("Agent"), as_role("Supervisor")
    policies = agent.get("/api/sla-policies").json()["policies"]
    default = next(p for p in policies if p["isDefault"])
    targets = {"urgent": 30, "high": 60, "medium": 120, "low": 240}
    other = supervisor.post("/api/sla-policies", json={"name": unique("Gold"), "firstResponse": targets, "resolution": targets}).json()
    ticket = new_ticket(agent)

    async def scenario():
        ws = await open_live(helpdesk, agent)
        await subscribe(ws, f"ticket:{ticket['id']}")
        moved = agent.put(f"/api/tickets/{ticket['id']}/sla-policy", json={"policyId": other["id"]})
        assert moved.status_code == 200, moved.text
        event = await next_of(ws, "event", f"ticket:{ticket['id']}",
                              lambda m: m["event"]["kind"] == "ticket.updated" and m["event"]["changedFields"] == ["slaPolicy"])
        assert event["event"]["ticket"]["sla"]["policyId"] == other["id"]
        await ws.close()

    run(scenario())
    entry = agent.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"][-1]
    assert entry["action"] == "ticket.sla_policy_changed"
    assert entry["before"]["slaPolicy"] == default["name"] and entry["after"]["slaPolicy"] == other["name"]


def test_external_links_carry_their_status_text_and_say_they_are_external(as_role):
    agent = as_role("Agent")
    ticket, related = new_ticket(agent), new_ticket(agent)
    issue = agent.post(f"/api/tickets/{ticket['id']}/links",
                       json={"kind": "issue", "title": "Crash on save", "url": "https://issues.example.test/42", "statusText": "In progress"})
    assert issue.status_code == 201, issue.text
    assert issue.json()["external"] is True and issue.json()["statusText"] == "In progress"
    changed = agent.patch(f"/api/tickets/{ticket['id']}/links/{issue.json()['id']}", json={"statusText": "Fixed in 2.3"})
    assert changed.status_code == 200 and changed.json()["statusText"] == "Fixed in 2.3"
    linked = agent.post(f"/api/tickets/{ticket['id']}/links", json={"kind": "ticket", "ticketId": related["id"]}).json()
    assert linked["external"] is False and linked["ticket"]["status"] == "open"
    problem(agent.patch(f"/api/tickets/{ticket['id']}/links/{linked['id']}", json={"statusText": "x"}), 422, "statusText")
    actions = [e["action"] for e in agent.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]]
    assert "link.updated" in actions
