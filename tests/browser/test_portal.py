"""The requester portal: agents manage the ticket's access link on the ticket page, the
portal page opens the ticket from the link, and the requester's journey on a phone."""
import re

from playwright.sync_api import expect

from conftest import login, screenshot


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
