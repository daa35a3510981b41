"""Merging, watchers and entity links over the real binary: what moves and what is refused,
who is notified, and links shown on both tickets."""
from openapi_util import check
from tickets_support import PNG, new_ticket, problem, unique
from test_notifications import wait_for_feed


def post(client, ticket, kind, body):
    response = client.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": kind, "body": body, "force": True})
    assert response.status_code == 201, response.text
    return response.json()


def test_merge_moves_the_thread_and_closes_the_secondary(helpdesk, admin, as_role):
    agent = as_role("Agent")
    primary = new_ticket(agent, tags=["printer"])
    secondary = new_ticket(agent, tags=["vip"])
    post(agent, primary, "reply", "p1")
    with_file = agent.post(f"/api/tickets/{secondary['id']}/messages", data={"kind": "note", "body": "s1"},
                           files=[("attachments", ("s.png", PNG, "image/png"))]).json()
    post(agent, primary, "note", "p2")
    post(agent, secondary, "reply", "s2")
    assert agent.post(f"/api/tickets/{secondary['id']}/watchers", json={"agentId": admin.me["agent"]["id"]}).status_code == 200
    merged = agent.post(f"/api/tickets/{primary['id']}/merge", json={"secondaryIds": [secondary["id"]]})
    check(helpdesk, "POST", "/api/tickets/{id}/merge", merged)
    result = merged.json()
    assert result["movedMessages"] == 2 and result["primary"]["tags"] == ["printer", "vip"]
    assert result["secondaries"][0]["status"] == "closed" and result["secondaries"][0]["mergedIntoId"] == primary["id"]
    thread = agent.get(f"/api/tickets/{primary['id']}/messages").json()["messages"]
    assert [m["body"] for m in thread if m["kind"] != "system"] == ["p1", "s1", "p2", "s2"]
    assert [m["createdAt"] for m in thread] == sorted(m["createdAt"] for m in thread)
    moved = next(m for m in thread if m["body"] == "s1")
    assert moved["id"] == with_file["id"] and moved["author"]["id"] == agent.me["agent"]["id"]
    assert moved["attachments"][0]["id"] == with_file["attachments"][0]["id"]
    assert agent.get(moved["attachments"][0]["url"]).content == PNG
    assert secondary["reference"] in thread[-1]["body"] and thread[-1]["kind"] == "system"
    left = agent.get(f"/api/tickets/{secondary['id']}/messages").json()["messages"]
    assert all(m["kind"] == "system" for m in left) and primary["reference"] in left[-1]["body"]
    opened = agent.get(f"/api/tickets/{secondary['id']}")
    assert opened.json()["mergedIntoId"] == primary["id"]
    assert opened.headers["Link"] == f'</api/tickets/{primary["id"]}>; rel="merged-into"'
    assert agent.get(f"/api/tickets/by-reference/{secondary['reference']}").json()["mergedIntoId"] == primary["id"]
    assert agent.get(f"/api/tickets/{primary['id']}").json()["mergedIntoId"] is None
    watchers = agent.get(f"/api/tickets/{primary['id']}/watchers").json()["watchers"]
    assert [w["id"] for w in watchers] == [admin.me["agent"]["id"]]
    actions = lambda t: [e["action"] for e in agent.get(f"/api/tickets/{t['id']}/timeline").json()["entries"]]
    assert "ticket.merged" in actions(primary) and "ticket.merged_into" in actions(secondary)


def test_merge_refusals_are_clear(helpdesk, as_role):
    agent = as_role("Agent")
    a, b, c = new_ticket(agent), new_ticket(agent), new_ticket(agent)
    itself = problem(agent.post(f"/api/tickets/{a['id']}/merge", json={"secondaryIds": [a["id"]]}), 422, "secondaryIds")
    assert itself["detail"] == "A ticket cannot be merged into itself."
    check(helpdesk, "POST", "/api/tickets/{id}/merge", agent.post(f"/api/tickets/{a['id']}/merge", json={"secondaryIds": [b["id"]]}))
    cycle = problem(agent.post(f"/api/tickets/{b['id']}/merge", json={"secondaryIds": [a["id"]]}), 409)
    assert cycle["detail"] == f"{b['reference']} was merged into {a['reference']}; merge into {a['reference']} instead."
    again = problem(agent.post(f"/api/tickets/{c['id']}/merge", json={"secondaryIds": [b["id"]]}), 409, "secondaryIds")
    assert again["detail"] == f"{b['reference']} was already merged into {a['reference']}."
    merged_b = agent.get(f"/api/tickets/{b['id']}").json()
    problem(agent.patch(f"/api/tickets/{b['id']}", json={"version": merged_b["version"], "status": "open"}), 422, "status")
    problem(agent.post(f"/api/tickets/{c['id']}/merge", json={"secondaryIds": []}), 422, "secondaryIds")
    problem(agent.post(f"/api/tickets/{c['id']}/merge", json={"secondaryIds": [a["id"], a["id"]]}), 422, "secondaryIds")
    problem(agent.post(f"/api/tickets/{c['id']}/merge", json={"secondaryIds": [99999999]}), 422, "secondaryIds")
    problem(agent.post(f"/api/tickets/{c['id']}/merge", json={"secondaryIds": "x"}), 422, "secondaryIds")
    problem(agent.post(f"/api/tickets/{c['id']}/merge", json={}), 422, "secondaryIds")
    problem(agent.post("/api/tickets/99999999/merge", json={"secondaryIds": [c["id"]]}), 404)


