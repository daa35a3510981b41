"""Ticket lists over real HTTP: every filter, presets, sorts, keyset pagination, full-text
search with hostile input, bulk changes with audit entries, and the CSV export."""
import csv
import io

import pytest

from tickets_support import new_ticket, problem, unique


@pytest.fixture
def batch(as_role):
    """Six tickets sharing a fresh tag, across statuses, priorities, categories and channels."""
    agent = as_role("Agent")
    tag = unique("batch")
    me = agent.me["agent"]["id"]
    specs = [
        dict(status="open", priority="urgent", category="billing", channel="email"),
        dict(status="pending", priority="high", category="technical", channel="web", assigneeId=me),
        dict(status="in_progress", priority="medium", category="account", channel="phone", assigneeId=me),
        dict(status="on_hold", priority="low", category="feature_request", channel="chat"),
        dict(status="resolved", priority="urgent", category="bug_report", channel="internal"),
        dict(status="closed", priority="urgent", category="other", channel="web", assigneeId=me),
    ]
    tickets = [new_ticket(agent, tags=[tag], **spec) for spec in specs]
    return agent, tag, tickets


def ids(client, query):
    response = client.get("/api/tickets", params=query)
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()["tickets"]]


@pytest.mark.parametrize("query, expected", [
    ({"status": "open"}, [0]),
    ({"status": "open,pending"}, [0, 1]),
    ({"status": ["on_hold", "closed"]}, [3, 5]),
    ({"priority": "urgent"}, [0, 4, 5]),
    ({"category": "feature_request,bug_report"}, [3, 4]),
    ({"channel": "web"}, [1, 5]),
    ({"assignee": "me"}, [1, 2, 5]),
    ({"assignee": "none"}, [0, 3, 4]),
    ({"assignee": "any"}, [1, 2, 5]),
    ({"preset": "my-open"}, [1, 2]),
    ({"preset": "urgent-unassigned"}, [0]),
    ({"preset": "urgent-unassigned", "priority": "urgent,low"}, [0, 3]),
])
def test_each_filter(batch, query, expected):
    agent, tag, tickets = batch
    found = ids(agent, {**query, "tag": tag})
    assert sorted(found) == sorted(tickets[i]["id"] for i in expected)


def test_assignee_by_id_requester_and_dates(batch, as_role):
    agent, tag, tickets = batch
    me = agent.me["agent"]["id"]
    assert sorted(ids(agent, {"tag": tag, "assignee": str(me)})) == sorted(tickets[i]["id"] for i in (1, 2, 5))
    requester = tickets[0]["requester"]["id"]
    assert ids(agent, {"requester": requester}) == [tickets[0]["id"]]
    created = tickets[0]["createdAt"]
    assert len(ids(agent, {"tag": tag, "createdFrom": created[:10], "createdTo": created[:10]})) == 6
    assert ids(agent, {"tag": tag, "createdTo": "2000-01-01"}) == []
    assert ids(agent, {"tag": tag, "updatedFrom": "2999-01-01T00:00:00Z"}) == []
    assert len(ids(agent, {"tag": tag, "updatedTo": "2999-01-01T00:00:00Z"})) == 6


def test_full_text_search_and_hostile_input(as_role):
    agent = as_role("Agent")
    word = unique("zebra").replace("-", "")
    ticket = new_ticket(agent, subject=f"Printer {word} jammed")
    other = new_ticket(agent)
    agent.post(f"/api/tickets/{other['id']}/messages", json={"kind": "note", "body": f"mentions {word} too"})
    assert sorted(ids(agent, {"q": word})) == sorted([ticket["id"], other["id"]])
    assert ids(agent, {"q": word[:8]}) != []
    for hostile in ['"', "NEAR(a b", "*", "a OR", "'; DROP TABLE tickets; --", "^x", "col:val", "()", "ÿ" * 400]:
        response = agent.get("/api/tickets", params={"q": hostile})
        assert response.status_code == 200, (hostile, response.text)
    problem(agent.get("/api/tickets", params={"q": "x" * 501}), 422, "q")
    # NUL is refused, never cut short after validation.
    for with_nul in ["\u0000", f"{word}\u0000x", "printer\u0000 OR *"]:
        problem(agent.get("/api/tickets", params={"q": with_nul}), 422, "q")


