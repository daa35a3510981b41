"""The requester portal: agents manage the ticket's access link on the ticket page, the
portal page opens the ticket from the link, and the requester's journey on a phone."""
import re
import tempfile
import threading

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, AGENT, PASSWORD, api_fixtures, app_module, login, screenshot


@pytest.fixture(scope="module")
def server():
    """A server of this module's own: its resolutions, ratings and requester replies notify
    agents, and those notifications must not reach the feeds other modules' tests look at."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-portal-browser-") as data_dir:
        for role, email, name in (("Administrator", ADMIN, "Ada Admin"), ("Agent", AGENT, "Alex Agent")):
            done = api_fixtures.cli("user", "add", "--email", email, "--name", name, "--role", role,
                                    "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
            assert done.returncode == 0, done.stderr
        running = api_fixtures.start_server(data_dir)
        threading.Thread(target=lambda: [None for _ in running.process.stdout], daemon=True).start()
        yield running
        api_fixtures.stop_server(running)


def new_ticket(api_as, subject="Portal browser ticket"):
    response = api_as().post("/api/tickets", json={"subject": subject, "description": "Created for a portal test.",
                                                   "requester": {"email": "robin@example.org", "name": "Robin Requester"}})
    assert response.status_code == 201, response.text
    return response.json()


def test_agent_creates_copies_sets_expiry_and_regenerates_the_link(page, api_as):
    """From the ticket page, with the keyboard: create the link, copy it, give it an expiry, regenerate it (the old one stops)."""
    ticket = new_ticket(api_as)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, path=f"/tickets/{ticket['id']}")
    panel = page.locator("hd-access-link")
    expect(panel.get_by_role("heading", name="Requester link")).to_be_visible()
    panel.get_by_role("button", name="Create link").focus()
    page.keyboard.press("Enter")
    url_box = panel.get_by_label("Portal link")
    expect(url_box).to_have_value(re.compile(r"/portal#[A-Za-z0-9_-]{43}$"))
    first = url_box.input_value()
    panel.get_by_role("button", name="Copy").click()
    assert page.evaluate("navigator.clipboard.readText()") == first
    panel.get_by_label("Expires").fill("2099-06-01T12:00")
    panel.get_by_role("button", name="Save expiry").click()
    expect(panel).to_contain_text("Works until")
    panel.get_by_role("button", name="Regenerate link").click()
    page.get_by_role("button", name="Regenerate", exact=True).click()
    expect(url_box).not_to_have_value(first)
    expect(panel).to_contain_text("Works until")
    expect(page.locator("hd-timeline")).to_contain_text("regenerated the requester link")
    token = first.split("#", 1)[1]
    assert api_as().http.get(api_as().server.url("/api/portal/ticket"), headers={"Portal-Token": token}).status_code == 404
    screenshot(page, "access-link-panel")


PHONE = {"width": 390, "height": 844}


def issue_link(client, ticket_id):
    response = client.post(f"/api/tickets/{ticket_id}/access-link")
    assert response.status_code == 201, response.text
    return response.json()["link"]


def test_requester_journey_on_a_phone(browser, server, api_as, page):
    """On a phone: the link opens the ticket without notes; a reply with a file reopens the
    Resolved ticket, appears live on the agent's page; the agent's reply arrives live."""
    from conftest import watched_page
    admin = api_as()
    ticket = new_ticket(api_as, subject="Phone portal ticket")
    tid = ticket["id"]
    assert admin.post(f"/api/tickets/{tid}/messages", json={"kind": "reply", "body": "Please send a photo of the label."}).status_code == 201
    assert admin.post(f"/api/tickets/{tid}/messages", json={"kind": "note", "body": "SECRET internal note"}).status_code == 201
    assert admin.patch(f"/api/tickets/{tid}", json={"version": admin.get(f"/api/tickets/{tid}").json()["version"], "status": "resolved"}).status_code == 200
    link = issue_link(admin, tid)
    login(page, path=f"/tickets/{tid}")
    expect(page.get_by_label("Status", exact=True)).to_have_value("resolved")
    errors = []
    phone = watched_page(browser, server, errors, viewport=PHONE)
    phone.goto(link["url"])
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Phone portal ticket")
    expect(phone.locator(".portal-status")).to_contain_text("We think this is solved")
    expect(phone.get_by_role("article", name=re.compile("Reply from"))).to_contain_text("photo of the label")
    expect(phone.locator(".portal-live")).to_have_text("Updates appear here as they happen.")
    assert "SECRET" not in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"no sideways scrolling on a phone ({width}px)"
    phone.get_by_label("Your message").fill("Here is the label photo.")
    phone.set_input_files("#reply-files", files=[{"name": "label.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\nfake"}])
    phone.get_by_role("button", name="Send reply").click()
    mine = phone.get_by_role("article", name="Your message")
    expect(mine).to_contain_text("Here is the label photo.")
    expect(mine.get_by_role("button", name="label.png")).to_be_visible()
    expect(phone.locator(".portal-status")).to_contain_text("We have your request")
    screenshot(phone, "portal-phone")
    # The agent's page shows the customer's reply and the reopened status without reload.
    expect(page.locator("article.kind-reply").filter(has_text="Here is the label photo.")).to_be_visible()
    expect(page.get_by_label("Status", exact=True)).to_have_value("open")
    # An agent's reply arrives on the phone live; a note never does.
    assert admin.post(f"/api/tickets/{tid}/messages", json={"kind": "note", "body": "SECRET second note"}).status_code == 201
    assert admin.post(f"/api/tickets/{tid}/messages", json={"kind": "reply", "body": "Thanks, replacing it now."}).status_code == 201
    expect(phone.get_by_role("article", name=re.compile("Reply from")).filter(has_text="replacing it now")).to_be_visible()
    assert "SECRET" not in phone.content()
    phone.context.close()
    assert errors == [], errors


def test_portal_is_usable_with_the_keyboard_alone(browser, server, api_as):
    """Tab reaches the reply box, the file picker and the send button in order; Enter on the button sends."""
    from conftest import watched_page
    admin = api_as()
    ticket = new_ticket(api_as, subject="Keyboard portal ticket")
    link = issue_link(admin, ticket["id"])
    errors = []
    phone = watched_page(browser, server, errors, viewport=PHONE)
    phone.goto(link["url"])
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Keyboard portal ticket")
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("link", name="Skip to the conversation")).to_be_focused()
    phone.get_by_label("Your message").focus()
    phone.keyboard.type("Typed with the keyboard only.")
    phone.keyboard.press("Tab")
    expect(phone.get_by_label(re.compile("Attach files"))).to_be_focused()
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="Send reply")).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("article", name="Your message")).to_contain_text("Typed with the keyboard only.")
    phone.context.close()
    assert errors == [], errors


def test_a_bad_or_regenerated_link_shows_a_plain_refusal_and_ends_the_live_page(browser, server, api_as):
    """A made-up token learns nothing; regenerating the link ends an open portal page."""
    from conftest import watched_page
    admin = api_as()
    ticket = new_ticket(api_as, subject="Regenerated portal ticket")
    link = issue_link(admin, ticket["id"])
    errors = []
    phone = watched_page(browser, server, errors, viewport=PHONE)
    phone.goto(link["url"])
    expect(phone.locator(".portal-live")).to_have_text("Updates appear here as they happen.")
    issue_link(admin, ticket["id"])
    expect(phone.get_by_role("alert")).to_contain_text("no longer works")
    phone.goto(link["url"].split("#")[0] + "#not-a-real-token")
    expect(phone.get_by_role("alert")).to_contain_text("does not open a request")
    phone.context.close()
    assert errors == [], [e for e in errors if "404" not in e]


def test_the_spam_check_costs_a_real_browser_about_a_second(browser, server, api_as):
    """Chromium solves the proof of work with SubtleCrypto quickly enough not to be noticed;
    the honeypot is invisible and out of reach."""
    from conftest import watched_page
    admin = api_as()
    ticket = new_ticket(api_as, subject="Captcha timing ticket")
    link = issue_link(admin, ticket["id"])
    errors = []
    phone = watched_page(browser, server, errors, viewport=PHONE)
    phone.goto(link["url"])
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Captcha timing ticket")
    timings = phone.evaluate("""async () => {
        const { solveCaptcha } = await import(""" + app_module("portal/captcha.js") + """);
        const times = [];
        for (let i = 0; i < 5; i++) { const t = performance.now(); await solveCaptcha(); times.push(performance.now() - t); }
        return times; }""")
    print(f"\nproof of work in Chromium, ms: {[round(t) for t in timings]}")
    assert sorted(timings)[2] < 3000, timings
    trap = phone.locator("#reply-website")
    expect(trap).not_to_be_in_viewport()
    assert trap.get_attribute("tabindex") == "-1"
    expect(phone.get_by_label("Website")).to_have_count(1)
    assert phone.locator(".trap").get_attribute("aria-hidden") == "true"
    phone.context.close()
    assert errors == [], errors


def set_status(client, ticket_id, status):
    version = client.get(f"/api/tickets/{ticket_id}").json()["version"]
    assert client.patch(f"/api/tickets/{ticket_id}", json={"version": version, "status": status}).status_code == 200


def wait_for_survey(client, ticket_id, status="pending"):
    import time
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = client.get(f"/api/tickets/{ticket_id}/surveys").json()["surveys"]
        if found and found[-1]["status"] == status:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError("no survey")


def test_requester_rates_from_the_portal_and_the_agent_sees_it_live(browser, server, api_as, page):
    """Resolved: the portal links to the survey; on a phone, with the keyboard, the requester picks
    4 stars and comments; the agent's ticket page shows the rating without reload."""
    from conftest import watched_page
    admin = api_as()
    ticket = new_ticket(api_as, subject="Survey journey ticket")
    tid = ticket["id"]
    set_status(admin, tid, "resolved")
    wait_for_survey(admin, tid)
    link = issue_link(admin, tid)
    login(page, path=f"/tickets/{tid}")
    expect(page.locator("hd-ticket-survey")).to_contain_text("Waiting for the customer")
    errors = []
    phone = watched_page(browser, server, errors, viewport=PHONE)
    phone.goto(link["url"])
    phone.get_by_role("link", name="Tell us how we did").click()
    expect(phone.get_by_role("heading", name="How did we do?")).to_be_visible()
    expect(phone.locator("form")).to_contain_text("Open until")
    phone.get_by_label("1 – Very unsatisfied").focus()
    for _ in range(3):
        phone.keyboard.press("ArrowDown")
    expect(phone.get_by_label("4 – Satisfied")).to_be_checked()
    phone.get_by_label("Comment").fill("Fixed on the first reply.")
    phone.get_by_role("button", name="Send rating").click()
    expect(phone.locator(".survey-done")).to_contain_text("You rated us 4 of 5")
    screenshot(phone, "survey-phone")
    panel = page.locator("hd-ticket-survey")
    expect(panel).to_contain_text("4 of 5")
    expect(panel).to_contain_text("Fixed on the first reply.")
    expect(page.locator("hd-timeline")).to_contain_text("rated the help")
    phone.goto(link["url"])
    expect(phone.locator(".portal-survey")).to_contain_text("rating our help 4 of 5")
    phone.context.close()
    assert errors == [], errors


