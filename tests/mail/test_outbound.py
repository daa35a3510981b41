"""The whole channel end to end against real servers: a customer's email in Dovecot becomes a
ticket; an agent's reply reaches aiosmtpd with threading headers, the signed token, a text and
an HTML part and identical attachment bytes; the customer's answer joins the same ticket and
reopens it. Internal notes never leave; a 5xx refusal is shown on the ticket."""
import asyncio
import email
import email.policy
import json
import re

import requests
from websockets.asyncio.client import connect

import pytest

from conftest import ADMIN_EMAIL, AGENT_EMAIL, PASSWORD, add_agents, add_support_mailbox, start_helpdesk, stop_helpdesk
from test_imap_runtime import customer_mail, wait_for


@pytest.fixture()
def desk(tmp_path, dovecot, smtp_starttls):
    data = tmp_path / "data"
    data.mkdir()
    add_agents(data)
    server = start_helpdesk(data)
    add_support_mailbox(server, dovecot, smtp_starttls)
    stop_helpdesk(server)
    server = start_helpdesk(data)
    yield server, server.client(ADMIN_EMAIL)
    stop_helpdesk(server)


def messages(server, admin, ticket_id, kind=None):
    found = admin.get(server.url(f"/api/tickets/{ticket_id}/messages")).json()["messages"]
    return [m for m in found if kind is None or m["kind"] == kind]


def test_email_round_trip(desk, dovecot, smtp_starttls):
    server, admin = desk
    dovecot.append(customer_mail(1))
    [ticket] = wait_for(lambda: admin.get(server.url("/api/tickets?limit=10")).json()["tickets"], "the ticket")

    # An internal note first: it must never leave.
    assert admin.post(server.url(f"/api/tickets/{ticket['id']}/messages"),
                      json={"kind": "note", "body": "internal only"}).status_code == 201
    pdf = bytes(range(256)) * 50
    r = admin.post(server.url(f"/api/tickets/{ticket['id']}/messages"), data={"kind": "reply", "body": "We are on it.\n\nACME"},
                   files=[("attachments", ("steps.pdf", pdf, "application/pdf"))])
    assert r.status_code == 201, r.text
    [sent] = wait_for(lambda: smtp_starttls.messages, "the reply at the SMTP server")
    assert sent.rcpt_tos == ["ann@customer.test"] and sent.mail_from == "desk@example.test"
    assert sent.authenticated_as == "desk@example.test"
    m = email.message_from_bytes(sent.data, policy=email.policy.default)
    assert m["In-Reply-To"] == "<rt-1@customer.test>" and m["References"] == "<rt-1@customer.test>"
    assert m["From"] == "ACME Support <desk@example.test>" and m["To"] == "Ann <ann@customer.test>"
    assert m["Subject"].startswith(f"Re: Help 1 [{ticket['reference']}:")
    text = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("We are on it.\n\nACME\n\n-- \nView your request online: ")
    assert "<p>We are on it.</p>" in m.get_body(("html",)).get_content()
    [attachment] = list(m.iter_attachments())
    assert attachment.get_filename() == "steps.pdf" and attachment.get_content() == pdf
    assert b"internal only" not in sent.data

    # The customer answers our email (threading by our Message-ID) after the ticket was resolved.
    t = admin.get(server.url(f"/api/tickets/{ticket['id']}")).json()
    admin.patch(server.url(f"/api/tickets/{ticket['id']}"), json={"status": "resolved"}, headers={"If-Match": f'"{t["version"]}"'})
    answer = (f"From: Ann <ann@customer.test>\r\nTo: desk@example.test\r\nSubject: {m['Subject']}\r\n"
              f"Message-ID: <rt-answer@customer.test>\r\nIn-Reply-To: {m['Message-ID']}\r\n"
              f"References: <rt-1@customer.test> {m['Message-ID']}\r\n\r\nThanks, that worked.\r\n").encode()
    dovecot.append(answer)
    wait_for(lambda: [x for x in messages(server, admin, ticket["id"], "reply") if x["body"].startswith("Thanks")],
             "the customer's answer on the same ticket")
    assert admin.get(server.url(f"/api/tickets/{ticket['id']}")).json()["status"] == "open"
    assert len(admin.get(server.url("/api/tickets?limit=10")).json()["tickets"]) == 1
    assert PASSWORD not in "".join(server.output)


def test_a_refused_recipient_fails_with_a_note_on_the_ticket_and_tells_the_sender_live(desk, dovecot, smtp_starttls):
    server, admin = desk
    agent = server.client(AGENT_EMAIL)
    dovecot.append(customer_mail(5).replace(b"ann@customer.test", b"reject-me@customer.test"))
    [ticket] = wait_for(lambda: admin.get(server.url("/api/tickets?limit=10")).json()["tickets"], "the ticket")

    async def reply_and_hear_the_failure():
        # The agent's own notification feed, over a real WebSocket, while the 550 comes back.
        cookie = {"Cookie": f"helpdesk_session={agent.cookies.get('helpdesk_session')}"}
        async with connect(f"ws://127.0.0.1:{server.port}/api/live", additional_headers=cookie) as ws:
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "hello"
            await ws.send(json.dumps({"type": "subscribe", "room": "notifications", "id": "n1"}))
            r = agent.post(server.url(f"/api/tickets/{ticket['id']}/messages"), json={"kind": "reply", "body": "Hello"})
            assert r.status_code == 201, r.text
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), 20))
                if message["type"] == "event" and message["event"]["kind"] == "notification.created":
                    return message["event"]["notification"]
    live = asyncio.run(reply_and_hear_the_failure())
    assert (live["kind"], live["ticketId"]) == ("email_failed", ticket["id"])
    assert live["title"] == f"Your reply on {ticket['reference']} could not be delivered to reject-me@customer.test"
    # Only the agent who wrote the reply is told; the administrator's feed has no such entry.
    assert [n["kind"] for n in agent.get(server.url("/api/notifications")).json()["notifications"]] == ["email_failed"]
    assert all(n["kind"] != "email_failed" for n in admin.get(server.url("/api/notifications")).json()["notifications"])
    [note] = wait_for(lambda: messages(server, admin, ticket["id"], "note"), "the failure note")
    assert "reject-me@customer.test could not be delivered" in note["body"] and "550" in note["body"]
    [reply] = messages(server, admin, ticket["id"], "reply")
    failed = reply["email"]
    assert (failed["direction"], failed["address"], failed["delivery"]) == ("out", "reject-me@customer.test", "failed")
    assert "550" in failed["error"] and failed["replyText"] is None
    assert smtp_starttls.messages == []