@pytest.mark.parametrize("sort", ["updated", "-updated", "created", "-created", "priority", "-priority", "due", "reference",
                                  "-reference"])
def test_pagination_has_no_gaps_or_duplicates(batch, sort):
    agent, tag, tickets = batch
    seen, cursor, pages = [], None, 0
    while True:
        query = {"tag": tag, "limit": 2, "sort": sort, **({"cursor": cursor} if cursor else {})}
        page = agent.get("/api/tickets", params=query).json()
        assert page["total"] == 6
        seen += [t["id"] for t in page["tickets"]]
        pages += 1
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == 6 and set(seen) == {t["id"] for t in tickets}
    assert seen == ids(agent, {"tag": tag, "sort": sort, "limit": 50})


def test_sort_orders(batch):
    agent, tag, tickets = batch
    by_priority = agent.get("/api/tickets", params={"tag": tag, "sort": "priority"}).json()["tickets"]
    assert [t["priority"] for t in by_priority] == ["urgent"] * 3 + ["high", "medium", "low"]
    references = [t["reference"] for t in agent.get("/api/tickets", params={"tag": tag, "sort": "reference"}).json()["tickets"]]
    assert references == [t["reference"] for t in tickets]
    assert ids(agent, {"tag": tag, "sort": "-created"}) == [t["id"] for t in reversed(tickets)]


@pytest.mark.parametrize("query, field", [
    ({"status": "bogus"}, "status"), ({"status": "open,nope"}, "status"), ({"priority": "URGENT!"}, "priority"),
    ({"category": "x"}, "category"), ({"channel": "fax"}, "channel"), ({"assignee": "someone"}, "assignee"),
    ({"requester": "-1"}, "requester"), ({"createdFrom": "yesterday"}, "createdFrom"), ({"updatedTo": "2024-13-45"}, "updatedTo"),
    ({"sort": "colour"}, "sort"), ({"limit": "0"}, "limit"), ({"limit": "201"}, "limit"), ({"limit": "ten"}, "limit"),
    ({"cursor": "garbage"}, "cursor"), ({"preset": "sla-panicking"}, "preset"), ({"slaStatus": "late"}, "slaStatus"), ({"colour": "red"}, "colour"),
    ({"tag": ["a", "b"]}, "tag"),
])
def test_bad_list_parameters_are_422_naming_them(as_role, query, field):
    problem(as_role("Agent").get("/api/tickets", params=query), 422, field)


def test_cursor_of_another_sort_is_refused(batch):
    agent, tag, _ = batch
    cursor = agent.get("/api/tickets", params={"tag": tag, "limit": 1, "sort": "created"}).json()["nextCursor"]
    problem(agent.get("/api/tickets", params={"tag": tag, "cursor": cursor, "sort": "-created"}), 422, "cursor")


def test_presets_are_listed_with_their_filter(as_role):
    presets = as_role("Agent").get("/api/presets").json()["presets"]
    by_id = {p["id"]: p for p in presets}
    assert by_id["my-open"]["name"] == "My Open Tickets"
    assert by_id["my-open"]["filter"] == {"status": "open,pending,in_progress,on_hold", "assignee": "me"}
    assert by_id["urgent-unassigned"]["filter"]["priority"] == "urgent"


def test_bulk_update_by_ids_audits_each_ticket_and_reports_skips(batch, as_role):
    _, tag, tickets = batch
    supervisor = as_role("Supervisor")
    chosen = [tickets[0]["id"], tickets[5]["id"], 99999999]
    response = supervisor.post("/api/tickets/bulk", json={"ids": chosen, "change": {"status": "pending", "priority": "low"}})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["updated"] == [tickets[0]["id"]] and result["deleted"] == []
    assert sorted(s["id"] for s in result["skipped"]) == sorted([tickets[5]["id"], 99999999])
    assert supervisor.get(f"/api/tickets/{tickets[0]['id']}").json()["status"] == "pending"
    entries = supervisor.get(f"/api/tickets/{tickets[0]['id']}/timeline").json()["entries"]
    bulk = [e for e in entries if e["action"] == "ticket.bulk_updated"]
    assert {"status": "open"} in [e["before"] for e in bulk] and {"status": "pending"} in [e["after"] for e in bulk]


