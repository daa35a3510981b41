"""Live collaboration with two agents in two browser contexts: presence, typing, live
replies, the collision warning, the Kanban board, notifications, and resuming after a
dropped connection (protocol.md section 2 seen from the browser)."""
import json
import re
import uuid

from playwright.sync_api import expect

from conftest import AGENT, SCREENSHOTS, app_module, login, screenshot

LIVE = "Live updates connected"


def new_ticket(api_as, subject, **fields):
    response = api_as().post("/api/tickets", json={"subject": subject, "description": "Created for a live test.",
                                                   "requester": {"email": "robin@example.org", "name": "Robin Requester"},
                                                   **fields})
    assert response.status_code == 201, response.text
    return response.json()


def connected(page):
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")


def open_ticket(page, ticket, email):
    login(page, email, path=f"/tickets/{ticket['id']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ticket["subject"])
    connected(page)


def test_each_agent_sees_the_others_presence_typing_and_reply_live(page, second_page, api_as):
    """Ada and Alex on one ticket see each other's avatar; Alex's typing shows for Ada and clears; his reply appears once."""
    ticket = new_ticket(api_as, "Printer on fire")
    open_ticket(page, ticket, "admin@example.test")
    open_ticket(second_page, ticket, AGENT)
    expect(page.locator("hd-presence[show=viewers] .avatar")).to_have_attribute("title", "Alex Agent")
    expect(second_page.locator("hd-presence[show=viewers] .avatar")).to_have_attribute("title", "Ada Admin")
    expect(page.get_by_role("img", name="Also viewing: Alex Agent")).to_be_visible()

    second_page.locator("hd-composer").get_by_label("Message", exact=True).press_sequentially("On my way")
    typing = page.locator("hd-presence[show=typing]")
    expect(typing).to_have_text("Alex Agent is writing a reply…")
    screenshot(page, "live-ticket-presence-typing")
    second_page.get_by_role("button", name="Send reply").click()
    expect(typing).to_have_text("")
    reply = page.locator("article.kind-reply").filter(has_text="On my way")
    expect(reply).to_have_count(1)
    expect(second_page.locator("article.kind-reply").filter(has_text="On my way")).to_have_count(1)

    second_page.locator("hd-composer").get_by_role("button", name="Internal note").click()
    second_page.locator("hd-composer").get_by_label("Message", exact=True).press_sequentially("psst")
    expect(typing).to_have_text("Alex Agent is writing a note…")
    second_page.locator("hd-composer").get_by_label("Message", exact=True).fill("")
    second_page.locator("hd-composer").get_by_label("Message", exact=True).press("Backspace")
    expect(typing).to_have_text("")
    second_page.goto("/tickets")
    expect(page.locator("hd-presence[show=viewers] .avatar")).to_have_count(0)


def test_field_changes_arrive_in_place_without_clobbering_the_field_being_edited(page, api_as):
    """A status change by Alex updates Ada's header in place; tags she is typing keep her text and say what they are now."""
    ticket = new_ticket(api_as, "Live fields")
    open_ticket(page, ticket, "admin@example.test")
    page.get_by_label("Tags", exact=True).fill("mine, typed")
    alex = api_as(AGENT)
    changed = alex.patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "status": "pending"})
    assert changed.status_code == 200, changed.text
    expect(page.get_by_label("Status", exact=True)).to_have_value("pending")
    expect(page.locator(".head-line")).to_contain_text("Pending")
    again = alex.patch(f"/api/tickets/{ticket['id']}", json={"version": changed.json()["version"], "tags": ["theirs"]})
    assert again.status_code == 200, again.text
    expect(page.locator(".remote-change.clash")).to_have_text("Now theirs, saved by someone else")
    expect(page.get_by_label("Tags", exact=True)).to_have_value("mine, typed")
    deleted = api_as().delete(f"/api/tickets/{ticket['id']}")
    assert deleted.status_code == 204, deleted.text
    expect(page.get_by_role("alert").filter(has_text="was deleted")).to_contain_text(ticket["reference"])


