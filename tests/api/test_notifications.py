"""The notification feed API: the caller's own feed, read marks and preferences."""
from openapi_util import check
from tickets_support import new_ticket


def assign(admin, ticket, agent_id):
    response = admin.patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "assigneeId": agent_id})
    assert response.status_code == 200, response.text
    return response.json()


def wait_for_feed(client, predicate, attempts=200):
    """Notifications are recorded right after the command's response; poll the API briefly."""
    for _ in range(attempts):
        feed = client.get("/api/notifications").json()
        if predicate(feed):
            return feed
    raise AssertionError("notification never arrived")


def test_preferences_switch_kinds_off_and_validate_names(helpdesk, as_role, admin):
    bob = as_role("Agent")
    response = bob.put("/api/notifications/preferences", json={"assigned": False})
    check(helpdesk, "PUT", "/api/notifications/preferences", response)
    assert response.json()["assigned"] is False and response.json()["reply"] is True
    bad = bob.put("/api/notifications/preferences", json={"everything": True})
    assert bad.status_code == 422 and bad.json()["field"] == "everything"
    wrong_type = bob.put("/api/notifications/preferences", json={"reply": "yes"})
    assert wrong_type.status_code == 422
    ticket = new_ticket(admin)
    updated = assign(admin, ticket, bob.me["agent"]["id"])
    # A status change is still on: it arrives, while the muted assignment never does.
    admin.patch(f"/api/tickets/{ticket['id']}", json={"version": updated["version"], "status": "pending"})
    feed = wait_for_feed(bob, lambda f: any(n["ticketId"] == ticket["id"] for n in f["notifications"]))
    kinds = [n["kind"] for n in feed["notifications"] if n["ticketId"] == ticket["id"]]
    assert kinds == ["status_changed"]
    bob.put("/api/notifications/preferences", json={"assigned": True})


def test_read_marks_and_paging(helpdesk, as_role, admin):
    carol = as_role("Supervisor")
    for _ in range(3):
        assign(admin, new_ticket(admin), carol.me["agent"]["id"])
    feed = wait_for_feed(carol, lambda f: f["unreadCount"] >= 3)
    check(helpdesk, "GET", "/api/notifications", carol.get("/api/notifications"))
    first = carol.get("/api/notifications?limit=2").json()["notifications"]
    after = carol.get(f"/api/notifications?limit=2&before={first[-1]['id']}").json()["notifications"]
    assert len(first) == 2 and all(n["id"] < first[-1]["id"] for n in after)
    unread_before = feed["unreadCount"]
    marked = carol.post("/api/notifications/read", json={"ids": [first[0]["id"]]})
    assert marked.json()["unreadCount"] == unread_before - 1
    assert carol.post("/api/notifications/read", json={}).status_code == 422
    assert carol.post("/api/notifications/read", json={"ids": [1], "all": True}).status_code == 422
    assert carol.get("/api/notifications?limit=0").status_code == 422
    assert carol.post("/api/notifications/read", json={"all": True}).json()["unreadCount"] == 0
    assert carol.get("/api/notifications?unread=1").json()["notifications"] == []
