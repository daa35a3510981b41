"""Slow and large request bodies (issue 11 item 4), against the real binary: bodies past
256 KiB go to a temporary file instead of memory, unfinished bodies cannot grow the
server's memory, a body trickling in is cut with 408, and a message carries several
near-10 MB attachments."""
import fcntl
import hashlib
import os
import selectors
import socket
import struct
import termios
import tempfile
import threading
import time

from conftest import cli, PASSWORD, ROLES, start_server, stop_server
from tickets_support import new_ticket


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def unsent(sock):
    """Bytes in the socket's send queue not yet acknowledged by the peer (SIOCOUTQ)."""
    return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0" * 4))[0]


def open_body(port, path, content_type, length, first_bytes):
    """A connection that sent a request head declaring `length` body bytes and the first part of it."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
              f"Content-Length: {length}\r\n\r\n".encode())
    s.sendall(first_bytes)
    return s


def test_a_message_carries_three_9_mb_attachments(as_role, helpdesk):
    """Three 9 MB files in one multipart message (27 MB, past the old 12 MiB cap) are stored intact."""
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    blobs = [os.urandom(9 * 1000 * 1000) for _ in range(3)]
    files = [("attachments", (f"scan-{i}.bin", blob, "application/octet-stream")) for i, blob in enumerate(blobs)]
    response = agent.post(f"/api/tickets/{ticket['id']}/messages", data={"kind": "reply", "body": "three scans"},
                          files=files, timeout=120)
    assert response.status_code == 201, response.text
    attachments = response.json()["attachments"]
    assert [(a["fileName"], a["size"]) for a in attachments] == [(f"scan-{i}.bin", 9_000_000) for i in range(3)]
    download = agent.get(attachments[1]["url"], timeout=60)
    assert download.status_code == 200
    assert hashlib.sha256(download.content).digest() == hashlib.sha256(blobs[1]).digest()


def test_a_message_past_the_upload_cap_is_refused_before_its_body_is_read(as_role, helpdesk):
    """A declared body over 5 x 10 MiB + 2 MiB is answered 413 at once (nothing is uploaded)."""
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    too_big = 5 * 10 * 1024 * 1024 + 2 * 1024 * 1024 + 1
    s = socket.create_connection(("127.0.0.1", helpdesk.port), timeout=30)
    cookie = "; ".join(f"{c.name}={c.value}" for c in agent.http.cookies)
    s.sendall(f"POST /api/tickets/{ticket['id']}/messages HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n"
              f"X-CSRF-Token: {agent.me['csrfToken']}\r\nContent-Type: multipart/form-data; boundary=B\r\n"
              f"Content-Length: {too_big}\r\n\r\n".encode())
    answer = s.recv(65536).decode(errors="replace")
    s.close()
    assert answer.startswith("HTTP/1.1 413"), answer


def test_forty_unfinished_12_mib_bodies_keep_memory_bounded(helpdesk):
    """40 connections each stop 0.5 MiB short of a declared 12 MiB body (to a JSON route and
    to the upload route): the server's RSS grows by far less than the 460 MB they send."""
    pid = helpdesk.process.pid
    before = rss_kib(pid)
    chunk = b"x" * (1 << 20)
    sockets = []
    try:
        for i in range(40):
            path, ctype = (("/api/session", "application/json") if i % 2 == 0
                           else ("/api/tickets/1/messages", "multipart/form-data; boundary=B"))
            s = open_body(helpdesk.port, path, ctype, 12 * 1024 * 1024, b"")
            sockets.append(s)
            for _ in range(11):
                s.sendall(chunk)
            s.sendall(chunk[: 512 * 1024])
        # Wait until the server has read every byte (nothing left unacknowledged in our send
        # queues), so the bodies are in the server and not in kernel buffers.
        deadline = time.monotonic() + 60
        while sum(unsent(s) for s in sockets) > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sum(unsent(s) for s in sockets) == 0
        grown_mib = (rss_kib(pid) - before) / 1024
        # Each body is an unlinked file in the data folder's spool/, held open by the server.
        spooled = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        spooled = [link for link in spooled if "/spool/request-body-" in link and link.endswith("(deleted)")]
        assert len(spooled) == 40, spooled[:3]
        assert all(link.startswith(os.path.realpath(helpdesk.data_dir)) for link in spooled), spooled[:3]
        print(f"RSS grew by {grown_mib:.1f} MiB while 40 bodies of 11.5 MiB were in progress")
        # In memory, each body holds at most 256 KiB: 10 MiB for all 40, plus buffers.
        assert grown_mib < 48, f"RSS grew by {grown_mib:.0f} MiB"
    finally:
        for s in sockets:
            s.close()


def test_bodies_trickling_in_are_cut_with_408():
    """300 connections each trickling a body byte by byte are answered 408 and closed once the
    body deadline passes (`--body-read-timeout 2`: 2 s plus 1 s per 500 bytes received)."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-bodies-") as data_dir:
        server = start_server(data_dir, "--body-read-timeout", "2")
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        sockets = []
        try:
            for _ in range(300):
                sockets.append(open_body(server.port, "/api/session", "application/json", 1000, b"{"))
            selector = selectors.DefaultSelector()
            for s in sockets:
                s.setblocking(False)
                selector.register(s, selectors.EVENT_READ, bytearray())
            answered = {}
            started = time.monotonic()
            next_trickle = started + 1
            # Each connection trickles a byte a second while it waits; the wait ends on the
            # server's answers. A reset after the answer (the server closed with a trickled
            # byte unread) ends the connection like a FIN: the answer was read before it.
            while len(answered) < len(sockets) and time.monotonic() - started < 30:
                for key, _ in selector.select(timeout=0.2):
                    try:
                        data = key.fileobj.recv(4096)
                    except ConnectionResetError:
                        data = b""
                    if data:
                        key.data.extend(data)
                    else:
                        answered[key.fileobj] = bytes(key.data)
                        selector.unregister(key.fileobj)
                if time.monotonic() >= next_trickle:
                    next_trickle += 1
                    for s in sockets:
                        if s not in answered:
                            try:
                                s.send(b" ")
                            except OSError:
                                pass
            assert len(answered) == 300, f"{300 - len(answered)} connections still open"
            assert all(a.startswith(b"HTTP/1.1 408") for a in answered.values()), next(iter(answered.values()))
            assert b"too slowly" in next(iter(answered.values()))
        finally:
            for s in sockets:
                s.close()
            stop_server(server)


def test_a_steady_slow_upload_is_not_cut():
    """A body arriving at 4 KiB per 0.1 s (40 KB/s, far above 500 B/s) finishes past the
    2 s allowance and is answered normally."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-bodies-") as data_dir:
        email = ROLES["Agent"]
        done = cli("user", "add", "--email", email, "--name", "Slow Agent", "--role", "Agent", "--password-stdin",
                   data_dir=data_dir, input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        server = start_server(data_dir, "--body-read-timeout", "2")
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        try:
            body = f'{{"email": "{email}", "password": "{PASSWORD}", "pad": "{"x" * 120_000}"}}'.encode()
            s = open_body(server.port, "/api/session", "application/json", len(body), b"")
            for offset in range(0, len(body), 4096):
                s.sendall(body[offset:offset + 4096])
                time.sleep(0.1)  # the client's own pacing, not a wait for the server
            answer = s.recv(65536)
            s.close()
            assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        finally:
            stop_server(server)