def test_collision_warning_appears_before_sending(page, second_page, api_as):
    """Ada is writing when Alex replies: she is warned at once, sees his reply, and her send is an explicit 'anyway'."""
    ticket = new_ticket(api_as, "Refund please")
    open_ticket(page, ticket, "admin@example.test")
    open_ticket(second_page, ticket, AGENT)
    page.locator("hd-composer").get_by_label("Message", exact=True).fill("We will refund you today.")
    second_page.locator("hd-composer").get_by_label("Message", exact=True).fill("Refund is on its way.")
    second_page.get_by_role("button", name="Send reply").click()
    warning = page.locator(".collision-warning")
    expect(warning).to_contain_text("Alex Agent replied while you were writing")
    expect(page.locator("article.kind-reply").filter(has_text="Refund is on its way.")).to_be_visible()
    replies = [m for m in api_as().get(f"/api/tickets/{ticket['id']}/messages").json()["messages"] if m["kind"] == "reply"]
    assert [m["body"] for m in replies] == ["Refund is on its way."], "nothing of Ada's was sent before the warning"
    page.get_by_role("button", name="Send reply anyway").click()
    expect(page.locator("article.kind-reply").filter(has_text="We will refund you today.")).to_have_count(1)
    expect(warning).to_be_hidden()


def test_presence_shows_on_list_rows_and_board_cards(page, second_page, api_as):
    """When Alex opens a ticket, Ada sees his avatar on its list row and on its board card."""
    word = f"presence{uuid.uuid4().hex[:6]}"
    ticket = new_ticket(api_as, f"Watched {word}")
    login(page, path=f"/tickets?q={word}")
    connected(page)
    open_ticket(second_page, ticket, AGENT)
    row = page.locator(f"tr[data-ticket-id='{ticket['id']}']")
    expect(row.locator(".row-presence .avatar")).to_have_attribute("title", "Alex Agent")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Board").click()
    card = page.locator(f".board-card[data-ticket-id='{ticket['id']}']")
    expect(card.locator(".card-presence .avatar")).to_have_text("AA")
    second_page.goto("/tickets")
    expect(card.locator(".card-presence .avatar")).to_have_count(0)


def test_board_moves_appear_live_and_refused_moves_roll_back(page, second_page, api_as):
    """A drag by Ada moves the card on Alex's board; a refused move (Closed to Pending) rolls back with a message."""
    word = f"board{uuid.uuid4().hex[:6]}"
    moving = new_ticket(api_as, f"Move me {word}", priority="urgent")
    closed = new_ticket(api_as, f"Closed {word}")
    done = api_as().patch(f"/api/tickets/{closed['id']}", json={"version": closed["version"], "status": "closed"})
    assert done.status_code == 200, done.text
    for p, email in ((page, "admin@example.test"), (second_page, AGENT)):
        login(p, email, path=f"/board?q={word}")
        connected(p)
    column = lambda p, status: p.locator(f".board-column[data-status='{status}']")
    card = lambda p, t: p.locator(f".board-card[data-ticket-id='{t['id']}']")
    expect(column(second_page, "open").locator(card(second_page, moving))).to_be_visible()
    expect(card(page, moving)).to_contain_text("Robin Requester")
    expect(card(page, moving).locator(".priority")).to_have_text("Urgent")

    card(page, moving).drag_to(column(page, "pending").locator(".column-cards"))
    expect(column(page, "pending").locator(card(page, moving))).to_be_visible()
    expect(column(second_page, "pending").locator(card(second_page, moving))).to_be_visible()
    expect(page.locator(".board-message")).to_contain_text("moved to Pending")
    assert api_as().get(f"/api/tickets/{moving['id']}").json()["status"] == "pending"
    screenshot(page, "live-board")

    card(page, closed).drag_to(column(page, "pending").locator(".column-cards"))
    expect(page.get_by_role("alert").filter(has_text="Could not move")).to_contain_text(closed["reference"])
    expect(column(page, "closed").locator(card(page, closed))).to_be_visible()
    assert api_as().get(f"/api/tickets/{closed['id']}").json()["status"] == "closed"

    card(second_page, moving).focus()
    second_page.keyboard.press("Shift+ArrowRight")
    expect(column(second_page, "in_progress").locator(card(second_page, moving))).to_be_visible()
    expect(column(page, "in_progress").locator(card(page, moving))).to_be_visible()
    card(second_page, moving).get_by_role("button", name=re.compile("^Move ")).click()
    second_page.get_by_role("group", name=f"Move {moving['reference']} to").get_by_role("button", name="On Hold").click()
    expect(column(page, "on_hold").locator(card(page, moving))).to_be_visible()


