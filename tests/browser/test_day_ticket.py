"""Issue 16 on the ticket page: the property bar that applies at once, Assign to me, Send & set
status, the composer back to Reply after a note, the requester panel, saving only what
changed (the due date's seconds), keyboard shortcuts with real key presses, drafts across a
reload, Undo send, readable history, and the SLA panel after the agent's own reply."""
import re

import pytest
from playwright.sync_api import expect

from conftest import login, screenshot, without_live


@pytest.fixture(scope="module")
def api_as(module_api_as):
    """One signed-in client per agent for the whole module (conftest's `module_api_as`)."""
    return module_api_as


ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def new_ticket(api_as, subject, **fields):
    body = {"subject": subject, "description": "Created for an agent's-day test.",
            "requester": {"email": "quinn@example.org", "name": "Quinn Customer"}, **fields}
    response = api_as().post("/api/tickets", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def timeline_actions(api_as, ticket):
    return [entry["action"] for entry in api_as().get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]]


def test_the_property_bar_applies_each_change_at_once_and_only_that_change(page, api_as):
    """Priority from the bar is saved at once; tags saved on Enter leave the due date (with seconds) untouched, in the API and the timeline."""
    ticket = new_ticket(api_as, "Bar applies at once", dueAt="2027-03-04T10:15:42Z")
    patches = []
    page.on("request", lambda request: patches.append(request.post_data_json) if request.method == "PATCH" else None)
    login(page, path=f"/tickets/{ticket['id']}")
    bar = page.get_by_role("form", name="Ticket properties")
    bar.get_by_label("Priority", exact=True).select_option("urgent")
    expect(page.locator("#toasts")).to_contain_text("Priority saved")
    assert api_as().get(f"/api/tickets/{ticket['id']}").json()["priority"] == "urgent"
    tags = bar.get_by_label("Tags", exact=True)
    tags.fill("vip, billing")
    tags.press("Enter")
    expect(page.locator("#toasts")).to_contain_text("Tags saved")
    saved = api_as().get(f"/api/tickets/{ticket['id']}").json()
    assert saved["tags"] == ["billing", "vip"] and saved["dueAt"] == "2027-03-04T10:15:42Z"
    assert [sorted(k for k in body if k != "version") for body in patches] == [["priority"], ["tags"]]
    entries = api_as().get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]
    assert all("dueAt" not in (entry.get("after") or {}) for entry in entries[1:]), entries
    timeline = page.locator("hd-timeline")
    expect(timeline).to_contain_text("Priority: Medium → Urgent")
    expect(timeline).to_contain_text("Tags: — → billing, vip")
    assert not ISO.search(timeline.inner_text())


def test_assign_to_me_send_and_resolve_and_back_to_reply_after_a_note(page, api_as):
    """Assign to me sets the agent; a note returns the composer to Reply; Send & set Resolved posts the reply then resolves."""
    ticket = new_ticket(api_as, "One action")
    login(page, path=f"/tickets/{ticket['id']}")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_label("Assignee", exact=True)).to_have_value(str(api_as().me["agent"]["id"]))
    expect(page.get_by_role("button", name="Assign to me")).to_be_hidden()
    composer = page.locator("hd-composer")
    composer.get_by_role("button", name="Internal note").click()
    composer.get_by_label("Message", exact=True).fill("Checked the billing system.")
    composer.get_by_role("button", name="Add note").click()
    expect(page.locator("article.kind-note").filter(has_text="Checked the billing system.")).to_be_visible()
    expect(composer.get_by_role("button", name="Reply to customer")).to_have_attribute("aria-pressed", "true")
    composer.get_by_label("Message", exact=True).fill("Your invoice is fixed.")
    composer.get_by_role("button", name="Send & set Resolved").click()
    expect(page.locator("article.kind-reply").filter(has_text="Your invoice is fixed.")).to_be_visible()
    expect(page.get_by_label("Status", exact=True)).to_have_value("resolved")
    saved = api_as().get(f"/api/tickets/{ticket['id']}").json()
    assert saved["status"] == "resolved" and saved["assignee"]["name"] == "Ada Admin"
    expect(page.locator("hd-timeline")).to_contain_text("Assignee: Unassigned → Ada Admin")
    screenshot(page, "day-ticket-after-send-and-resolve")


