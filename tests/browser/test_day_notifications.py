"""Issue 16, notifications and mentions between two agents: @mentions in notes (with their own
preference), items that say who did what, one notification for a bulk change, the unread
count in the tab title, Tab that never acts in the bell panel, the panel on a phone, the
preferences page under its Help Desk heading, and opt-in desktop notifications."""
import re

import pytest

from playwright.sync_api import expect

from conftest import AGENT, login, screenshot


@pytest.fixture(scope="module")
def api_as(module_api_as):
    """One signed-in client per agent for the whole module (conftest's `module_api_as`)."""
    return module_api_as


def new_ticket(api_as, subject, **fields):
    body = {"subject": subject, "description": "Created for a notifications test.",
            "requester": {"email": "nora@example.org", "name": "Nora Notify"}, **fields}
    response = api_as().post("/api/tickets", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def unread(api_as):
    return api_as(AGENT).get("/api/notifications").json()["unreadCount"]


def connected(page):
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")


def test_a_mention_in_a_note_notifies_the_colleague_who_can_switch_it_off(page, second_page, api_as):
    """Ada picks @Alex from the suggestions in a note; Alex's bell and tab title count it live, naming Ada; with mentions off, the next one is not stored."""
    ticket = new_ticket(api_as, "Mention me")
    api_as(AGENT).post("/api/notifications/read", json={"all": True})
    login(second_page, AGENT, path="/tickets")
    connected(second_page)
    expect(second_page.locator("button.bell .badge")).to_be_hidden()
    login(page, path=f"/tickets/{ticket['id']}")
    expect(page.locator("hd-composer hd-mention-picker")).to_be_attached()  # loaded after the page shows
    page.keyboard.press("n")
    page.keyboard.type("Please look at this, @Alex A")
    options = page.get_by_role("listbox", name="Mention a colleague")
    expect(options.get_by_role("option").first).to_contain_text("Alex Agent")
    expect(options.get_by_role("option").filter(has_text="Ada Admin")).to_have_count(0)
    page.keyboard.press("Enter")
    box = page.locator("hd-composer").get_by_label("Message", exact=True)
    expect(box).to_have_value("Please look at this, @Alex Agent ")
    page.keyboard.press("Control+Enter")
    expect(page.locator("article.kind-note").filter(has_text="@Alex Agent")).to_be_visible()

    expect(second_page.locator("button.bell .badge")).to_have_text("1")
    expect(second_page).to_have_title(re.compile(r"^\(1\) Tickets · "))
    second_page.locator("button.bell").click()
    item = second_page.get_by_role("region", name="Notifications").locator(".notification-list a").first
    expect(item).to_contain_text(f"Ada Admin mentioned you on {ticket['reference']}")

    second_page.goto("/preferences")
    helpdesk = second_page.get_by_role("region", name="Help Desk")
    helpdesk.get_by_label("A colleague mentions me in an internal note").uncheck()
    expect(second_page.locator("#toasts")).to_contain_text("preferences saved")
    assert api_as(AGENT).get("/api/notifications/preferences").json()["mentioned"] is False
    before = unread(api_as)
    posted = api_as().post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "note", "body": "@Alex Agent again", "force": True})
    assert posted.status_code == 201, posted.text
    # A later assignment arrives after the note in the event log: once it is stored, the note was handled.
    current = api_as().get(f"/api/tickets/{ticket['id']}").json()
    assigned = api_as().patch(f"/api/tickets/{ticket['id']}", json={"version": current["version"], "assigneeId": api_as(AGENT).me["agent"]["id"]})
    assert assigned.status_code == 200, assigned.text
    expect(second_page.locator("button.bell .badge")).to_have_text(str(before + 1))
    kinds = [n["kind"] for n in api_as(AGENT).get("/api/notifications?limit=2").json()["notifications"]]
    assert kinds[0] == "assigned" and kinds.count("mentioned") <= 1
    api_as(AGENT).put("/api/notifications/preferences", json={"mentioned": True})


def test_one_bulk_change_gives_one_notification(page, api_as):
    """Ada assigns three tickets to Alex at once: Alex gets a single notification naming her and the tickets."""
    tickets = [new_ticket(api_as, f"Bulk notify {n}") for n in range(3)]
    alex = api_as(AGENT)
    alex.post("/api/notifications/read", json={"all": True})
    newest = (alex.get("/api/notifications?limit=1").json()["notifications"] or [{"id": 0}])[0]["id"]
    done = api_as().post("/api/tickets/bulk", json={"ids": [t["id"] for t in tickets],
                                                    "change": {"assigneeId": alex.me["agent"]["id"], "status": "pending"}})
    assert done.status_code == 200, done.text
    login(page, AGENT, path="/tickets")
    expect(page.locator("button.bell .badge")).to_have_text("1")
    fresh = [n for n in alex.get("/api/notifications").json()["notifications"] if n["id"] > newest]
    assert len(fresh) == 1, fresh
    assert fresh[0]["title"].startswith("Ada Admin assigned 3 tickets to you: ")
    page.locator("button.bell").click()
    expect(page.get_by_role("region", name="Notifications")).to_contain_text("Ada Admin assigned 3 tickets to you")