def test_ccs_are_copied_from_mail_emailed_and_answer_as_the_tickets_people(desk, dovecot, smtp_starttls):
    server, admin = desk
    dovecot.append(customer_mail(7, extra="Cc: Carl <carl@customer.test>, ACME <DESK@example.test>\r\n"))
    [ticket] = wait_for(lambda: admin.get(server.url("/api/tickets?limit=10")).json()["tickets"], "the ticket")
    ccs = admin.get(server.url(f"/api/tickets/{ticket['id']}/ccs")).json()["ccs"]
    # Our own mailbox address in Cc is never copied.
    assert [(c["name"], c["email"]) for c in ccs] == [("Carl", "carl@customer.test")]
    for address, name in (("dora@customer.test", "Dora"), ("reject-ed@customer.test", "Ed")):
        r = admin.post(server.url(f"/api/tickets/{ticket['id']}/ccs"), json={"email": address, "name": name})
        assert r.status_code == 200, r.text

    admin.post(server.url(f"/api/tickets/{ticket['id']}/messages"), json={"kind": "reply", "body": "Copying everyone."})
    [sent] = wait_for(lambda: smtp_starttls.messages, "the reply at the SMTP server")
    # The server refused Ed (550): the others got it, and Ed's refusal is a note and the sender's notification.
    assert sent.rcpt_tos == ["ann@customer.test", "carl@customer.test", "dora@customer.test"]
    m = email.message_from_bytes(sent.data, policy=email.policy.default)
    assert m["To"] == "Ann <ann@customer.test>"
    assert m["Cc"] == "Carl <carl@customer.test>, Dora <dora@customer.test>, Ed <reject-ed@customer.test>"
    [refused] = wait_for(lambda: messages(server, admin, ticket["id"], "note"), "the note about Ed")
    assert refused["body"].startswith("The email to reject-ed@customer.test could not be delivered: 550")
    [told] = wait_for(lambda: admin.get(server.url("/api/notifications")).json()["notifications"], "the sender's notification")
    assert told["kind"] == "email_failed" and "reject-ed@customer.test" in told["title"]
    [reply] = messages(server, admin, ticket["id"], "reply")
    assert reply["email"]["delivery"] == "sent"
    # Both parts carry the requester's portal link, and the link opens this ticket.
    text = m.get_body(("plain",)).get_content()
    [link] = re.findall(r"View your request online: (\S+)", text)
    assert link.startswith(server.url("/portal#"))
    assert f'<a href="{link}">View your request online</a>' in m.get_body(("html",)).get_content()
    opened = requests.get(server.url("/api/portal/ticket"), headers={"Portal-Token": link.split("#", 1)[1]}, timeout=10)
    assert opened.status_code == 200 and opened.json()["reference"] == ticket["reference"]

    # Carl (a CC) answers: a public reply that reopens the ticket; Eve (nobody's) is kept as a note.
    t = admin.get(server.url(f"/api/tickets/{ticket['id']}")).json()
    admin.patch(server.url(f"/api/tickets/{ticket['id']}"), json={"status": "pending"}, headers={"If-Match": f'"{t["version"]}"'})
    for n, sender in ((8, "Carl <carl@customer.test>"), (9, "Eve <eve@elsewhere.test>")):
        dovecot.append((f"From: {sender}\r\nTo: desk@example.test\r\nSubject: {m['Subject']}\r\nMessage-ID: <cc-{n}@customer.test>\r\n"
                        f"In-Reply-To: {m['Message-ID']}\r\n\r\nAnswer {n}.\r\n").encode())
    wait_for(lambda: [x for x in messages(server, admin, ticket["id"], "note") if "Answer 9" in x["body"]], "Eve's note")
    [carl] = [x for x in messages(server, admin, ticket["id"], "reply") if x["body"].startswith("Answer 8")]
    assert carl["author"]["type"] == "requester" and carl["author"]["name"] == "Carl"
    [eve] = [x for x in messages(server, admin, ticket["id"], "note") if "Answer 9" in x["body"]]
    assert "who is not the requester or a CC of this ticket" in eve["body"]
    assert admin.get(server.url(f"/api/tickets/{ticket['id']}")).json()["status"] == "open"
    # The portal names the CC who answered; the stranger's note never appears there.
    portal = requests.get(server.url("/api/portal/ticket"), headers={"Portal-Token": link.split("#", 1)[1]}, timeout=10).json()
    assert [(x["author"]["name"], x["body"].strip()) for x in portal["messages"] if x["author"]["type"] == "requester"] == [("Carl", "Answer 8.")]
    assert all("Answer 9" not in x["body"] for x in portal["messages"])
