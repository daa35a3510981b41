"""The CSAT survey email end to end against real servers (Dovecot in, aiosmtpd out), on a
server started with --test-clock: the survey of a resolution leaves through the ticket's
mailbox only once the configured delay has passed on the server's clock (moved forward, no
sleeping), marked Auto-Submitted: auto-generated, with a link that opens the survey; a
reopen before it is due cancels it, and the loop rules hold it back from automatic senders."""
import email
import email.policy
import re

import pytest
import requests

from conftest import ADMIN_EMAIL, add_agents, add_support_mailbox, start_helpdesk, stop_helpdesk
from test_imap_runtime import customer_mail, wait_for


@pytest.fixture()
def clocked_desk(tmp_path, dovecot, smtp_starttls):
    data = tmp_path / "data"
    data.mkdir()
    add_agents(data)
    server = start_helpdesk(data, "--test-clock")
    add_support_mailbox(server, dovecot, smtp_starttls)
    stop_helpdesk(server)
    server = start_helpdesk(data, "--test-clock")
    yield server, server.client(ADMIN_EMAIL)
    stop_helpdesk(server)


def resolve(server, admin, ticket_id, status="resolved"):
    t = admin.get(server.url(f"/api/tickets/{ticket_id}")).json()
    r = admin.patch(server.url(f"/api/tickets/{ticket_id}"), json={"status": status}, headers={"If-Match": f'"{t["version"]}"'})
    assert r.status_code == 200, r.text


def surveys(server, admin, ticket_id):
    return admin.get(server.url(f"/api/tickets/{ticket_id}/surveys")).json()["surveys"]


def test_the_survey_email_waits_for_the_delay_and_its_link_opens_the_survey(clocked_desk, dovecot, smtp_starttls):
    server, admin = clocked_desk
    settings = {"enabled": True, "delayMinutes": 30, "expiryDays": 7, "question": "Did we solve it?"}
    assert admin.put(server.url("/api/survey-settings"), json=settings).status_code == 200
    dovecot.append(customer_mail(1))
    dovecot.append(customer_mail(2).replace(b"ann@", b"bea@"))
    dovecot.append(customer_mail(3).replace(b"ann@customer.test", b"no-reply@shop.test"))
    dovecot.append(customer_mail(4, extra="Auto-Submitted: auto-replied\r\n").replace(b"ann@", b"ooo@"))
    found = wait_for(lambda: len(admin.get(server.url("/api/tickets?limit=10")).json()["tickets"]) == 4 and
                     admin.get(server.url("/api/tickets?limit=10")).json()["tickets"], "the four tickets")
    by_sender = {t["requester"]["email"]: t for t in found}
    kept, reopened = by_sender["ann@customer.test"], by_sender["bea@customer.test"]
    for t in found:
        resolve(server, admin, t["id"])
    for t in found:
        wait_for(lambda: surveys(server, admin, t["id"]), f"the survey of {t['reference']}")
    resolve(server, admin, reopened["id"], "open")
    wait_for(lambda: surveys(server, admin, reopened["id"])[0]["status"] == "cancelled", "the cancelled survey")
    # Nothing is due before the delay: the outbox holds the survey emails.
    assert smtp_starttls.messages == []

    assert admin.post(server.url("/api/test/clock"), json={"advanceSeconds": 30 * 60}).status_code == 200
    [sent] = wait_for(lambda: smtp_starttls.messages, "the survey email at the SMTP server")
    # The other three are left unsent, each for its reason.
    wait_for(lambda: sum("survey email" in line and "not sent" in line for line in server.output) == 3, "the three skips")
    log = "".join(server.output)
    assert "the survey was cancelled before its email was due" in log
    assert "no automatic email to a no-reply sender (no-reply@shop.test)" in log
    assert "the requester's email was automatic: Auto-Submitted: auto-replied" in log
    assert len(smtp_starttls.messages) == 1

    assert sent.rcpt_tos == ["ann@customer.test"] and sent.mail_from == "desk@example.test"
    m = email.message_from_bytes(sent.data, policy=email.policy.default)
    assert m["Auto-Submitted"] == "auto-generated"
    assert m["Subject"].startswith(f"How did we do? Help 1 [{kept['reference']}:")
    assert m["In-Reply-To"] == "<rt-1@customer.test>"
    text = m.get_body(("plain",)).get_content()
    assert text.startswith("Did we solve it?")
    [link] = re.findall(r"(http://\S+/survey#\S+)", text)
    assert link.startswith(server.url("/survey#"))
    assert f'<a href="{link}">' in m.get_body(("html",)).get_content()
    assert re.search(r"View your request online: http://\S+/portal#\S+", text)
    page = requests.get(server.url("/api/surveys/current"), headers={"Survey-Token": link.split("#", 1)[1]}, timeout=10)
    assert page.status_code == 200 and page.json()["reference"] == kept["reference"] and page.json()["status"] == "pending"

    # Sending is an event and a timeline entry of the ticket.
    actions = wait_for(lambda: [e["action"] for e in admin.get(server.url(f"/api/tickets/{kept['id']}/timeline")).json()["entries"]
                                if e["action"] == "survey.sent"], "survey.sent in the timeline")
    assert actions == ["survey.sent"]
