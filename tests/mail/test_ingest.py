"""Email into tickets through `helpdesk ingest --mailbox NAME` (mail on stdin), with the real
server running on the same data folder: new tickets, threading, signed subject tokens,
strangers, bounces, reopening, duplicates and exit statuses."""
import hashlib
import hmac
import subprocess
import uuid

import pytest
import requests

from conftest import ADMIN_EMAIL, AGENT_EMAIL, AGENT_PASSWORD, bin_dir

MAILBOX = "support"


@pytest.fixture(scope="module")
def admin(helpdesk):
    http = helpdesk.client(ADMIN_EMAIL)
    r = http.post(helpdesk.url("/api/mailboxes"), json={
        "name": MAILBOX, "address": "support@desk.example.test",
        "imap": {"host": "127.0.0.1", "port": 993, "security": "tls", "username": "u", "password": "p"},
        "smtp": {"host": "127.0.0.1", "port": 587, "security": "starttls", "username": "u", "password": "p"}})
    assert r.status_code in (201, 409), r.text
    return http


def ingest(helpdesk, raw: bytes, mailbox=MAILBOX):
    p = subprocess.run([str(bin_dir() / "helpdesk"), "ingest", "--mailbox", mailbox, "--data", str(helpdesk.data_dir)],
                       input=raw, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode().strip(), p.stderr.decode().strip()


def email(msg_id, subject, body="Hello", sender="Ann Customer <ann@customer.test>", extra=""):
    return (f"From: {sender}\r\nTo: support@desk.example.test\r\nSubject: {subject}\r\nMessage-ID: <{msg_id}>\r\n"
            f"{extra}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


def ticket(helpdesk, admin, reference):
    r = admin.get(helpdesk.url(f"/api/tickets/by-reference/{reference}"))
    assert r.status_code == 200, r.text
    return r.json()


def thread(helpdesk, admin, ticket_id):
    return admin.get(helpdesk.url(f"/api/tickets/{ticket_id}/messages")).json()["messages"]


def signed(helpdesk, reference):
    key = (helpdesk.data_dir / "mail-credentials.key").read_bytes()
    return f"[{reference}:{hmac.new(key, f'subject:{reference}'.encode(), hashlib.sha256).digest()[:4].hex()}]"


def test_new_email_starts_a_ticket_with_contact_and_files(helpdesk, admin):
    """An email no ticket knows becomes a ticket on the email channel; the sender becomes the
    requester contact (with the From display name); attachments arrive byte for byte."""
    pdf = bytes(range(256)) * 20
    import base64
    raw = (b"From: =?UTF-8?Q?Zo=C3=AB_Customer?= <zoe@customer.test>\r\nTo: support@desk.example.test\r\n"
           b"Subject: Broken invoice\r\nMessage-ID: <new-1@customer.test>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           b"The invoice is wrong.\r\n--b\r\nContent-Type: application/pdf; name=invoice.pdf\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(pdf).replace(b"\n", b"\r\n") + b"--b--\r\n")
    rc, out, err = ingest(helpdesk, raw)
    assert rc == 0, err
    assert out.startswith("new ticket TKT-")
    t = ticket(helpdesk, admin, out.split()[-1])
    assert t["channel"] == "email" and t["subject"] == "Broken invoice" and t["description"] == "The invoice is wrong."
    assert t["requester"]["email"] == "zoe@customer.test" and t["requester"]["name"] == "Zoë Customer"
    [files] = thread(helpdesk, admin, t["id"])
    [attachment] = files["attachments"]
    assert attachment["fileName"] == "invoice.pdf" and attachment["size"] == len(pdf)
    got = admin.get(helpdesk.url(attachment["url"]))
    assert got.status_code == 200 and got.content == pdf


def test_replies_thread_by_references_and_reopen_a_resolved_ticket(helpdesk, admin):
    """The requester's answer naming the first email joins the ticket as a public reply and
    reopens it; the same email again is a duplicate and changes nothing."""
    rc, out, _ = ingest(helpdesk, email("t-1@customer.test", "Printer on fire"))
    reference = out.split()[-1]
    t = ticket(helpdesk, admin, reference)
    r = admin.patch(helpdesk.url(f"/api/tickets/{t['id']}"), json={"status": "resolved"},
                    headers={"If-Match": f'"{t["version"]}"'})
    assert r.status_code == 200, r.text
    answer = email("t-2@customer.test", "Re: Printer on fire", body="Still burning.\r\n\r\n> old text",
                   extra="In-Reply-To: <t-1@customer.test>\r\nReferences: <t-1@customer.test>\r\n")
    rc, out, err = ingest(helpdesk, answer)
    assert (rc, out) == (0, f"reply on {reference}"), err
    assert ticket(helpdesk, admin, reference)["status"] == "open"
    [reply] = [m for m in thread(helpdesk, admin, t["id"]) if m["kind"] == "reply"]
    assert reply["author"]["type"] == "requester" and reply["body"].startswith("Still burning.")
    assert ingest(helpdesk, answer)[:2] == (0, "already taken: nothing changed")
    assert len([m for m in thread(helpdesk, admin, t["id"]) if m["kind"] == "reply"]) == 1


def test_signed_subject_token_joins_but_a_bare_reference_does_not(helpdesk, admin):
    """[TKT-n:signature] in the subject finds the ticket; a guessed bare [TKT-n] starts a new one."""
    rc, out, _ = ingest(helpdesk, email("s-1@customer.test", "Question"))
    reference = out.split()[-1]
    rc, out, _ = ingest(helpdesk, email("s-2@customer.test", f"Re: Question {signed(helpdesk, reference)}"))
    assert out == f"reply on {reference}"
    rc, out, _ = ingest(helpdesk, email("s-3@customer.test", f"Re: Question [{reference}]"))
    assert out.startswith("new ticket") and out.split()[-1] != reference
    forged = signed(helpdesk, reference)[:-3] + "00]"
    rc, out, _ = ingest(helpdesk, email("s-4@customer.test", f"Re: {forged}"))
    assert out.startswith("new ticket")


def test_a_stranger_on_the_thread_is_a_marked_note_not_the_requester(helpdesk, admin):
    """Mail from someone other than the requester is kept as an internal note naming them, and
    does not reopen the ticket."""
    rc, out, _ = ingest(helpdesk, email("x-1@customer.test", "Order 7"))
    reference = out.split()[-1]
    stranger = email("x-2@elsewhere.test", "Re: Order 7", sender="Mallory <mallory@elsewhere.test>",
                     extra="References: <x-1@customer.test>\r\n")
    rc, out, _ = ingest(helpdesk, stranger)
    assert out == f"note on {reference} (the sender is not the requester)"
    [note] = thread(helpdesk, admin, ticket(helpdesk, admin, reference)["id"])
    assert note["kind"] == "note" and "Mallory <mallory@elsewhere.test>" in note["body"]
    assert note["email"]["direction"] == "in" and note["email"]["address"] == "mallory@elsewhere.test"


def test_bounces_are_noted_on_their_ticket_and_never_become_tickets(helpdesk, admin):
    """A delivery report naming one of a ticket's emails is a note on that ticket; one naming
    nothing we know is dropped."""
    rc, out, _ = ingest(helpdesk, email("b-1@customer.test", "Please call me"))
    reference = out.split()[-1]

    def bounce(original, n):
        return (f"From: MAILER-DAEMON@mx.test\r\nTo: support@desk.example.test\r\nSubject: Undelivered Mail\r\n"
                f"Message-ID: <bounce-{n}@mx.test>\r\nMIME-Version: 1.0\r\n"
                f"Content-Type: multipart/report; report-type=delivery-status; boundary=R\r\n\r\n"
                f"--R\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
                f"--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.test\r\n\r\n"
                f"Final-Recipient: rfc822; gone@customer.test\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
                f"--R\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{original}>\r\nSubject: x\r\n\r\n--R--\r\n").encode()

    rc, out, _ = ingest(helpdesk, bounce("b-1@customer.test", 1))
    assert out == f"delivery failure noted on {reference}"
    [note] = thread(helpdesk, admin, ticket(helpdesk, admin, reference)["id"])
    assert note["kind"] == "note" and "gone@customer.test: failed 5.1.1" in note["body"]
    assert ingest(helpdesk, bounce("nothing@we.know", 2))[:2] == (0, "delivery report about no known ticket: dropped")


def test_exit_statuses_tell_the_mail_server_what_to_do(helpdesk, admin):
    """Unknown mailbox 67 (EX_NOUSER), unreadable input 65 (EX_DATAERR)."""
    assert ingest(helpdesk, email("e-1@customer.test", "x"), mailbox="nope")[0] == 67
    assert ingest(helpdesk, b"\r\n\r\njust a body")[0] == 65
    assert ingest(helpdesk, b"Subject: no sender\r\n\r\nbody")[0] == 65


def test_mail_from_our_own_mailbox_is_never_filed(helpdesk, admin):
    """Our own address as sender (a copy of our reply, a loop) is recorded as seen and not filed."""
    rc, out, _ = ingest(helpdesk, email("own-1@desk.example.test", "Re: something",
                                        sender="ACME <Support@Desk.Example.Test>"))
    assert (rc, out) == (0, "from one of our own mailboxes: not filed")


def test_email_messages_carry_their_sender_and_the_quoted_history_split(helpdesk, admin):
    """An emailed reply's JSON says `email: {direction: in, address}` with `replyText` (what the sender
    wrote above the quote and signature) beside the full `body`; an agent's note carries no `email`."""
    rc, out, _ = ingest(helpdesk, email("q-1@customer.test", "Scanner jam"))
    reference = out.split()[-1]
    t = ticket(helpdesk, admin, reference)
    body = ("It jams again.\r\n\r\n-- \r\nAnn Customer\r\nACME Ltd\r\n\r\n"
            "On Mon, 30 Nov 2026 at 06:00, Support <support@desk.example.test> wrote:\r\n> Try again.\r\n")
    answer = email("q-2@customer.test", "Re: Scanner jam", body=body, extra="In-Reply-To: <q-1@customer.test>\r\n")
    assert ingest(helpdesk, answer)[:2] == (0, f"reply on {reference}")
    plain = email("q-3@customer.test", "Re: Scanner jam", body="Fixed now, thanks.", extra="In-Reply-To: <q-1@customer.test>\r\n")
    assert ingest(helpdesk, plain)[:2] == (0, f"reply on {reference}")
    assert admin.post(helpdesk.url(f"/api/tickets/{t['id']}/messages"), json={"kind": "note", "body": "internal"}).status_code == 201
    quoted, fixed, note = thread(helpdesk, admin, t["id"])
    assert {**quoted["email"], "originalUrl": None} == {"direction": "in", "address": "ann@customer.test", "delivery": None,
                                                        "error": None, "replyText": "It jams again.", "originalUrl": None}
    assert "ACME Ltd" in quoted["body"] and "> Try again." in quoted["body"]
    assert fixed["email"]["replyText"] is None and fixed["body"].startswith("Fixed now")
    assert "email" not in note
    starting = admin.get(helpdesk.url(f"/api/tickets/{t['id']}/messages")).json()["startingEmail"]
    assert starting["direction"] == "in" and starting["address"] == "ann@customer.test"
    assert starting["originalUrl"].endswith("/original") and starting["replyText"] is None
    r = admin.post(helpdesk.url("/api/tickets"), json={"subject": "By hand", "description": "x",
                                                       "requester": {"name": "Ann", "email": "ann@customer.test"}})
    assert r.status_code == 201, r.text
    assert admin.get(helpdesk.url(f"/api/tickets/{r.json()['id']}/messages")).json()["startingEmail"] is None


def test_the_original_email_downloads_byte_for_byte_for_agents_only(helpdesk, admin):
    """An emailed reply's `email.originalUrl` serves the raw message as received (message/rfc822, a download) to
    any agent with ticket.view; a role without it 403, anonymous 401, an unknown id 404."""
    rc, out, _ = ingest(helpdesk, email("o-1@customer.test", "Original please"))
    reference = out.split()[-1]
    raw = email("o-2@customer.test", "Re: Original please", body="Caf\u00e9 au lait.\r\n\r\n> quoted",
                extra="In-Reply-To: <o-1@customer.test>\r\nX-Custom-Header: kept as sent\r\n")
    assert ingest(helpdesk, raw)[:2] == (0, f"reply on {reference}")
    [reply] = thread(helpdesk, admin, ticket(helpdesk, admin, reference)["id"])
    url = reply["email"]["originalUrl"]
    assert url.startswith("/api/emails/") and url.endswith("/original")
    for client in (admin, helpdesk.client(AGENT_EMAIL)):
        r = client.get(helpdesk.url(url))
        assert r.status_code == 200 and r.content == raw, r.text
        assert r.headers["Content-Type"] == "message/rfc822"
        assert r.headers["Content-Disposition"].startswith("attachment") and ".eml" in r.headers["Content-Disposition"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert requests.get(helpdesk.url(url), timeout=10).status_code == 401
    role = admin.post(helpdesk.url("/api/roles"), json={"name": f"NoView{uuid.uuid4().hex[:6]}", "permissions": []}).json()
    outsider = f"noview{uuid.uuid4().hex[:6]}@example.test"
    r = admin.post(helpdesk.url("/api/agents"), json={"name": "No View", "email": outsider, "password": AGENT_PASSWORD,
                                                      "roleId": role["id"]})
    assert r.status_code == 201, r.text
    assert helpdesk.client(outsider).get(helpdesk.url(url)).status_code == 403
    assert admin.get(helpdesk.url("/api/emails/999999/original")).status_code == 404