def test_the_requester_panel_lists_their_other_tickets(page, api_as):
    """The side panel names the requester and links their other tickets, not this one."""
    older = new_ticket(api_as, "Earlier question from Quinn")
    ticket = new_ticket(api_as, "Newest question from Quinn")
    login(page, path=f"/tickets/{ticket['id']}")
    panel = page.get_by_role("region", name="Requester", exact=True)
    expect(panel).to_contain_text("Quinn Customer")
    link = panel.get_by_role("link", name=re.compile(older["reference"]))
    expect(link).to_have_attribute("href", f"/tickets/{older['id']}")
    expect(panel.get_by_role("link", name=re.compile(ticket["reference"]))).to_have_count(0)


def test_keyboard_journey_from_the_list_to_a_reply(page, api_as):
    """Skip link, j/k and Enter in the list, then ? for the overlay, i, n, Escape, r, Ctrl+Enter, s and u on the ticket page: keys alone."""
    # Two tickets of its own, so rows other tests add or change never stand in the way.
    new_ticket(api_as, "Keyboard journey older", tags=["kbjourney"])
    new_ticket(api_as, "Keyboard journey", tags=["kbjourney"])
    login(page, path="/tickets?tag=kbjourney")
    expect(page.locator("hd-ticket-table tbody tr").first).to_be_visible()
    page.locator("body").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Skip to the tickets")).to_be_focused()
    page.keyboard.press("Enter")
    first = page.locator("hd-ticket-table tbody tr").first.locator("td.ref a")
    expect(first).to_be_focused()
    page.keyboard.press("j")
    second = page.locator("hd-ticket-table tbody tr").nth(1).locator("td.ref a")
    expect(second).to_be_focused()
    page.keyboard.press("k")
    expect(first).to_be_focused()
    reference = first.inner_text()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator("main")).to_be_focused()

    page.keyboard.press("?")
    overlay = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(overlay).to_contain_text("Assign to me")
    screenshot(page, "day-shortcuts-overlay")
    page.keyboard.press("Escape")
    expect(overlay).to_be_hidden()
    page.keyboard.press("i")
    expect(page.get_by_label("Assignee", exact=True)).to_have_value(str(api_as().me["agent"]["id"]))
    page.keyboard.press("n")
    box = page.locator("hd-composer").get_by_label("Message", exact=True)
    expect(box).to_be_focused()
    expect(page.get_by_role("button", name="Internal note")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")
    expect(box).not_to_be_focused()
    page.keyboard.press("r")
    expect(box).to_be_focused()
    expect(page.get_by_role("button", name="Reply to customer")).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("Sent from the keyboard.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("article.kind-reply").filter(has_text="Sent from the keyboard.")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("s")
    expect(page.get_by_label("Status", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("u")  # in a field: typed, not a shortcut
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    page.locator("main").focus()
    page.keyboard.press("u")
    expect(page).to_have_url(re.compile(r"/tickets$"))
    expect(page.locator("hd-ticket-table tbody tr").first).to_be_visible()


def test_a_draft_survives_a_reload_with_a_warning_before_leaving(page, api_as):
    """Text typed in the composer is kept per ticket: reloading asks first (beforeunload), then the draft is back."""
    ticket = new_ticket(api_as, "Draft keeper")
    other = new_ticket(api_as, "No draft here")
    login(page, path=f"/tickets/{ticket['id']}")
    box = page.locator("hd-composer").get_by_label("Message", exact=True)
    box.click()
    page.keyboard.type("Half a sentence I must not lose")
    expect(page.locator(".draft-state")).to_have_text("Draft saved")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.reload()
    expect(page.locator("hd-composer").get_by_label("Message", exact=True)).to_have_value("Half a sentence I must not lose")
    expect(page.locator(".draft-state")).to_have_text("Draft restored")
    assert dialogs == ["beforeunload"]
    page.goto(f"/tickets/{other['id']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("No draft here")
    expect(page.locator("hd-composer").get_by_label("Message", exact=True)).to_have_value("")


def test_undo_send_takes_the_message_back_and_send_now_posts_it(page, api_as):
    """With 5 s of Undo send chosen in Preferences, Undo puts the reply back unsent; Send now posts it once."""
    ticket = new_ticket(api_as, "Undo send")
    login(page, path="/preferences")
    page.get_by_label("Undo send").select_option("5")
    page.goto(f"/tickets/{ticket['id']}")
    composer = page.locator("hd-composer")
    composer.get_by_label("Message", exact=True).fill("Oops, wrong customer.")
    composer.get_by_role("button", name="Send reply").click()
    expect(composer.get_by_role("status").filter(has_text="Sending your reply in")).to_be_visible()
    expect(composer.get_by_label("Message", exact=True)).to_have_value("")
    composer.get_by_role("button", name="Undo").click()
    expect(composer.get_by_label("Message", exact=True)).to_have_value("Oops, wrong customer.")
    messages = api_as().get(f"/api/tickets/{ticket['id']}/messages").json()["messages"]
    assert [m for m in messages if m["kind"] == "reply"] == []
    composer.get_by_label("Message", exact=True).fill("The right answer.")
    composer.get_by_role("button", name="Send reply").click()
    composer.get_by_role("button", name="Send now").click()
    expect(page.locator("article.kind-reply").filter(has_text="The right answer.")).to_have_count(1)
    bodies = [m["body"] for m in api_as().get(f"/api/tickets/{ticket['id']}/messages").json()["messages"] if m["kind"] == "reply"]
    assert bodies == ["The right answer."]


def test_undo_of_a_bulk_change_puts_each_ticket_back(page, api_as):
    """A bulk priority change on two tickets with different priorities is undone from the bar, each back to its own value."""
    first = new_ticket(api_as, "Bulk undo one", priority="high", tags=["undomark"])
    second = new_ticket(api_as, "Bulk undo two", priority="low", tags=["undomark"])
    login(page, path="/tickets?tag=undomark")
    expect(page.locator("hd-ticket-table tbody tr")).to_have_count(2)
    page.get_by_label("Select all tickets on this page").check()
    bar = page.get_by_role("form", name="Bulk actions")
    bar.get_by_label("Priority").select_option("urgent")
    bar.get_by_role("button", name="Apply").click()
    page.get_by_role("dialog").get_by_role("button", name="Apply change").click()
    undo = page.locator(".undo-bar")
    expect(undo).to_contain_text("Updated 2 tickets")
    assert {api_as().get(f"/api/tickets/{t['id']}").json()["priority"] for t in (first, second)} == {"urgent"}
    undo.get_by_role("button", name="Undo").click()
    expect(page.locator("#toasts")).to_contain_text("Undone: 2 tickets back as they were")
    assert api_as().get(f"/api/tickets/{first['id']}").json()["priority"] == "high"
    assert api_as().get(f"/api/tickets/{second['id']}").json()["priority"] == "low"


def test_undo_of_a_board_move(page, api_as):
    """A card moved with Shift+ArrowRight goes back to its column with Undo."""
    ticket = new_ticket(api_as, "Board undo card")
    login(page, path="/board")
    card = page.locator(f".board-card[data-ticket-id='{ticket['id']}']")
    card.focus()
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator(f".board-column[data-status='pending'] .board-card[data-ticket-id='{ticket['id']}']")).to_be_visible()
    page.locator(".undo-bar").get_by_role("button", name="Undo").click()
    expect(page.locator(f".board-column[data-status='open'] .board-card[data-ticket-id='{ticket['id']}']")).to_be_visible()
    assert api_as().get(f"/api/tickets/{ticket['id']}").json()["status"] == "open"


def test_the_sla_panel_shows_business_time_svg_icons_and_refreshes_after_my_reply(page, api_as):
    """Without the live socket, the panel shows the first response met right after the agent's reply; targets read in business time; icons are SVG."""
    ticket = new_ticket(api_as, "SLA after my reply")
    without_live(page)
    login(page, path=f"/tickets/{ticket['id']}")
    panel = page.locator("hd-sla-panel")
    first = panel.locator("tr[data-metric='first_response']")
    expect(first).to_contain_text(re.compile(r"\d+ business (hours?|days?|minutes?)"))
    expect(first).not_to_contain_text("Met")
    expect(panel.locator(".sla-status svg.icon")).to_have_count(1)
    page.locator("hd-composer").get_by_label("Message", exact=True).fill("First answer.")
    page.locator("hd-composer").get_by_role("button", name="Send reply").click()
    expect(first).to_contain_text("Met")
    expect(first.locator("svg.icon-check")).to_be_visible()
    page.get_by_label("Status", exact=True).select_option("on_hold")
    expect(panel.locator("svg.icon-pause").first).to_be_visible()
    assert "⏸" not in panel.inner_text()