def test_bulk_by_filter_then_bulk_delete(batch, as_role):
    _, tag, tickets = batch
    supervisor = as_role("Supervisor")
    me = supervisor.me["agent"]["id"]
    result = supervisor.post("/api/tickets/bulk", json={"filter": {"tag": tag, "priority": ["urgent"]},
                                                       "change": {"assigneeId": me}}).json()
    # tickets[5] is Closed (archived, read-only): skipped.
    assert sorted(result["updated"]) == sorted(tickets[i]["id"] for i in (0, 4))
    assert [s["id"] for s in result["skipped"]] == [tickets[5]["id"]]
    assert ids(supervisor, {"tag": tag, "assignee": str(me)}) != []
    deleted = supervisor.post("/api/tickets/bulk", json={"filter": {"tag": tag, "status": "closed"}, "delete": True}).json()
    assert deleted["deleted"] == [tickets[5]["id"]]
    problem(supervisor.get(f"/api/tickets/{tickets[5]['id']}"), 404)
    actions = [e["action"] for e in supervisor.get(f"/api/tickets/{tickets[5]['id']}/timeline").json()["entries"]]
    assert actions[-1] == "ticket.bulk_deleted"


@pytest.mark.parametrize("body, field", [
    ({"ids": [1], "change": {"status": "nope"}}, "change.status"),
    ({"ids": [], "change": {"status": "open"}}, "ids"),
    ({"ids": ["x"], "change": {"status": "open"}}, "ids.[0]"),
    ({"change": {"status": "open"}}, "ids"),
    ({"ids": [1], "filter": {}, "change": {}}, "ids"),
    ({"ids": [1]}, "change"),
    ({"ids": [1], "change": {"status": "open"}, "delete": True}, "change"),
    ({"filter": {"status": "bogus"}, "delete": True}, "filter.status"),
    ({"filter": {"colour": "red"}, "delete": True}, "filter.colour"),
    ({"filter": {"status": {"a": 1}}, "delete": True}, "filter.status"),
])
def test_bad_bulk_requests_change_nothing(batch, as_role, body, field):
    _, tag, tickets = batch
    supervisor = as_role("Supervisor")
    problem(supervisor.post("/api/tickets/bulk", json=body), 422, field)
    after = supervisor.get("/api/tickets", params={"tag": tag, "sort": "reference"}).json()["tickets"]
    assert [(t["id"], t["version"]) for t in after] == [(t["id"], t["version"]) for t in tickets]


def test_csv_export_quotes_and_neutralises_formulas(as_role):
    agent = as_role("Agent")
    tag = unique("csv")
    nasty = '=HYPERLINK("http://evil.test","click"), "quoted"\nnext line'
    first = new_ticket(agent, subject=nasty, tags=[tag], requester={"name": "@SUM(A1)", "email": unique("c") + "@example.test"})
    second = new_ticket(agent, subject="Ünïcödé ✓", tags=[tag], priority="urgent")
    response = agent.get("/api/tickets/export.csv", params={"tag": tag, "sort": "reference"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="tickets.csv"'
    text = response.content.decode("utf-8")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][:3] == ["Reference", "Subject", "Status"]
    assert [r[0] for r in rows[1:]] == [first["reference"], second["reference"]]
    assert rows[1][1] == "'" + nasty and rows[1][6] == "'@SUM(A1)"
    assert rows[2][1] == "Ünïcödé ✓" and rows[2][3] == "Urgent"
    urgent_only = agent.get("/api/tickets/export.csv", params={"tag": tag, "priority": "urgent"}).text
    assert len(list(csv.reader(io.StringIO(urgent_only, newline="")))) == 2
    assert agent.get("/api/tickets/export.csv", params={"tag": tag, "bom": "1"}).content.startswith(b"\xef\xbb\xbf")
    problem(agent.get("/api/tickets/export.csv", params={"status": "nope"}), 422, "status")
