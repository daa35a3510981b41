"""Permissions in the UI and on the server, session expiry, and administration screens."""
import re

from playwright.sync_api import expect

from conftest import login, screenshot, AGENT, ADMIN, PASSWORD
from test_ticket import png


def test_an_agent_is_not_offered_settings_and_the_server_refuses_them(page):
    """The Agent role sees no Settings or bulk actions; the settings URL is not available and the API answers 403."""
    login(page, email=AGENT)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Tickets")).to_be_visible()
    expect(nav.get_by_role("link", name="Settings")).to_have_count(0)
    expect(page.locator("hd-ticket-table tbody tr").first).to_be_visible()
    expect(page.get_by_label("Select all tickets on this page")).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)
    page.goto("/settings/users")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)
    token = page.evaluate("async () => (await (await fetch('/api/session')).json()).csrfToken")
    roles = page.request.get("/api/roles")
    assert roles.status == 403
    added = page.request.post("/api/agents", headers={"X-CSRF-Token": token},
                              data={"name": "Sneaky", "email": "sneaky@example.test", "password": "long enough password", "roleId": 1})
    assert added.status == 403
    bulk = page.request.post("/api/tickets/bulk", headers={"X-CSRF-Token": token}, data={"ids": [1], "delete": True})
    assert bulk.status == 403


def test_session_expiry_returns_to_login_then_to_the_same_page(page):
    """When the session ends mid-work the next request leads to sign-in, and signing in returns to that view."""
    login(page, path="/tickets?priority=high")
    expect(page.locator("hd-ticket-table tbody tr").first).to_be_visible()
    page.context.clear_cookies()
    page.get_by_role("button", name=re.compile(r"^Filters")).click()
    page.get_by_label("Category", exact=True).select_option("billing")
    expect(page.get_by_role("heading", name="Sign in to the help desk")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="session has ended")).to_be_visible()
    assert "next=%2Ftickets%3Fpriority%3Dhigh%26category%3Dbilling" in page.url
    page.get_by_label("Email").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/tickets\?priority=high&category=billing$"))
    expect(page.get_by_label("Category", exact=True)).to_have_value("billing")
    expect(page.get_by_role("list", name="Active filters")).to_contain_text("Category: Billing")
    expect(page.locator("hd-ticket-table tbody tr").first).to_be_visible()


def test_administrator_adds_and_deactivates_an_agent(page, api_as):
    """Users settings adds an agent (server errors at the field), changes a role and deactivates them."""
    login(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(page).to_have_url(re.compile(r"/settings/users$"))
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add agent"))
    form.get_by_label("Name").fill("Robin Reviewer")
    form.get_by_label("Email").fill("robin@example.test")
    form.get_by_label("Initial password").fill("short")
    form.get_by_role("button", name="Add agent").click()
    expect(form.locator(".field-error")).to_be_visible()
    form.get_by_label("Initial password").fill("a long enough password")
    form.get_by_role("button", name="Add agent").click()
    row = page.get_by_role("row").filter(has_text="robin@example.test")
    expect(row).to_contain_text("Active")
    screenshot(page, "settings-users")
    row.get_by_label("Role of Robin Reviewer").select_option(label="Supervisor")
    # More permissions than before: confirmed first, saying what the agent gains.
    dialog = page.get_by_role("dialog", name="Make Robin Reviewer a Supervisor?")
    expect(dialog).to_contain_text("gains")
    dialog.get_by_role("button", name="Give the Supervisor role").click()
    expect(page.locator("#toasts")).to_contain_text("Role changed")
    row.get_by_role("button", name="Deactivate").click()
    page.get_by_role("dialog", name="Deactivate Robin Reviewer?").get_by_role("button", name="Deactivate").click()
    expect(row).to_contain_text("Deactivated")
    agent = next(a for a in api_as().get("/api/agents").json() if a["email"] == "robin@example.test")
    assert (agent["active"], agent["role"]) == (False, "Supervisor")


def test_roles_grid_and_account_settings(page, api_as):
    """A permission ticked for a role is saved; the account name and a logo (previewed first) are saved."""
    login(page, path="/settings/roles")
    box = page.get_by_label("Agent: ticket.bulk")
    expect(box).not_to_be_checked()
    expect(page.get_by_label("Administrator: ticket.bulk")).to_be_disabled()
    box.check()
    page.get_by_role("button", name="Save Agent").click()
    expect(page.locator("#toasts")).to_contain_text("Agent saved")
    roles = api_as().get("/api/roles").json()
    assert "ticket.bulk" in next(r for r in roles if r["name"] == "Agent")["permissions"]
    screenshot(page, "settings-roles")
    page.get_by_label("Agent: ticket.bulk").uncheck()
    page.get_by_role("button", name="Save Agent").click()
    expect(page.locator("#toasts")).to_contain_text("Agent saved")

    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Account").click()
    page.get_by_label("Help desk name").fill("Acme Support")
    page.get_by_role("button", name="Save name").click()
    expect(page.locator(".brand")).to_have_text("Acme Support")
    page.get_by_label("Choose an image").set_input_files(files=[{"name": "logo.png", "mimeType": "image/png", "buffer": png(120, 40)}])
    expect(page.get_by_role("img", name="Preview of the new logo")).to_be_visible()
    page.get_by_role("button", name="Upload logo").click()
    current = page.get_by_role("img", name="Current logo")
    expect(current).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth === 120", arg=current.element_handle())
    screenshot(page, "settings-account")
    assert api_as().get("/api/account").json()["name"] == "Acme Support"
