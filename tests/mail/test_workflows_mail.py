"""The seed's two email flows as workflows, end to end with real servers: an email in the
Dovecot inbox becomes a ticket categorised by a subject pattern ("Email to ticket" and a
pattern rule), and the auto-responder's acknowledgment with the ticket reference reaches
aiosmtpd once, marked Auto-Submitted: auto-replied (RFC 3834)."""
import email
import email.policy

import pytest

from conftest import add_agents, add_support_mailbox, start_helpdesk, stop_helpdesk
from test_imap_runtime import wait_for


@pytest.fixture()
def desk(tmp_path, dovecot, smtp_starttls):
    data = tmp_path / "data"
    data.mkdir()
    add_agents(data)
    server = start_helpdesk(data)
    admin = add_support_mailbox(server, dovecot, smtp_starttls)
    invoices = admin.post(server.url("/api/workflows"), json={
        "name": "Invoices to Billing", "enabled": True, "trigger": {"kind": "email.received"},
        "conditions": {"match": "all", "conditions": [{"field": "email.subject", "op": "matches", "value": "\\binvoices?\\b"}]},
        "actions": [{"type": "create_ticket", "category": "billing", "tags": ["invoice"]}]})
    assert invoices.status_code == 201, invoices.text
    for template in ("email-to-ticket", "auto-responder"):
        assert admin.post(server.url(f"/api/workflows/templates/{template}"), json={}).status_code == 201
    yield server, admin
    stop_helpdesk(server)


def mail(n, sender, subject):
    return (f"From: {sender}\r\nTo: desk@example.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <wf-{n}@customer.test>\r\n\r\nMessage number {n}.\r\n").encode()


def tickets(server, admin):
    return admin.get(server.url("/api/tickets?limit=100")).json()["tickets"]


def test_email_becomes_a_categorised_ticket_and_one_acknowledgment_goes_out(desk, dovecot, smtp_starttls):
    server, admin = desk
    dovecot.append(mail(1, "Ann <ann@customer.test>", "Invoice 2024-17 is wrong"))
    [ticket] = wait_for(lambda: tickets(server, admin), "the ticket")
    assert ticket["subject"] == "Invoice 2024-17 is wrong" and ticket["channel"] == "email"
    full = admin.get(server.url(f"/api/tickets/{ticket['id']}")).json()
    assert full["category"] == "billing" and full["tags"] == ["invoice"] and full["requester"]["email"] == "ann@customer.test"
    # The description is marked as the email it came from, with the original downloadable.
    starting = admin.get(server.url(f"/api/tickets/{ticket['id']}/messages")).json()["startingEmail"]
    assert starting["address"] == "ann@customer.test" and starting["originalUrl"].endswith("/original")
    assert b"Invoice 2024-17 is wrong" in admin.get(server.url(starting["originalUrl"])).content

    [ack] = wait_for(lambda: smtp_starttls.messages, "the acknowledgment at the SMTP server")
    assert ack.rcpt_tos == ["ann@customer.test"]
    m = email.message_from_bytes(ack.data, policy=email.policy.default)
    assert m["Auto-Submitted"] == "auto-replied"
    assert m["In-Reply-To"] == "<wf-1@customer.test>"
    assert f"[{ticket['reference']}:" in m["Subject"] and m["Subject"].startswith("We received your request: Invoice 2024-17")
    assert ticket["reference"] in m.get_body(("plain",)).get_content()

    # A second customer: their mail takes the "Email to ticket" path (no pattern match), and
    # its acknowledgment arriving after the first proves the first was not sent twice.
    dovecot.append(mail(2, "Bob <bob@other.test>", "Printer question"))
    wait_for(lambda: len(smtp_starttls.messages) >= 2, "the second acknowledgment")
    assert [s.rcpt_tos for s in smtp_starttls.messages] == [["ann@customer.test"], ["bob@other.test"]]
    second = [t for t in tickets(server, admin) if t["subject"] == "Printer question"]
    assert len(second) == 1
    assert admin.get(server.url(f"/api/tickets/{second[0]['id']}")).json()["category"] == "general"

    # The run log tells the story: which workflow made each ticket, and the acknowledgments.
    runs = admin.get(server.url("/api/workflows/runs")).json()["runs"]
    made = {(r["workflowName"], r["actions"][0]["status"]) for r in runs if r["trigger"] == "email.received"}
    assert ("Invoices to Billing", "done") in made and ("Email to ticket", "skipped") in made and ("Email to ticket", "done") in made
    acks = [r for r in runs if r["workflowName"] == "Auto-responder"]
    assert len(acks) == 2 and all(r["actions"][0]["status"] == "done" for r in acks)


def test_automatic_mail_gets_no_acknowledgment(desk, dovecot, smtp_starttls):
    server, admin = desk
    dovecot.append(mail(3, "Robot <robot@vendor.test>", "Out of office").replace(
        b"Subject:", b"Auto-Submitted: auto-replied\r\nSubject:"))
    dovecot.append(mail(4, "Carol <carol@customer.test>", "Real question"))
    wait_for(lambda: smtp_starttls.messages, "the acknowledgment to Carol")
    assert [s.rcpt_tos for s in smtp_starttls.messages] == [["carol@customer.test"]]
    assert sorted(t["subject"] for t in tickets(server, admin)) == ["Out of office", "Real question"]
    runs = admin.get(server.url("/api/workflows/runs")).json()["runs"]
    [held] = [r for r in runs if r["workflowName"] == "Auto-responder" and r["actions"][0]["status"] == "skipped"]
    assert "Auto-Submitted" in held["actions"][0]["detail"]
