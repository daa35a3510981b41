"""SLA in the browser: the policy editor (a server field error first, then create, edit,
delete), the SLA column, filter and preset of the ticket list with time left ticking
without refetching, and a ticket turning Breaching then Breached LIVE on the ticket page
and on the board of a server started with `--test-clock`."""
import re
import tempfile
import threading
import uuid
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, PASSWORD, SCREENSHOTS, api_fixtures, login, screenshot, watched_page

ALWAYS = {"start": "00:00", "end": "00:00", "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}
NAMES = {"on_track": "On track", "breaching": "Breaching", "breached": "Breached", "paused": "Paused", "met": "Met"}


def new_ticket(client, subject, **fields):
    response = client.post("/api/tickets", json={"subject": subject, "description": "Created for an SLA test.",
                                                 "requester": {"email": "robin@example.org", "name": "Robin Requester"}, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_policy_editor_shows_the_server_field_error_then_creates_edits_and_deletes(page, api_as):
    name = f"Gold {uuid.uuid4().hex[:6]}"
    login(page, path="/settings/sla")
    expect(page.get_by_role("heading", name="SLA policies")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Standard")).to_contain_text("Default")
    page.get_by_role("button", name="New policy").click()
    page.get_by_label("Name", exact=True).fill(name)
    urgent = page.locator("#t-firstResponse-urgent")
    urgent.fill("0")
    page.get_by_role("button", name="Create policy").click()
    expect(urgent).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#t-firstResponse-urgent-error")).to_contain_text("between 1 and")
    expect(urgent).to_be_focused()
    # Targets are entered with explicit units of business time (a day = the policy's hours).
    page.get_by_label("Urgent first response unit").select_option("minutes")
    urgent.fill("90")
    expect(page.locator("#hint-firstResponse-urgent")).to_have_text("90 business minutes")
    page.get_by_label("High first response unit").select_option("days")
    page.locator("#t-firstResponse-high").fill("2")
    expect(page.locator("#hint-firstResponse-high")).to_have_text("2 business days (960 business minutes)")
    page.locator("#t-firstResponse-high").fill("4")
    page.get_by_label("High first response unit").select_option("hours")
    for priority, amount in (("urgent", "30"), ("high", "2"), ("medium", "4"), ("low", "1")):
        page.get_by_label(f"{priority.capitalize()} next response unit").select_option("minutes" if priority == "urgent" else "hours" if priority != "low" else "days")
        page.locator(f"#t-nextResponse-{priority}").fill(amount)
    page.get_by_label("Sat").check()
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("Date", exact=True).fill("2026-12-25")
    page.get_by_role("button", name="Add holiday").click()
    expect(page.get_by_role("button", name="Remove holiday 2026-12-25")).to_be_visible()
    page.get_by_label(re.compile("^Warn when")).fill("30")
    screenshot(page, "sla-policy-editor")
    page.get_by_role("button", name="Create policy").click()
    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("Urgent: 90 business minutes")
    expect(row).to_contain_text("High: 4 business hours")
    saved = next(p for p in api_as().get("/api/sla-policies").json()["policies"] if p["name"] == name)
    assert saved["firstResponse"]["urgent"] == 90 and saved["firstResponse"]["high"] == 240 and saved["nextResponse"]["low"] == 480
    assert saved["timeZone"] == "Europe/Berlin" and saved["holidays"] == ["2026-12-25"] and saved["warningPercent"] == 30
    assert "sat" in saved["hours"]["weekdays"] and saved["isDefault"] is False

    row.get_by_role("button", name=f"Edit {name}").click()
    page.get_by_label(re.compile("^Warn when")).fill("0")
    page.get_by_role("button", name="Save policy").click()
    expect(page.locator("#policy-warning")).to_have_attribute("aria-invalid", "true")
    page.get_by_label(re.compile("^Warn when")).fill("40")
    page.get_by_role("button", name="Remove holiday 2026-12-25").click()
    page.get_by_role("button", name="Save policy").click()
    expect(row).to_contain_text("40 %")
    saved = api_as().get(f"/api/sla-policies/{saved['id']}").json()
    assert saved["warningPercent"] == 40 and saved["holidays"] == []

    row.get_by_role("button", name=f"Delete {name}").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)
    assert api_as().get(f"/api/sla-policies/{saved['id']}").status_code == 404
    expect(page.get_by_role("row").filter(has_text="Standard").get_by_role("button", name="Delete Standard")).to_have_count(0)


def test_an_agent_without_sla_manage_is_not_offered_the_editor(page):
    login(page, "agent@example.test", path="/settings/sla")
    expect(page.get_by_role("heading", name="SLA policies")).to_have_count(0)
    expect(page.get_by_role("link", name="SLA policies")).to_have_count(0)


def test_list_shows_sla_ticks_down_and_filters_by_status_and_preset(page, api_as):
    word = f"slalist{uuid.uuid4().hex[:6]}"
    ticket = new_ticket(api_as(), f"SLA column {word}", priority="urgent")
    status = ticket["sla"]["status"]
    page.clock.install(time=datetime.now(timezone.utc))
    login(page, path=f"/tickets?q={word}")
    row = page.locator(f"tr[data-ticket-id='{ticket['id']}']")
    badge = row.locator(".col-sla .sla")
    expect(badge).to_contain_text(NAMES[status])
    left = badge.locator("time[data-due]")
    expect(left).to_have_text(re.compile(r"(left|overdue)"))
    before = left.text_content()
    page.clock.run_for("31:00")  # the shared 30 s ticker rewrites the time left; nothing is refetched
    expect(left).not_to_have_text(before)

    page.get_by_role("button", name=re.compile(r"^Filters")).click()
    page.get_by_label("SLA", exact=True).select_option(status)
    expect(page).to_have_url(re.compile(rf"slaStatus={status}"))
    expect(row).to_be_visible()
    other = "breached" if status != "breached" else "on_track"
    page.get_by_label("SLA", exact=True).select_option(other)
    expect(page).to_have_url(re.compile(rf"slaStatus={other}"))
    expect(row).to_have_count(0)

    page.goto("/tickets")
    presets = page.get_by_role("navigation", name="Presets")
    expect(presets.get_by_role("link", name="My open tickets")).to_be_visible()
    expect(presets.get_by_role("link", name="Urgent unassigned")).to_be_visible()
    expect(page.locator("td.col-sla .sla").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "sla-list.png"))  # the first screenful: the SLA column beside Priority
    presets.get_by_role("link", name="SLA breaching").click()
    expect(page).to_have_url(re.compile(r"preset=sla-breaching"))
    expect(presets.get_by_role("link", name="SLA breaching")).to_have_attribute("aria-current", "page")
    wanted = [t["id"] for t in api_as().get("/api/tickets", params={"preset": "sla-breaching", "limit": 50}).json()["tickets"]]
    expect(page.locator("tbody tr")).to_have_count(len(wanted))
    shown = [int(i) for i in page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.ticketId)")]
    assert sorted(shown) == sorted(wanted)
    for text in page.locator("td.col-sla .sla-name").all_text_contents():
        assert text in ("Breaching", "Breached")


@pytest.fixture(scope="module")
def clocked():
    """Its own server, started with --test-clock, so the test may move its clock."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-browser-clock-") as data_dir:
        done = api_fixtures.cli("user", "add", "--email", ADMIN, "--name", "Ada Admin", "--role", "Administrator",
                                "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        running = api_fixtures.start_server(data_dir, "--test-clock")
        threading.Thread(target=lambda: [None for _ in running.process.stdout], daemon=True).start()
        yield running
        api_fixtures.stop_server(running)


def test_a_ticket_turns_breaching_then_breached_live_on_the_ticket_page_and_the_board(browser, clocked):
    admin = api_fixtures.Client(clocked, ADMIN)
    policy = admin.post("/api/sla-policies", json={
        "name": "Tiny", "firstResponse": {"urgent": 10, "high": 60, "medium": 120, "low": 240},
        "resolution": {"urgent": 100, "high": 600, "medium": 1200, "low": 2400}, "hours": ALWAYS, "timeZone": "UTC",
        "warningPercent": 50})
    assert policy.status_code == 201, policy.text
    word = f"clock{uuid.uuid4().hex[:6]}"
    ticket = new_ticket(admin, f"Breach me {word}", priority="urgent")
    errors = []
    ticket_page = watched_page(browser, clocked, errors)
    board = watched_page(browser, clocked, errors, viewport={"width": 1600, "height": 900})
    try:
        login(ticket_page, path=f"/tickets/{ticket['id']}")
        panel = ticket_page.locator("hd-sla-panel")
        expect(panel.get_by_label("Policy")).to_have_value("1")
        panel.get_by_label("Policy").select_option(str(policy.json()["id"]))  # PUT /api/tickets/:id/sla-policy
        expect(panel.locator("tr[data-metric='first_response']")).to_contain_text("10 business minutes")
        assert admin.get(f"/api/tickets/{ticket['id']}").json()["sla"]["policyId"] == policy.json()["id"]
        login(board, path=f"/board?q={word}")
        for page in (ticket_page, board):
            expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
        card = board.locator(f".board-card[data-ticket-id='{ticket['id']}'] .sla")
        status = panel.locator(".sla-status .sla")
        expect(status).to_contain_text("On track")
        expect(card).to_contain_text("On track")
        expect(card).to_contain_text(re.compile(r"\d+m left"))

        assert admin.post("/api/test/clock", json={"advanceSeconds": 6 * 60}).status_code == 200  # warning at 5 of 10 min
        expect(status).to_contain_text("Breaching")
        expect(card).to_contain_text("Breaching")
        expect(status).to_have_attribute("data-sla", "breaching")
        screenshot(board, "sla-board")

        assert admin.post("/api/test/clock", json={"advanceSeconds": 5 * 60}).status_code == 200  # breach at 10 min
        expect(status).to_contain_text("Breached")
        expect(status).to_contain_text("overdue")
        expect(card).to_contain_text("Breached")
        expect(panel.locator("tr[data-metric='first_response']")).to_contain_text("Breached")
        expect(panel.locator("tr[data-metric='resolution']")).to_contain_text("left")
        screenshot(ticket_page, "sla-ticket-panel")
        screenshot(board, "sla-board-breached")
    finally:
        ticket_page.context.close()
        board.context.close()
    assert errors == [], errors
