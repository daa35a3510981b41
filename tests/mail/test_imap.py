"""The IMAP client and inbox watcher against a real, throwaway Dovecot; messages placed with APPEND."""
import subprocess
import threading
import time


PLAIN = (b"From: Ann Customer <ann@customer.test>\r\nTo: desk@example.test\r\nSubject: Printer on fire\r\n"
         b"Message-ID: <c1@customer.test>\r\nDate: Mon, 30 Nov 2026 09:00:00 +0100\r\n\r\nIt is on fire.\r\n")


def numbered(n: int) -> bytes:
    return PLAIN.replace(b"c1@", f"c{n}@".encode()).replace(b"on fire", f"on fire #{n}".encode())


def flags(server, folder="INBOX"):
    m = server.client()
    m.select(folder)
    typ, data = m.uid("FETCH", "1:*", "(FLAGS)")
    m.logout()
    return [d.decode() for d in data if d]


def test_implicit_tls_and_starttls_select_reports_uidvalidity(probe, dovecot, certs):
    """Both IMAPS and STARTTLS log in with verified certificates and SELECT gives UIDVALIDITY and IDLE."""
    dovecot.append(PLAIN)
    for security in ("tls", "starttls"):
        rc, out, p = probe.run("check-imap", *dovecot.args(security, certs))
        assert rc == 0, p.stdout
        assert out[-1]["tls"].startswith("TLSv1.") and out[-1]["uid_validity"] > 0
        assert out[-1]["exists"] == 1 and out[-1]["idle"] is True


def test_take_parses_marks_seen_and_resumes_from_the_cursor(probe, dovecot, certs):
    """New messages are taken oldest first, parsed, flagged \\Seen; a second round from the cursor takes only newer ones."""
    dovecot.append(numbered(1))
    dovecot.append(numbered(2))
    rc, out, p = probe.run("imap-take", *dovecot.args("tls", certs))
    assert rc == 0, p.stdout
    taken = [o for o in out if "uid" in o]
    assert [t["message"]["message_id"] for t in taken] == ["c1@customer.test", "c2@customer.test"]
    assert taken[0]["message"]["from"] == [{"name": "Ann Customer", "address": "ann@customer.test"}]
    assert taken[0]["message"]["text"] == "It is on fire #1.\n"
    assert all("\\Seen" in f for f in flags(dovecot))
    cursor = out[-1]["cursor"]
    assert out[-1]["taken"] == 2
    # A message a person already read is still new to us: the cursor, not the flag, decides.
    dovecot.append(numbered(3), flags="(\\Seen)")
    rc, out, _ = probe.run("imap-take", *dovecot.args("tls", certs), "--after", cursor)
    assert [o["message"]["message_id"] for o in out if "uid" in o] == ["c3@customer.test"]
    rc, out, _ = probe.run("imap-take", *dovecot.args("tls", certs), "--after", out[-1]["cursor"])
    assert out[-1]["taken"] == 0


def test_a_changed_uidvalidity_falls_back_to_unseen(probe, dovecot, certs):
    """With a cursor from another UIDVALIDITY, old UIDs mean nothing: unseen messages are taken."""
    dovecot.append(numbered(1), flags="(\\Seen)")
    dovecot.append(numbered(2))
    rc, out, _ = probe.run("imap-take", *dovecot.args("tls", certs), "--after", "1:99")
    assert [o["message"]["message_id"] for o in out if "uid" in o] == ["c2@customer.test"]


def test_move_to_a_folder(probe, dovecot, certs):
    """With --move-to, taken mail leaves the inbox for the folder (UID MOVE)."""
    m = dovecot.client()
    assert m.create("Taken")[0] == "OK"
    m.logout()
    dovecot.append(numbered(1))
    rc, out, p = probe.run("imap-take", *dovecot.args("starttls", certs), "--move-to", "Taken")
    assert rc == 0, p.stdout
    m = dovecot.client()
    assert m.select("INBOX")[1] == [b"0"]
    assert m.select("Taken")[1] == [b"1"]
    m.logout()


def test_missing_folder_is_a_mailbox_error(probe, dovecot, certs):
    """Selecting a folder that does not exist names the folder and is permanent."""
    rc, out, _ = probe.run("check-imap", *dovecot.args("tls", certs), "--folder", "Nope")
    assert rc == 1 and out[-1]["kind"] == "mailbox" and "Nope" in out[-1]["error"] and out[-1]["permanent"]


def test_wrong_password_is_an_authentication_error(probe, dovecot_alone, certs):
    """Dovecot's AUTHENTICATIONFAILED becomes kind=authentication; the password never appears."""
    rc, out, p = probe.run("check-imap", *dovecot_alone.args("tls", certs), env={"MAIL_PASSWORD": "not-the-password"})
    assert rc == 1 and out[-1]["kind"] == "authentication" and out[-1]["permanent"]
    assert b"not-the-password" not in p.stdout + p.stderr


def test_idle_wakes_on_new_mail(probe, dovecot, certs):
    """The watcher waits in IDLE and takes a message appended while it waits, without polling."""
    proc = subprocess.Popen([str(probe.path), "imap-watch", *dovecot.args("tls", certs), "--count", "1",
                             "--poll-seconds", "3600", "--timeout-total", "30"],
                            stdout=subprocess.PIPE, env={"MAIL_PASSWORD": "s3cret", "PATH": "/usr/bin:/bin"})
    first = proc.stdout.readline()
    assert b'"connected"' in first and b'"idle":true' in first
    time.sleep(0.3)  # let the watcher enter IDLE; the test passes either way, IDLE or the first search
    start = time.monotonic()
    dovecot.append(numbered(9))
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert b"c9@customer.test" in out
    assert time.monotonic() - start < 10
