"""Email in the browser: Settings › Mailboxes (create, the server's field error, edit with
write-only passwords, disable, "test connection" naming the failing stage, delete) and the
Agent role refused it."""
import socket
import uuid

from playwright.sync_api import expect

from conftest import AGENT, login, screenshot


def closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill_server(page, side, host, port, security, username, password):
    page.get_by_label(f"{side} host").fill(host)
    page.get_by_label(f"{side} port").fill(str(port))
    page.get_by_label(f"{side} security").select_option(security)
    page.get_by_label(f"{side} user name").fill(username)
    page.get_by_label(f"{side} password").fill(password)


def test_a_mailbox_is_created_tested_edited_disabled_and_deleted_in_settings(page, api_as):
    """The form creates a mailbox (a bad port shown at its field first); passwords never come back; the test names the failing stages."""
    name = f"support{uuid.uuid4().hex[:6]}"
    address = f"{name}@desk.example.test"
    imap_secret, smtp_secret = f"imap-{uuid.uuid4().hex}", f"smtp-{uuid.uuid4().hex}"
    login(page, path="/settings/mailboxes")
    expect(page.get_by_role("heading", name="Mailboxes", level=2)).to_be_visible()
    page.get_by_label("Address").fill(address)
    page.get_by_label("Display name").fill("ACME Support")
    page.get_by_label("Short name").fill(name)
    fill_server(page, "IMAP", "127.0.0.1", 70000, "tls", "desk", imap_secret)
    page.get_by_label("Move it to a folder").check()
    page.get_by_label("Move to folder").fill("Taken")
    fill_server(page, "SMTP", "smtp.invalid", 587, "starttls", "desk", smtp_secret)
    page.get_by_role("button", name="Create mailbox").click()
    port = page.get_by_label("IMAP port")
    expect(port).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#mailbox-imap-port-error")).to_be_visible()
    port.fill(str(closed_port()))
    page.get_by_role("button", name="Create mailbox").click()
    item = page.get_by_role("listitem", name=address)
    expect(item).to_contain_text("ACME Support")
    expect(item).to_contain_text("move to Taken")
    created = next(m for m in api_as().get("/api/mailboxes").json()["mailboxes"] if m["address"] == address)
    assert created["moveTo"] == "Taken" and created["imap"]["passwordSet"] and created["smtp"]["host"] == "smtp.invalid"
    assert imap_secret not in page.content() and smtp_secret not in page.content()

    item.get_by_role("button", name=f"Test connection of {address}").click()
    result = page.get_by_role("list", name=f"Connection test of {address}")
    expect(result).to_contain_text("IMAP failed at: connect")
    expect(result).to_contain_text("SMTP failed at: name resolution")
    screenshot(page, "settings-mailboxes-test")

    item.get_by_role("button", name=f"Edit {address}").click()
    expect(page.get_by_label("IMAP password")).to_have_value("")
    expect(page.get_by_label("IMAP password")).to_have_attribute("placeholder", "Stored; type to replace")
    page.get_by_label("Display name").fill("ACME Help")
    page.get_by_label("Mark it as read").check()
    page.get_by_role("button", name="Save mailbox").click()
    expect(item).to_contain_text("ACME Help")
    expect(item).to_contain_text("mark as read")
    saved = api_as().get(f"/api/mailboxes/{created['id']}").json()
    assert saved["moveTo"] is None and saved["imap"]["passwordSet"] and saved["smtp"]["passwordSet"]

    item.get_by_label(f"{address} enabled").uncheck()
    expect(item).to_have_class("card mailbox disabled")
    assert api_as().get(f"/api/mailboxes/{created['id']}").json()["enabled"] is False

    item.get_by_role("button", name=f"Delete {address}").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_role("listitem", name=address)).to_have_count(0)
    assert api_as().get(f"/api/mailboxes/{created['id']}").status_code == 404


def test_an_agent_is_not_offered_mailboxes_and_the_server_refuses_them(page, api_as):
    """The Agent role has no Settings › Mailboxes; the mailbox routes answer 403."""
    login(page, email=AGENT)
    page.goto("/settings/mailboxes")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    agent = api_as(AGENT)
    assert agent.get("/api/mailboxes").status_code == 403
    assert agent.post("/api/mailboxes/1/test").status_code == 403
    assert agent.delete("/api/mailboxes/1").status_code == 403
