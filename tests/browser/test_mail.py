"""Email in the browser: Settings › Mailboxes (create, the server's field error, edit with
write-only passwords, disable, "test connection" naming the failing stage, delete) and the
Agent role refused it; on the ticket page, emailed messages marked "via email" with their
sender, quoted history folded behind one click, the original downloadable (.eml), and a
refused reply shown live as not delivered (against a real aiosmtpd that requires STARTTLS and AUTH)."""
import importlib.util
import socket
import subprocess
import sys
import uuid

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, AGENT, ROOT, api_fixtures, login, screenshot
from test_live import open_ticket

_spec = importlib.util.spec_from_file_location("mail_fixtures", ROOT / "tests" / "mail" / "conftest.py")
mail_fixtures = importlib.util.module_from_spec(_spec)
sys.modules["mail_fixtures"] = mail_fixtures  # its dataclasses look their module up there
_spec.loader.exec_module(mail_fixtures)


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


@pytest.fixture
def smtp(tmp_path):
    """aiosmtpd on 127.0.0.1 requiring STARTTLS and AUTH; refuses recipients starting with `reject`."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(tmp_path / "key.pem"),
                    "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    controller, server = mail_fixtures.start_smtp(tmp_path, implicit=False)
    yield server
    controller.stop()


@pytest.fixture
def mailbox(server, api_as, smtp):
    """An enabled mailbox sending through `smtp` (IMAP unreachable: mail comes in by `helpdesk ingest`);
    deleted afterwards so later tests' replies are not emailed."""
    name = f"desk{uuid.uuid4().hex[:6]}"
    r = api_as().post("/api/mailboxes", json={
        "name": name, "address": f"{name}@example.test", "displayName": "ACME Support", "verifyCertificates": False,
        "imap": {"host": "127.0.0.1", "port": closed_port(), "security": "tls", "username": "u", "password": "p"},
        "smtp": {"host": "127.0.0.1", "port": smtp.port, "security": "starttls", "username": mail_fixtures.USER,
                 "password": mail_fixtures.PASSWORD}})
    assert r.status_code == 201, r.text
    yield name
    assert api_as().delete(f"/api/mailboxes/{r.json()['id']}").status_code == 204


def ingest(server, mailbox, raw):
    done = subprocess.run([str(api_fixtures.BINARY), "ingest", "--mailbox", mailbox, "--data", str(server.data_dir)],
                          input=raw.encode(), capture_output=True, timeout=60,
                          env=api_fixtures.pg_databases.env(server.data_dir))
    assert done.returncode == 0, done.stderr
    return done.stdout.decode().split()[-1]


def customer_email(sender, message_id, subject, body, extra=""):
    return (f"From: Ann Example <{sender}>\r\nTo: support@example.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <{message_id}>\r\n{extra}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n")


def test_an_emailed_reply_is_marked_its_quote_folded_and_a_refused_answer_shown_live(page, server, api_as, mailbox, smtp):
    """The customer's email shows "via email" and its sender, the quote and signature folded with the full text
    one click away and the original downloadable; an agent's reply refused by the SMTP server (550) turns into
    "Not delivered" live, and the agent who sent it is notified live in their bell (the Agent here, so that
    Ada Admin's empty feed, which test_shell expects, stays empty)."""
    sender, tag = f"reject-ann-{uuid.uuid4().hex[:6]}@customer.test", uuid.uuid4().hex[:8]
    reference = ingest(server, mailbox, customer_email(sender, f"first-{tag}@customer.test", "Scanner jam", "It jams."))
    body = ("It still jams after the update.\r\n\r\n-- \r\nAnn Example\r\nACME Ltd, floor 3\r\n\r\n"
            "On Mon, 30 Nov 2026 at 06:00, Support <support@example.test> wrote:\r\n> Please try again.\r\n")
    second = customer_email(sender, f"second-{tag}@customer.test", "Re: Scanner jam", body,
                            extra=f"In-Reply-To: <first-{tag}@customer.test>\r\n")
    assert ingest(server, mailbox, second) == reference
    ticket = api_as().get(f"/api/tickets/by-reference/{reference}").json()
    open_ticket(page, ticket, AGENT)
    description = page.get_by_role("region", name="Description")
    expect(description.locator(".via-email")).to_have_text(f"via email from {sender}")
    with page.expect_download() as first:
        description.get_by_role("link", name="Download original (.eml)").click()
    assert b"It jams." in open(first.value.path(), "rb").read()
    customer = page.get_by_role("article", name="Customer from Ann Example")
    expect(customer.locator(".via-email")).to_have_text(f"via email from {sender}")
    expect(customer.locator(".body.folded")).to_have_text("It still jams after the update.")
    expect(customer.get_by_text("ACME Ltd, floor 3")).to_be_hidden()
    customer.get_by_text("Show quoted text and signature").click()
    expect(customer.get_by_text("ACME Ltd, floor 3", exact=False)).to_be_visible()
    expect(customer.locator(".email-full .body")).to_contain_text("> Please try again.")
    expect(customer.locator(".body.folded")).to_be_hidden()
    with page.expect_download() as download:
        customer.get_by_role("link", name="Download original (.eml)").click()
    assert download.value.suggested_filename.endswith(".eml")
    assert open(download.value.path(), "rb").read() == second.encode()

    made = api_as(AGENT).post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "Please restart it."})
    assert made.status_code == 201, made.text
    reply = page.locator(f"#message-{made.json()['id']}")
    failed = reply.locator(".delivery-failed")
    expect(failed).to_contain_text(f"Not delivered to {sender}", timeout=30_000)
    expect(failed).to_contain_text("550")
    expect(page.get_by_role("article", name="Internal note from System")).to_contain_text(f"The email to {sender} could not be delivered")
    assert smtp.messages == []
    expect(customer.locator(".email-full .body")).to_be_visible()  # still unfolded after the live re-renders
    bell = page.locator("button.bell")
    expect(bell.locator(".badge")).to_be_visible()
    bell.click()
    notice = page.get_by_role("region", name="Notifications").get_by_role("link").filter(has_text="could not be delivered")
    expect(notice).to_contain_text(f"Your reply on {reference} could not be delivered to {sender}")
    bell.click()
    screenshot(page, "ticket-email-folded-and-undelivered")
