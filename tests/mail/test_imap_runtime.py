"""`helpdesk serve` takes mail from a real Dovecot by itself: IDLE, the cursor stored with each
email, replies threaded, and nothing taken twice or lost across a kill -9."""
import time

import pytest

from conftest import ADMIN_EMAIL, PASSWORD, add_agents, start_helpdesk, stop_helpdesk


def wait_for(condition, what, seconds=20):
    """Polls `condition` (an API read) until true; the deadline only bounds a failing test."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def customer_mail(n, extra=""):
    return (f"From: Ann <ann@customer.test>\r\nTo: desk@example.test\r\nSubject: Help {n}\r\n"
            f"Message-ID: <rt-{n}@customer.test>\r\n{extra}\r\nMessage number {n}.\r\n").encode()


@pytest.fixture()
def server_with_mailbox(tmp_path, dovecot, certs):
    data = tmp_path / "data"
    data.mkdir()
    add_agents(data)
    server = start_helpdesk(data)
    admin = server.client(ADMIN_EMAIL)
    r = admin.post(server.url("/api/mailboxes"), json={
        "name": "support", "address": "desk@example.test", "verifyCertificates": False,
        "imap": {"host": "127.0.0.1", "port": dovecot.tls_port, "security": "tls", "username": dovecot.user, "password": PASSWORD},
        "smtp": {"host": "127.0.0.1", "port": 1, "security": "starttls", "username": "u", "password": "p"}})
    assert r.status_code == 201, r.text
    stop_helpdesk(server)  # mailboxes are read at start
    server = start_helpdesk(data)
    yield server, r.json()["id"]
    stop_helpdesk(server)


def tickets(server, admin):
    return admin.get(server.url("/api/tickets?limit=100")).json()["tickets"]


def test_serve_takes_mail_threads_replies_and_survives_kill_9(server_with_mailbox, dovecot):
    server, mailbox_id = server_with_mailbox
    admin = server.client(ADMIN_EMAIL)
    wait_for(lambda: any("mail: support: connected" in l and "IDLE" in l for l in server.output), "the watcher to connect")
    dovecot.append(customer_mail(1))
    [first] = wait_for(lambda: tickets(server, admin), "the first ticket")
    assert first["subject"] == "Help 1" and first["channel"] == "email"
    cursor = wait_for(lambda: admin.get(server.url(f"/api/mailboxes/{mailbox_id}")).json()["cursor"], "the cursor")
    assert cursor["lastUid"] == 1
    dovecot.append(customer_mail(2, extra="In-Reply-To: <rt-1@customer.test>\r\n"))
    wait_for(lambda: [m for m in admin.get(server.url(f"/api/tickets/{first['id']}/messages")).json()["messages"]
                      if m["kind"] == "reply"], "the reply on the first ticket")
    assert len(tickets(server, admin)) == 1

    # kill -9, mail arrives while down, restart: taken once, the old ones not again.
    stop_helpdesk(server, hard=True)
    dovecot.append(customer_mail(3))
    server2 = start_helpdesk(server.data_dir)
    try:
        admin2 = server2.client(ADMIN_EMAIL)
        wait_for(lambda: admin2.get(server2.url(f"/api/mailboxes/{mailbox_id}")).json()["cursor"]["lastUid"] == 3,
                 "the cursor to pass the third mail")
        # Messages are taken in UID order and the cursor moves in each one's transaction, so
        # once it reads 3, a re-take of 1 or 2 would already show (as a reply or a ticket).
        assert sorted(t["subject"] for t in tickets(server2, admin2)) == ["Help 1", "Help 3"]
        replies = [m for m in admin2.get(server2.url(f"/api/tickets/{first['id']}/messages")).json()["messages"]
                   if m["kind"] == "reply"]
        assert len(replies) == 1
    finally:
        stop_helpdesk(server2)
    for line in server.output + server2.output:
        assert PASSWORD not in line


def test_mailbox_settings_apply_without_a_restart(tmp_path, dovecot):
    """A mailbox added while the server runs is watched within seconds; disabling it stops its watcher."""
    data = tmp_path / "data"
    data.mkdir()
    add_agents(data)
    server = start_helpdesk(data)
    try:
        admin = server.client(ADMIN_EMAIL)
        r = admin.post(server.url("/api/mailboxes"), json={
            "name": "hot", "address": "desk@example.test", "verifyCertificates": False,
            "imap": {"host": "127.0.0.1", "port": dovecot.tls_port, "security": "tls", "username": dovecot.user,
                     "password": PASSWORD},
            "smtp": {"host": "127.0.0.1", "port": 9, "security": "starttls", "username": "u", "password": "p"}})
        assert r.status_code == 201, r.text
        dovecot.append(customer_mail(7))
        wait_for(lambda: tickets(server, admin), "the ticket from a mailbox added at run time")
        admin.patch(server.url(f"/api/mailboxes/{r.json()['id']}"), json={"enabled": False})
        wait_for(lambda: sum("mail: hot: connected" in line for line in server.output) == 1
                 and any("mail: hot: stopped" in line for line in server.output), "the watcher to stop")
    finally:
        stop_helpdesk(server)
