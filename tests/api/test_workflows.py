"""Workflows over the real binary: CRUD and audit, validation naming the field, a run on a
ticket event with its run log and timeline entry, dry runs against a ticket and a pasted
email, and a catastrophic pattern that leaves the server responsive.

Workflows here only match subjects carrying a unique word and are deleted after, so they
never touch other tests' tickets; none has an enabled email trigger (that would move new
email from the default rule to the workflows for the whole shared server)."""
import time

import requests

from openapi_util import check
from tickets_support import new_ticket, problem, unique


def wait_for(condition, what, seconds=20):
    """Polls an API read until it is truthy; the deadline only bounds a failing test."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def rule(word, **extra):
    body = {"name": f"Tag {word}", "enabled": True, "trigger": {"kind": "ticket.created"},
            "conditions": {"match": "all", "conditions": [{"field": "ticket.subject", "op": "contains", "value": word}]},
            "actions": [{"type": "add_tags", "tags": ["wf-" + word[-6:]]},
                        {"type": "set_field", "field": "priority", "value": "high"},
                        {"type": "add_note", "body": "Seen by a workflow: {{ticket.reference}}"}]}
    body.update(extra)
    return body


def test_crud_reorder_and_audit(helpdesk, admin):
    word = unique("crud")
    created = admin.post("/api/workflows", json=rule(word, enabled=False))
    check(helpdesk, "POST", "/api/workflows", created)
    assert created.status_code == 201 and created.headers["Location"] == f"/api/workflows/{created.json()['id']}"
    wf = created.json()
    assert wf["enabled"] is False and wf["trigger"] == {"kind": "ticket.created"} and len(wf["actions"]) == 3
    second = admin.post("/api/workflows/templates/auto-responder", json={"enabled": False})
    check(helpdesk, "POST", "/api/workflows/templates/{key}", second)
    assert second.status_code == 201 and second.json()["name"] == "Auto-responder"
    listed = admin.get("/api/workflows")
    check(helpdesk, "GET", "/api/workflows", listed)
    ids = [w["id"] for w in listed.json()["workflows"]]
    reordered = admin.post("/api/workflows/reorder", json={"ids": ids[::-1]})
    check(helpdesk, "POST", "/api/workflows/reorder", reordered)
    assert [w["id"] for w in reordered.json()["workflows"]] == ids[::-1]
    patched = admin.patch(f"/api/workflows/{wf['id']}", json={"enabled": True, "name": "Renamed"})
    check(helpdesk, "PATCH", "/api/workflows/{id}", patched)
    assert patched.json()["enabled"] is True and patched.json()["name"] == "Renamed"
    audit = admin.get("/api/audit", params={"limit": 20}).json()["entries"]
    assert {"workflow.created", "workflow.updated", "workflow.reordered"} <= {e["action"] for e in audit}
    for w in (wf, second.json()):
        assert admin.delete(f"/api/workflows/{w['id']}").status_code == 204
    problem(admin.get(f"/api/workflows/{wf['id']}"), 404)
    problem(admin.post("/api/workflows/templates/nope"), 404)


def test_bad_input_names_the_field(admin):
    cases = [
        ({**rule("x"), "name": " "}, "name"),
        ({**rule("x"), "conditions": {"match": "all", "conditions": [{"field": "ticket.colour", "op": "equals", "value": "x"}]}},
         "conditions[0].field"),
        ({**rule("x"), "conditions": {"match": "all", "conditions": [{"field": "email.subject", "op": "matches", "value": "(a)\\1"}]}},
         "conditions[0].value"),
        ({**rule("x"), "actions": []}, "actions"),
        ({**rule("x"), "actions": [{"type": "set_field", "field": "priority", "value": "sky-high"}]}, "actions[0].value"),
        ({**rule("x"), "actions": [{"type": "create_ticket"}]}, "actions[0].type"),
        ({**rule("x"), "actions": [{"type": "send_email", "to": "address", "address": "nope", "subject": "s", "body": "b"}]},
         "actions[0].address"),
        ({**rule("x"), "trigger": {"kind": "time.elapsed", "status": "pending"}}, "trigger.hours"),
        ({**rule("x"), "trigger": {"kind": "ticket.exploded"}}, "trigger.kind"),
    ]
    for body, field in cases:
        problem(admin.post("/api/workflows", json=body), 422, field)
    tested = admin.post("/api/workflows/test-pattern", json={"pattern": "(?=x)y"})
    assert tested.status_code == 200 and tested.json()["valid"] is False and "Lookaround" in tested.json()["error"]
    tested = admin.post("/api/workflows/test-pattern", json={"pattern": "^inv(oice)?\\b", "sample": "Invoice 42"})
    assert tested.json() == {"valid": True, "matches": True}


def test_a_run_acts_on_the_ticket_logs_once_and_shows_on_the_timeline(helpdesk, admin, as_role):
    word = unique("run")
    wf = admin.post("/api/workflows", json=rule(word)).json()
    try:
        agent = as_role("Agent")
        ticket = new_ticket(agent, subject=f"Printer {word} broke")
        other = new_ticket(agent, subject="Unrelated")
        runs = wait_for(lambda: admin.get("/api/workflows/runs", params={"ticketId": ticket["id"]}).json()["runs"], "the run")
        check(helpdesk, "GET", "/api/workflows/runs", admin.get("/api/workflows/runs", params={"ticketId": ticket["id"]}))
        [run] = runs
        assert run["workflowId"] == wf["id"] and run["outcome"] == "done" and run["depth"] == 1
        assert [a["status"] for a in run["actions"]] == ["done", "done", "done"]
        assert run["conditions"] == [{"field": "ticket.subject", "op": "contains", "value": word, "matched": True}]
        one = admin.get(f"/api/workflows/runs/{run['id']}")
        check(helpdesk, "GET", "/api/workflows/runs/{id}", one)
        after = agent.get(f"/api/tickets/{ticket['id']}").json()
        assert after["priority"] == "high" and ("wf-" + word[-6:]) in after["tags"]
        timeline = agent.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]
        ran = [e for e in timeline if e["action"] == "workflow.ran"]
        assert len(ran) == 1 and ran[0]["after"]["run"] == run["id"]
        notes = [m for m in agent.get(f"/api/tickets/{ticket['id']}/messages").json()["messages"] if m["kind"] == "note"]
        assert notes[-1]["body"] == f"Seen by a workflow: {ticket['reference']}"
        assert agent.get(f"/api/tickets/{other['id']}").json()["priority"] == "medium"
        assert admin.get("/api/workflows/runs", params={"ticketId": other["id"]}).json()["runs"] == []
    finally:
        admin.delete(f"/api/workflows/{wf['id']}")


def test_dry_run_against_a_ticket_and_a_pasted_email(helpdesk, admin, as_role):
    ticket = new_ticket(as_role("Agent"), subject="Invoice 2024 is wrong")
    body = {"conditions": {"match": "any", "conditions": [
        {"field": "email.subject", "op": "matches", "value": "\\binvoice\\b"},
        {"field": "email.from", "op": "ends_with", "value": "@bigcustomer.com"}]},
        "actions": [{"type": "create_ticket", "category": "billing"}, {"type": "set_field", "field": "priority", "value": "high"}]}
    email = ("From: Ann <ann@BigCustomer.com>\nTo: support@desk.test\nSubject: Hello there\nAuto-Submitted: auto-replied\n\nHi!\n")
    dry = admin.post("/api/workflows/dry-run", json={**body, "email": email})
    check(helpdesk, "POST", "/api/workflows/dry-run", dry)
    result = dry.json()
    assert result["matched"] is True and [c["matched"] for c in result["conditions"]] == [False, True]
    assert result["actions"][0].startswith("create a ticket from the email") and "category billing" in result["actions"][0]
    on_ticket = admin.post("/api/workflows/dry-run", json={
        "conditions": {"match": "all", "conditions": [{"field": "ticket.subject", "op": "starts_with", "value": "invoice"}]},
        "actions": [{"type": "add_tags", "tags": ["billing"]}], "ticketId": ticket["id"]})
    assert on_ticket.json() == {"matched": True, "actions": ["add tags billing"],
                                "conditions": [{"field": "ticket.subject", "op": "starts_with", "value": "invoice", "matched": True}]}
    problem(admin.post("/api/workflows/dry-run", json={"conditions": {"match": "all", "conditions": []}}), 422, "ticketId")
    problem(admin.post("/api/workflows/dry-run", json={"ticketId": 999999999}), 404)


def test_a_catastrophic_pattern_leaves_the_server_responsive(helpdesk, admin, as_role):
    """`(a+)+$` on 30,000 letters takes a backtracking engine longer than the age of the
    universe; ours is linear, so the run completes and other requests are served at once."""
    word = unique("redos")
    wf = admin.post("/api/workflows", json={
        "name": "ReDoS", "enabled": True, "trigger": {"kind": "ticket.created"},
        "conditions": {"match": "all", "conditions": [
            {"field": "ticket.subject", "op": "contains", "value": word},
            {"field": "ticket.description", "op": "matches", "value": "(a+)+$"}]},
        "actions": [{"type": "add_tags", "tags": ["never"]}]})
    assert wf.status_code == 201, wf.text
    try:
        agent = as_role("Agent")
        hostile = new_ticket(agent, subject=f"Hostile {word}", description="a" * 30_000 + "!")
        matching = new_ticket(agent, subject=f"Matching {word}", description="aaaa")
        started = time.monotonic()
        assert requests.get(helpdesk.url("/healthz"), timeout=5).status_code == 200
        assert agent.get("/api/tickets", params={"limit": 1}).status_code == 200
        assert time.monotonic() - started < 2
        wait_for(lambda: admin.get("/api/workflows/runs", params={"ticketId": matching["id"]}).json()["runs"], "the matching run")
        assert admin.get("/api/workflows/runs", params={"ticketId": hostile["id"]}).json()["runs"] == []
        assert "never" not in agent.get(f"/api/tickets/{hostile['id']}").json()["tags"]
    finally:
        admin.delete(f"/api/workflows/{wf.json()['id']}")


def test_catalog_lists_what_the_builder_offers(helpdesk, admin):
    catalog = admin.get("/api/workflows/catalog")
    check(helpdesk, "GET", "/api/workflows/catalog", catalog)
    body = catalog.json()
    assert "email.received" in body["triggers"] and "matches" in body["operators"] and body["maxDepth"] == 3
    assert {t["key"] for t in body["templates"]} == {"email-to-ticket", "auto-responder"}
