"""A ticket turns Breaching then Breached live, without sleeping on the wall clock: a server
started with `--test-clock` is moved forward with POST /api/test/clock, and the scheduler's
timer fires `sla.warning` then `sla.breached` to the ticket room, a notification to the
assignee's feed, and the ticket appears under slaStatus=breached."""
import asyncio
import tempfile
import threading

import pytest

from conftest import PASSWORD, Client, cli, start_server, stop_server
from openapi_util import check
from test_live import next_of, open_live, run, subscribe
from tickets_support import new_ticket, unique

EMAIL = "clock-admin@example.test"
ALWAYS = {"start": "00:00", "end": "00:00", "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}
MINUTE = 60


@pytest.fixture(scope="module")
def clocked():
    """A second server, on its own data folder, whose clock tests may move."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-clock-") as data_dir:
        done = cli("user", "add", "--email", EMAIL, "--name", "Clock Admin", "--role", "Administrator",
                   "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        server = start_server(data_dir, "--test-clock")
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        yield server
        stop_server(server)


def advance(client, seconds):
    response = client.post("/api/test/clock", json={"advanceSeconds": seconds})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_test_clock_route_does_not_exist_without_the_flag(admin):
    assert admin.post("/api/test/clock", json={"advanceSeconds": 60}).status_code == 404


def test_the_test_clock_refuses_going_back_or_too_far(clocked):
    admin = Client(clocked, EMAIL)
    for seconds in (0, -5, 400 * 86_400):
        response = admin.post("/api/test/clock", json={"advanceSeconds": seconds})
        assert response.status_code == 422 and response.json()["field"] == "advanceSeconds"


def test_an_urgent_ticket_turns_breaching_then_breached_live(clocked):
    admin = Client(clocked, EMAIL)
    me = admin.me["agent"]["id"]
    policy = admin.post("/api/sla-policies", json={
        "name": unique("Tiny"), "firstResponse": {"urgent": 10, "high": 60, "medium": 120, "low": 240},
        "resolution": {"urgent": 100, "high": 600, "medium": 1200, "low": 2400}, "hours": ALWAYS, "timeZone": "UTC",
        "warningPercent": 50}).json()
    ticket = new_ticket(admin, priority="urgent", assigneeId=me)
    moved = admin.put(f"/api/tickets/{ticket['id']}/sla-policy", json={"policyId": policy["id"]}).json()
    assert moved["sla"]["status"] == "on_track"
    room = f"ticket:{ticket['id']}"
    is_first_response = lambda m: m["event"].get("metric") == "first_response"

    async def scenario():
        ws = await open_live(clocked, admin)
        await subscribe(ws, room)
        await subscribe(ws, "board")
        await subscribe(ws, "notifications")
        advance(admin, 6 * MINUTE)  # past the warning at 5 of 10 minutes
        warning = await next_of(ws, "event", room, lambda m: m["event"]["kind"] == "sla.warning" and is_first_response(m))
        assert warning["event"]["ticketId"] == ticket["id"]
        assert warning["event"]["ticket"]["sla"]["status"] == "breaching"
        await next_of(ws, "event", "board", lambda m: m["event"]["kind"] == "sla.warning")
        note = await next_of(ws, "event", "notifications", lambda m: m["event"]["kind"] == "notification.created")
        assert note["event"]["notification"]["kind"] == "sla_warning"
        advance(admin, 5 * MINUTE)  # past the breach at 10 minutes
        breach = await next_of(ws, "event", room, lambda m: m["event"]["kind"] == "sla.breached" and is_first_response(m))
        assert breach["event"]["ticket"]["sla"]["status"] == "breached"
        metric = {m["metric"]: m for m in breach["event"]["ticket"]["sla"]["metrics"]}["first_response"]
        assert metric["breached"] and metric["breachedAt"] == breach["event"]["at"]
        note = await next_of(ws, "event", "notifications",
                             lambda m: m["event"]["notification"]["kind"] == "sla_breached")
        assert note["event"]["notification"]["ticketId"] == ticket["id"]
        await ws.close()

    run(scenario())
    kinds = [n["kind"] for n in admin.get("/api/notifications").json()["notifications"] if n["ticketId"] == ticket["id"]]
    assert "sla_warning" in kinds and "sla_breached" in kinds
    breached = check(clocked, "GET", "/api/tickets", admin.get("/api/tickets", params={"slaStatus": "breached"}))
    assert ticket["id"] in [t["id"] for t in breached.json()["tickets"]]
    preset = admin.get("/api/tickets", params={"preset": "sla-breaching"}).json()["tickets"]
    assert ticket["id"] in [t["id"] for t in preset]
    actions = [e["action"] for e in admin.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]]
    assert "sla.warning" in actions and "sla.breached" in actions