def test_watchers_are_listed_and_notified_of_replies_and_status_changes(helpdesk, admin, as_role):
    carol, bob = as_role("Supervisor"), as_role("Agent")
    ticket = new_ticket(admin)
    added = carol.post(f"/api/tickets/{ticket['id']}/watchers", json={"agentId": carol.me["agent"]["id"]})
    check(helpdesk, "POST", "/api/tickets/{id}/watchers", added)
    assert added.json()["watchers"] == [{"id": carol.me["agent"]["id"], "name": carol.me["agent"]["name"]}]
    assert carol.post(f"/api/tickets/{ticket['id']}/watchers", json={"agentId": carol.me["agent"]["id"]}).json() == added.json()
    post(bob, ticket, "reply", "watch this")
    feed = wait_for_feed(carol, lambda f: any(n["ticketId"] == ticket["id"] for n in f["notifications"]))
    assert [n["kind"] for n in feed["notifications"] if n["ticketId"] == ticket["id"]] == ["reply"]
    assert bob.patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "status": "pending"}).status_code == 200
    feed = wait_for_feed(carol, lambda f: sum(n["ticketId"] == ticket["id"] for n in f["notifications"]) == 2)
    assert feed["notifications"][0]["kind"] == "status_changed"
    listed = bob.get(f"/api/tickets/{ticket['id']}/watchers")
    check(helpdesk, "GET", "/api/tickets/{id}/watchers", listed)
    removed = bob.delete(f"/api/tickets/{ticket['id']}/watchers/{carol.me['agent']['id']}")
    check(helpdesk, "DELETE", "/api/tickets/{id}/watchers/{agentId}", removed)
    assert removed.status_code == 204
    problem(bob.delete(f"/api/tickets/{ticket['id']}/watchers/{carol.me['agent']['id']}"), 404)
    problem(bob.post(f"/api/tickets/{ticket['id']}/watchers", json={"agentId": 98765}), 422, "agentId")
    problem(bob.post(f"/api/tickets/{ticket['id']}/watchers", json={}), 422, "agentId")
    problem(bob.post("/api/tickets/99999999/watchers", json={"agentId": bob.me["agent"]["id"]}), 404)
    actions = [e["action"] for e in bob.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]]
    assert actions.count("watcher.added") == 1 and actions.count("watcher.removed") == 1


def test_links_external_and_related_tickets(helpdesk, as_role):
    agent = as_role("Agent")
    a, b = new_ticket(agent), new_ticket(agent)
    issue = agent.post(f"/api/tickets/{a['id']}/links", json={"kind": "issue", "title": "Crash on save", "url": "https://bugs.example/42"})
    check(helpdesk, "POST", "/api/tickets/{id}/links", issue)
    assert issue.status_code == 201 and issue.json()["ticket"] is None and issue.json()["url"] == "https://bugs.example/42"
    task = agent.post(f"/api/tickets/{a['id']}/links", json={"kind": "task", "title": "Call back"}).json()
    assert task["url"] is None
    related = agent.post(f"/api/tickets/{a['id']}/links", json={"kind": "ticket", "ticketId": b["id"]}).json()
    assert related["ticket"]["reference"] == b["reference"] and related["title"].startswith(b["reference"])
    from_b = agent.get(f"/api/tickets/{b['id']}/links")
    check(helpdesk, "GET", "/api/tickets/{id}/links", from_b)
    assert [(l["id"], l["ticket"]["id"]) for l in from_b.json()["links"]] == [(related["id"], a["id"])]
    problem(agent.post(f"/api/tickets/{b['id']}/links", json={"kind": "ticket", "ticketId": a["id"]}), 409, "ticketId")
    problem(agent.post(f"/api/tickets/{a['id']}/links", json={"kind": "ticket", "ticketId": a["id"]}), 422, "ticketId")
    problem(agent.post(f"/api/tickets/{a['id']}/links", json={"kind": "ticket"}), 422, "ticketId")
    problem(agent.post(f"/api/tickets/{a['id']}/links", json={"kind": "ticket", "ticketId": 99999999}), 422, "ticketId")
    for url in ("javascript:alert(1)", "ftp://files.example/x", "https://", "http://a b.example"):
        problem(agent.post(f"/api/tickets/{a['id']}/links", json={"kind": "incident", "title": "x", "url": url}), 422, "url")
    problem(agent.post(f"/api/tickets/{a['id']}/links", json={"kind": "incident", "title": " "}), 422, "title")
    problem(agent.post(f"/api/tickets/{a['id']}/links", json={"kind": "epic", "title": "x"}), 422, "kind")
    removed = agent.delete(f"/api/tickets/{b['id']}/links/{related['id']}")
    check(helpdesk, "DELETE", "/api/tickets/{id}/links/{linkId}", removed)
    assert [l["kind"] for l in agent.get(f"/api/tickets/{a['id']}/links").json()["links"]] == ["issue", "task"]
    problem(agent.delete(f"/api/tickets/{b['id']}/links/{issue.json()['id']}"), 404)
    actions = [e["action"] for e in agent.get(f"/api/tickets/{b['id']}/timeline").json()["entries"]]
    assert actions.count("link.added") == 1 and actions.count("link.removed") == 1
