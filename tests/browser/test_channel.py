"""The customer channel's agent screens: CC chips on the ticket page (added, removed, live on a
colleague's page, in the timeline) and Settings › Surveys."""
from playwright.sync_api import expect

from conftest import AGENT, login, screenshot


def new_ticket(client, subject):
    response = client.post("/api/tickets", json={"subject": subject, "description": "For the channel tests.",
                                                 "requester": {"email": "rita@example.org", "name": "Rita Requester"}})
    assert response.status_code == 201, response.text
    return response.json()


def test_cc_chips_add_remove_and_reach_a_colleague_live(page, second_page, api_as):
    ticket = new_ticket(api_as(), "CC chips ticket")
    login(page, path=f"/tickets/{ticket['id']}")
    login(second_page, email=AGENT, path=f"/tickets/{ticket['id']}")
    ccs = page.locator("hd-ticket-ccs")
    expect(ccs).to_contain_text("Nobody is copied on this ticket.")
    # A bad address is refused with the server's words, next to the field.
    page.get_by_label("Copy someone").fill("not-an-address")
    page.get_by_role("button", name="Add CC").click()
    expect(ccs.locator(".cc-error")).to_contain_text("Enter a valid email address.")
    page.get_by_label("Copy someone").fill("Carol.Copy@Example.org")
    page.get_by_label("Copy someone").press("Enter")
    chip = ccs.locator(".cc-chip")
    expect(chip).to_contain_text("carol.copy@example.org")
    expect(page.get_by_label("Copy someone")).to_be_focused()
    # The colleague's page follows without reload, timeline included.
    expect(second_page.locator("hd-ticket-ccs .cc-chip")).to_contain_text("carol.copy@example.org")
    expect(second_page.locator("hd-timeline")).to_contain_text("copied carol.copy@example.org on the ticket")
    screenshot(page, "ticket-cc-chips")
    page.get_by_role("button", name="Remove carol.copy@example.org from CC").click()
    expect(ccs).to_contain_text("Nobody is copied on this ticket.")
    expect(second_page.locator("hd-ticket-ccs")).to_contain_text("Nobody is copied on this ticket.")
    expect(page.locator("hd-timeline")).to_contain_text("removed carol.copy@example.org from CC")
    assert api_as().get(f"/api/tickets/{ticket['id']}/ccs").json()["ccs"] == []


def test_survey_settings_screen_saves_and_shows_field_errors(page, api_as):
    admin = api_as()
    before = admin.get("/api/survey-settings").json()
    try:
        login(page, path="/settings/surveys")
        expect(page.get_by_role("heading", name="Satisfaction surveys")).to_be_visible()
        expect(page.get_by_role("link", name="Surveys")).to_have_attribute("aria-current", "page")
        page.get_by_label("Email the survey after (minutes)").fill("99999")
        page.get_by_role("button", name="Save survey settings").click()
        delay = page.get_by_label("Email the survey after (minutes)")
        expect(delay).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#survey-delay-error")).to_contain_text("10080 minutes")
        delay.fill("15")
        page.get_by_label("Open for (days)").fill("3")
        page.get_by_label("Question").fill("Did we fix it?")
        page.get_by_label("Send a survey when a ticket is resolved").uncheck()
        page.get_by_role("button", name="Save survey settings").click()
        expect(page.locator("#toasts")).to_contain_text("Survey settings saved.")
        expect(page.get_by_role("button", name="Save survey settings")).to_be_focused()
        saved = admin.get("/api/survey-settings").json()
        assert saved == {"enabled": False, "delayMinutes": 15, "expiryDays": 3, "question": "Did we fix it?"}
        page.reload()
        expect(page.get_by_label("Email the survey after (minutes)")).to_have_value("15")
        expect(page.get_by_label("Send a survey when a ticket is resolved")).not_to_be_checked()
        screenshot(page, "settings-surveys")
        # The save is audited with what it set.
        entries = admin.get("/api/audit?limit=20").json()["entries"]
        assert any(e["action"] == "survey_settings.updated" and e["after"]["delayMinutes"] == 15 for e in entries)
    finally:
        admin.put("/api/survey-settings", json=before)


def test_an_expired_survey_link_is_refused_on_the_page(browser):
    """On a server whose clock is moved past the survey's expiry: an unanswered survey says when it
    expired and offers no form; an answered one keeps the thanks and no longer offers a change."""
    import tempfile
    import threading
    from conftest import ADMIN, PASSWORD, api_fixtures, watched_page
    with tempfile.TemporaryDirectory(prefix="helpdesk-survey-expiry-") as data_dir:
        done = api_fixtures.cli("user", "add", "--email", ADMIN, "--name", "Ada Admin", "--role", "Administrator",
                                "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        server = api_fixtures.start_server(data_dir, "--test-clock")
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        try:
            admin = api_fixtures.Client(server, ADMIN)
            urls = {}
            for name in ("unanswered", "answered"):
                ticket = new_ticket(admin, f"Expiring survey {name}")
                version = admin.get(f"/api/tickets/{ticket['id']}").json()["version"]
                assert admin.patch(f"/api/tickets/{ticket['id']}", json={"version": version, "status": "resolved"}).status_code == 200
                token = admin.post(f"/api/tickets/{ticket['id']}/access-link").json()["link"]["token"]
                import time
                deadline = time.monotonic() + 10
                while not (survey := admin.http.get(server.url("/api/portal/ticket"), headers={"Portal-Token": token}).json()["survey"]):
                    assert time.monotonic() < deadline, "no survey"
                    time.sleep(0.05)
                urls[name] = survey["url"]
            errors = []
            page = watched_page(browser, server, errors)
            page.goto(urls["answered"])
            page.get_by_label("3 – Neutral").check()
            page.get_by_role("button", name="Send rating").click()
            expect(page.locator(".survey-done")).to_contain_text("You rated us 3 of 5")
            assert admin.post("/api/test/clock", json={"advanceSeconds": 7 * 86_400 + 60}).status_code == 200
            page.goto(urls["unanswered"])
            expect(page.get_by_role("alert")).to_contain_text("This survey expired on")
            expect(page.locator("form")).to_have_count(0)
            page.goto(urls["answered"])
            expect(page.locator(".survey-done")).to_contain_text("You rated us 3 of 5")
            expect(page.get_by_role("button", name="Change rating")).to_have_count(0)
            page.context.close()
            assert errors == [], errors
        finally:
            api_fixtures.stop_server(server)