def test_a_reopened_ticket_withdraws_its_survey(browser, server, api_as):
    """Reopened before an answer, the survey page says it was withdrawn and offers no form."""
    from conftest import watched_page
    admin = api_as()
    ticket = new_ticket(api_as, subject="Reopened survey ticket")
    set_status(admin, ticket["id"], "resolved")
    wait_for_survey(admin, ticket["id"])
    token = issue_link(admin, ticket["id"])["token"]
    survey_url = admin.http.get(admin.server.url("/api/portal/ticket"), headers={"Portal-Token": token}).json()["survey"]["url"]
    set_status(admin, ticket["id"], "open")
    wait_for_survey(admin, ticket["id"], status="cancelled")
    errors = []
    phone = watched_page(browser, server, errors, viewport=PHONE)
    phone.goto(survey_url)
    expect(phone.get_by_role("alert")).to_contain_text("withdrawn")
    expect(phone.get_by_role("button", name="Send rating")).to_have_count(0)
    phone.context.close()
    assert errors == [], errors


def test_requester_changes_their_rating_until_expiry_and_the_agent_sees_the_change(browser, server, api_as, page):
    """The survey page shows the current answer in its form; the requester changes 5 stars to
    2 with a new comment; the agent's panel and timeline show the change without reload."""
    from conftest import watched_page
    admin = api_as()
    ticket = new_ticket(api_as, subject="Changed rating ticket")
    tid = ticket["id"]
    set_status(admin, tid, "resolved")
    wait_for_survey(admin, tid)
    token = issue_link(admin, tid)["token"]
    survey_url = admin.http.get(admin.server.url("/api/portal/ticket"), headers={"Portal-Token": token}).json()["survey"]["url"]
    login(page, path=f"/tickets/{tid}")
    errors = []
    phone = watched_page(browser, server, errors, viewport=PHONE)
    phone.goto(survey_url)
    phone.get_by_label("5 – Very satisfied").check()
    phone.get_by_role("button", name="Send rating").click()
    expect(phone.locator(".survey-done")).to_contain_text("You rated us 5 of 5")
    expect(page.locator("hd-ticket-survey")).to_contain_text("5 of 5")
    # Still open: the form holds the answer and offers to change it.
    expect(phone.get_by_role("heading", name="Change your answer")).to_be_visible()
    expect(phone.get_by_label("5 – Very satisfied")).to_be_checked()
    expect(phone.locator("form")).to_contain_text("You can change your answer until")
    phone.get_by_label("2 – Unsatisfied").check()
    phone.get_by_label("Comment").fill("The printer caught fire again.")
    phone.get_by_role("button", name="Change rating").click()
    expect(phone.locator(".survey-done")).to_contain_text("You rated us 2 of 5: “The printer caught fire again.”")
    expect(phone.get_by_role("status").filter(has_text="Your rating was changed.")).to_have_count(1)
    phone.goto(issue_link(admin, tid)["url"])
    expect(phone.locator(".portal-survey")).to_contain_text("rating our help 2 of 5")
    phone.get_by_role("link", name="Change your rating").click()
    expect(phone.get_by_label("2 – Unsatisfied")).to_be_checked()
    expect(phone.get_by_label("Comment")).to_have_value("The printer caught fire again.")
    panel = page.locator("hd-ticket-survey")
    expect(panel).to_contain_text("2 of 5")
    expect(panel).to_contain_text("The printer caught fire again.")
    expect(page.locator("hd-timeline")).to_contain_text("changed their rating")
    expect(page.locator("hd-timeline")).to_contain_text("Rating: 5 → 2")
    screenshot(phone, "survey-changed-phone")
    phone.context.close()
    assert errors == [], errors
