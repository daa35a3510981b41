"""The ticket list: filters and search in the URL, sorting, pages, selection and bulk changes."""
import re

from playwright.sync_api import expect

from conftest import login, screenshot


def rows(page):
    return page.locator("hd-ticket-table tbody tr")


def test_filters_and_search_live_in_the_url_and_survive_reload(page):
    """Choosing filters and searching updates the address; reload and back/forward restore the same view."""
    login(page)
    expect(rows(page)).to_have_count(50)
    screenshot(page, "ticket-list")
    page.get_by_role("button", name=re.compile(r"^Filters")).click()
    page.get_by_label("Priority", exact=True).select_option("urgent")
    expect(page).to_have_url(re.compile(r"/tickets\?priority=urgent$"))
    expect(rows(page).locator("td.col-priority").filter(has_not_text="Urgent")).to_have_count(0)
    expect(rows(page).first.locator("td.col-priority")).to_have_text("Urgent")
    page.get_by_label("Status", exact=True).select_option("open")
    expect(page).to_have_url(re.compile(r"priority=urgent"))
    expect(page).to_have_url(re.compile(r"status=open"))
    expect(rows(page).locator("td.col-status").filter(has_not_text="Open")).to_have_count(0)
    expect(rows(page).locator("td.col-status").first).to_have_text("Open")
    filtered_count = page.locator(".count").inner_text()
    page.reload()
    expect(page.get_by_label("Priority", exact=True)).to_have_value("urgent")
    expect(page.get_by_label("Status", exact=True)).to_have_value("open")
    expect(page.locator(".count")).to_have_text(filtered_count)

    search = page.get_by_role("combobox", name="Search tickets")
    search.fill("VAT")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/tickets\?q=VAT$"))
    expect(page.get_by_text("Results for")).to_contain_text("VAT")
    expect(rows(page).first).to_contain_text("VAT")
    page.go_back()
    expect(page).to_have_url(re.compile(r"priority=urgent"))
    expect(page.get_by_label("Status", exact=True)).to_have_value("open")
    page.get_by_role("link", name="Urgent unassigned").click()
    expect(page).to_have_url(re.compile(r"preset=urgent-unassigned"))
    expect(page.get_by_role("link", name="Urgent unassigned")).to_have_attribute("aria-current", "page")
    expect(rows(page).locator("td.col-assignee").filter(has_not_text="Unassigned")).to_have_count(0)


def test_column_headers_sort_and_load_more_pages_with_the_cursor(page):
    """Clicking Reference sorts ascending (URL sort=reference); Load more appends the next cursor page."""
    login(page)
    page.get_by_role("button", name="Reference").click()
    expect(page).to_have_url(re.compile(r"sort=reference"))
    expect(rows(page).first.locator("td.ref")).to_have_text("TKT-001")
    expect(page.get_by_role("columnheader", name="Reference")).to_have_attribute("aria-sort", "ascending")
    page.get_by_role("button", name="Load more").click()
    expect(rows(page)).to_have_count(100)
    expect(rows(page).nth(50).locator("td.ref")).to_have_text("TKT-051")
    page.get_by_role("button", name="Reference").click()
    expect(page).to_have_url(re.compile(r"sort=-reference"))
    expect(page.get_by_role("columnheader", name="Reference")).to_have_attribute("aria-sort", "descending")


def test_bulk_change_asks_for_confirmation_and_is_applied(page, api_as):
    """Selecting two tickets and setting priority Low asks first (Escape cancels), then changes both on the server."""
    login(page, path="/tickets?sort=reference")
    expect(rows(page).first).to_be_visible()
    page.get_by_label("Select TKT-010").check()
    page.get_by_label("Select TKT-011").check()
    bar = page.get_by_role("form", name="Bulk actions")
    expect(bar).to_contain_text("2 selected")
    bar.get_by_label("Priority").select_option("low")
    bar.get_by_label("Status").select_option("on_hold")
    bar.get_by_role("button", name="Apply").click()
    dialog = page.get_by_role("dialog", name="Change 2 tickets?")
    expect(dialog).to_contain_text("status to On Hold, priority to Low")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    client = api_as()
    ticket10 = client.get("/api/tickets/by-reference/TKT-010").json()
    assert ticket10["status"] != "on_hold" or ticket10["priority"] != "low"
    bar.get_by_role("button", name="Apply").click()
    screenshot(page, "bulk-confirm")
    page.get_by_role("dialog").get_by_role("button", name="Apply change").click()
    expect(page.locator("#toasts")).to_contain_text("Updated 2 tickets")
    for reference in ("TKT-010", "TKT-011"):
        ticket = client.get(f"/api/tickets/by-reference/{reference}").json()
        assert (ticket["status"], ticket["priority"]) == ("on_hold", "low")
    expect(page.get_by_role("row").filter(has_text="TKT-010").locator("td.col-priority")).to_have_text("Low")
    expect(bar).to_be_hidden()


def test_select_every_match_offers_the_filter_based_bulk_change(page, api_as):
    """With a full page selected the list offers every match; the change then reaches tickets beyond the page."""
    client = api_as()
    for _ in range(3):
        created = client.post("/api/tickets", json={"subject": "Bulk target", "tags": ["bulkmark"],
                                                    "requester": {"email": "bulk@example.org"}})
        assert created.status_code == 201, created.text
    login(page, path="/tickets?tag=bulkmark")
    expect(rows(page)).to_have_count(3)
    page.get_by_label("Select all tickets on this page").check()
    expect(page.get_by_role("form", name="Bulk actions")).to_contain_text("3 selected")
    page.get_by_role("form", name="Bulk actions").get_by_label("Category").select_option("billing")
    page.get_by_role("form", name="Bulk actions").get_by_role("button", name="Apply").click()
    page.get_by_role("dialog").get_by_role("button", name="Apply change").click()
    expect(page.locator("#toasts")).to_contain_text("Updated 3 tickets")
    listed = client.get("/api/tickets?tag=bulkmark").json()["tickets"]
    assert [ticket["category"] for ticket in listed] == ["billing"] * 3
    page.get_by_role("button", name="Clear filters").click()
    expect(page).to_have_url(re.compile(r"/tickets$"))