def test_board_token_search_lives_in_the_url_and_wall_mode_hides_the_chrome(page, api_as):
    """`priority:urgent <word>` filters the columns and survives reload; the wall has no top bar and still updates live."""
    word = f"wall{uuid.uuid4().hex[:6]}"
    urgent = new_ticket(api_as, f"Urgent {word}", priority="urgent")
    new_ticket(api_as, f"Low {word}", priority="low")
    login(page, path="/board")
    page.get_by_label("Filter the board").fill(f"priority:urgent {word}")
    page.get_by_label("Filter the board").press("Enter")
    expect(page).to_have_url(re.compile(r"/board\?q=priority%3Aurgent"))
    expect(page.locator(".board-card")).to_have_count(1)
    page.reload()
    expect(page.locator(".board-card")).to_have_count(1)
    expect(page.locator(".board-card")).to_contain_text(urgent["reference"])
    page.get_by_role("link", name="Wall mode").click()
    expect(page.locator(".topbar")).to_be_hidden()
    connected(page)
    later = new_ticket(api_as, f"Another urgent {word}", priority="urgent")
    expect(page.locator(f".board-column[data-status='open'] .board-card[data-ticket-id='{later['id']}']")).to_be_visible()
    page.set_viewport_size({"width": 1920, "height": 1080})
    screenshot(page, "live-board-wall")
    page.keyboard.press("Escape")
    expect(page.locator(".topbar")).to_be_visible()


def test_a_notification_arrives_live_and_survives_reload(page, second_page, api_as):
    """Ada assigns a ticket to Alex: his bell counts it live, the list shows it, it survives reload and can be read."""
    ticket = new_ticket(api_as, "Needs Alex")
    login(second_page, AGENT, path="/tickets")
    connected(second_page)
    bell = second_page.locator("button.bell")
    # Other tests notify Alex too: count from the API, and let the badge show that first.
    before = api_as(AGENT).get("/api/notifications").json()["unreadCount"]
    if before:
        expect(second_page.locator("button.bell .badge")).to_have_text(str(before))
    alex_id = api_as(AGENT).me["agent"]["id"]
    assigned = api_as().patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "assigneeId": alex_id})
    assert assigned.status_code == 200, assigned.text
    expect(second_page.locator("button.bell .badge")).to_have_text(str(before + 1))
    expect(bell).to_have_accessible_name(re.compile(rf"{before + 1} unread"))
    second_page.reload()
    expect(second_page.locator("button.bell .badge")).to_have_text(str(before + 1))
    bell.click()
    panel = second_page.get_by_role("region", name="Notifications")
    item = panel.get_by_role("link").filter(has_text=ticket["reference"])
    expect(item).to_be_visible()
    expect(item).to_contain_text(f"Ada Admin assigned {ticket['reference']} to you")
    second_page.screenshot(path=str(SCREENSHOTS / "live-notifications.png"))
    item.click()
    expect(second_page).to_have_url(re.compile(rf"/tickets/{ticket['id']}$"))
    bell.click()
    if before:
        panel.get_by_role("button", name="Mark all as read").click()
    expect(second_page.locator("button.bell .badge")).to_be_hidden()
    assert api_as(AGENT).get("/api/notifications").json()["unreadCount"] == 0


def test_after_a_dropped_connection_the_page_resumes_without_duplicates(page, api_as):
    """The socket drops; replies posted meanwhile appear once after the reconnect, which resumes with `since`."""
    ticket = new_ticket(api_as, "Flaky network")
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    open_ticket(page, ticket, "admin@example.test")
    colleague = api_as(AGENT)
    first = colleague.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "Before the drop."})
    assert first.status_code == 201, first.text
    expect(page.locator("article.message").filter(has_text="Before the drop.")).to_have_count(1)

    page.context.set_offline(True)
    page.evaluate(f"async () => (await import({app_module('app/live.js')})).live.drop()")
    expect(page.locator(".live-status")).to_have_attribute("data-state", "reconnecting")
    expect(page.locator(".live-status")).to_have_text("Reconnecting…")
    missed = colleague.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "note", "body": "While you were away."})
    assert missed.status_code == 201, missed.text
    page.context.set_offline(False)
    connected(page)
    expect(page.locator("article.message").filter(has_text="While you were away.")).to_have_count(1)
    expect(page.locator("article.message").filter(has_text="Before the drop.")).to_have_count(1)
    resumed = [json.loads(f) for f in sent if '"since"' in f]
    assert any(m["type"] == "subscribe" and m["room"] == f"ticket:{ticket['id']}" for m in resumed), sent
