"""Issue 17 in the browser: all-day business hours, an SLA policy chosen on the new-ticket
form, a Closed ticket that only reopens, and external links that say so, with their status
text and the live status of a ticket of ours they point at."""
import re
import uuid

from playwright.sync_api import expect

from conftest import ADMIN, login
from test_live import new_ticket, open_ticket


def test_an_all_day_policy_saves_00_00_to_24_00_and_is_chosen_for_a_new_ticket(page, api_as):
    name = f"Always {uuid.uuid4().hex[:6]}"
    login(page, path="/settings/sla")
    page.get_by_role("button", name="New policy").click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("All day (00:00 to 24:00)").check()
    expect(page.get_by_label("Start")).to_be_hidden()
    page.get_by_role("button", name="Create policy").click()
    expect(page.get_by_role("row").filter(has_text=name)).to_contain_text("all day")
    saved = next(p for p in api_as().get("/api/sla-policies").json()["policies"] if p["name"] == name)
    assert (saved["hours"]["start"], saved["hours"]["end"]) == ("00:00", "24:00")

    page.goto("/tickets/new")
    page.get_by_label("Subject").fill("Chosen policy")
    page.get_by_label("Requester email").fill("policy@example.test")
    choice = page.get_by_label("SLA policy")
    expect(choice.locator("option", has_text=name)).to_have_count(1)
    choice.select_option(label=name)
    page.get_by_role("button", name="Create ticket").click()
    expect(page).to_have_url(re.compile(r"/tickets/\d+$"))
    ticket_id = int(page.url.rsplit("/", 1)[1])
    assert api_as().get(f"/api/tickets/{ticket_id}").json()["sla"]["policyId"] == saved["id"]


def test_a_closed_ticket_offers_only_reopening(page, api_as):
    ticket = new_ticket(api_as, "Archived question")
    api_as().patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "status": "closed"})
    open_ticket(page, ticket, ADMIN)
    expect(page.locator(".closed-notice")).to_contain_text("closed (archived)")
    expect(page.locator("hd-composer")).to_be_hidden()
    expect(page.locator("#f-priority")).to_be_disabled()
    page.locator("#f-status").select_option("open")  # the property bar applies it at once
    expect(page.locator("hd-composer")).to_be_visible()
    expect(page.locator("#f-priority")).to_be_enabled()


def test_external_links_say_so_with_their_status_and_a_ticket_of_ours_shows_its_live_status(page, api_as):
    ticket, target = new_ticket(api_as, "Has references"), new_ticket(api_as, "Referenced by URL")
    open_ticket(page, ticket, ADMIN)
    links = page.locator("hd-ticket-links")
    links.get_by_label("Title").fill("CRM-7 Refund flow")
    links.get_by_label("URL (optional, http or https)").fill("https://crm.example.test/CRM-7")
    links.get_by_label("Status in its system (optional)").fill("Waiting for finance")
    links.get_by_role("button", name="Add link").click()
    item = links.locator("li").filter(has_text="CRM-7 Refund flow")
    expect(item).to_contain_text("External issue")
    expect(item).to_contain_text("Status: Waiting for finance")
    item.get_by_text("Edit status").click()
    item.get_by_label("Status text").fill("Refunded")
    item.get_by_role("button", name="Save").click()
    expect(item).to_contain_text("Status: Refunded")

    links.get_by_label("Title").fill("Same customer")
    links.get_by_label("URL (optional, http or https)").fill(page.url.rsplit("/tickets/", 1)[0] + f"/tickets/{target['id']}")
    links.get_by_role("button", name="Add link").click()
    ours = links.locator("li").filter(has_text="Same customer")
    expect(ours).to_contain_text("Ticket Open")
    api_as().patch(f"/api/tickets/{target['id']}", json={"version": target["version"], "status": "pending"})
    expect(ours).to_contain_text("Ticket Pending")