def test_tab_through_the_bell_panel_never_acts(page, api_as):
    """Tab onto the bell does not open it; Tab past Mark all as read marks nothing; Tab past a notification follows nothing."""
    alex = api_as(AGENT)
    for subject in ("Tab safety", "Tab safety two"):  # two items, so a Tab from the first stays in the panel
        ticket = new_ticket(api_as, subject)
        assigned = api_as().patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "assigneeId": alex.me["agent"]["id"]})
        assert assigned.status_code == 200, assigned.text
    login(page, AGENT, path="/tickets")
    badge = page.locator("button.bell .badge")
    expect(badge).to_be_visible()
    count = badge.inner_text()
    page.get_by_role("combobox", name="Search tickets").focus()
    bell = page.locator("button.bell")
    for _ in range(6):
        page.keyboard.press("Tab")
        if bell.evaluate("b => b === document.activeElement"):
            break
    expect(bell).to_be_focused()
    panel = page.get_by_role("region", name="Notifications")
    expect(panel).to_be_hidden()
    page.keyboard.press("Tab")
    expect(panel).to_be_hidden()
    bell.focus()
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Mark all as read")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(panel.get_by_role("link").nth(1)).to_be_focused()
    page.keyboard.press("Tab")
    expect(panel.locator(".notification-list a").nth(1)).to_be_focused()
    expect(page).to_have_url(re.compile(r"/tickets$"))
    expect(badge).to_have_text(count)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(bell).to_be_focused()


@pytest.mark.parametrize("width", [390, 800, 1280])
def test_the_panel_stays_on_screen_at_every_width_and_scrolls(browser, server, api_as, width):
    """At a phone's, a tablet's and a laptop's width the open panel lies inside the viewport and its list scrolls when it holds more than fits."""
    alex = api_as(AGENT)
    for n in range(14):
        ticket = new_ticket(api_as, f"Panel filler {n}")
        done = api_as().patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "assigneeId": alex.me["agent"]["id"]})
        assert done.status_code == 200, done.text
    context = browser.new_context(base_url=server.base_url, viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        login(page, AGENT, path="/tickets")
        page.locator("button.bell").click()
        panel = page.get_by_role("region", name="Notifications")
        expect(panel.get_by_role("link").nth(12)).to_be_attached()
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] >= 0 and box["y"] + box["height"] <= 844, box
        sizes = page.locator(".notification-list").evaluate("l => [l.scrollHeight, l.clientHeight, getComputedStyle(l).overflowY]")
        assert sizes[0] > sizes[1] and sizes[2] == "auto", sizes
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"day-notifications-{width}")
    finally:
        context.close()


def test_desktop_notifications_are_opt_in_and_shown_only_in_a_background_tab(browser, server, api_as):
    """Turned on in Preferences (the browser's permission granted), a live notification becomes a desktop one while the tab is hidden."""
    context = browser.new_context(base_url=server.base_url, viewport={"width": 1280, "height": 900})
    context.grant_permissions(["notifications"], origin=server.base_url)
    context.add_init_script("""
      window.__shown = [];
      const Real = window.Notification;
      class Spy extends Real { constructor(title, options) { super(title, options); window.__shown.push(title); } }
      Object.defineProperty(Spy, 'permission', { get: () => Real.permission });
      Spy.requestPermission = () => Real.requestPermission();
      window.Notification = Spy;
      Object.defineProperty(document, 'hidden', { get: () => window.__hidden === true });
    """)
    page = context.new_page()
    try:
        login(page, AGENT, path="/preferences")
        expect(page.get_by_role("heading", name="Help Desk")).to_be_visible()
        box = page.get_by_label(re.compile("Show desktop notifications"))
        expect(box).not_to_be_checked()
        box.check()
        expect(page.locator("#toasts")).to_contain_text("Desktop notifications are on")
        connected(page)
        page.evaluate("window.__hidden = true")
        ticket = new_ticket(api_as, "Desktop ping")
        done = api_as().patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "assigneeId": api_as(AGENT).me["agent"]["id"]})
        assert done.status_code == 200, done.text
        page.wait_for_function("window.__shown.length > 0")
        assert page.evaluate("window.__shown")[0].startswith(f"Ada Admin assigned {ticket['reference']} to you")
    finally:
        context.close()
