"""Ingestion throughput: N customer emails waiting in a real Dovecot INBOX, then `helpdesk serve`
starts and takes them (IMAP FETCH, MIME parse, ticket + contact + mail_messages + cursor
committed per email). Reports emails/s from the watcher's first connection to the cursor
reaching the last UID.

    .venv-test/bin/python benchmarks/mail/ingest_bench.py [N] [--bin-dir DIR]
"""
import argparse
import imaplib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "mail"))
import conftest  # noqa: E402  (reuses the test suite's Dovecot and server helpers)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=500)
    parser.add_argument("--bin-dir")
    args = parser.parse_args()
    if args.bin_dir:
        os.environ["HELPDESK_BIN_DIR"] = args.bin_dir
    import tempfile
    certs = Path(tempfile.mkdtemp(prefix="mailbench-certs-"))
    import subprocess
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(certs / "key.pem"),
                    "-out", str(certs / "cert.pem")], check=True, capture_output=True)
    dovecot = conftest.start_dovecot(certs)
    data = Path(tempfile.mkdtemp(prefix="mailbench-data-"))
    try:
        m = dovecot.client()
        body = "\r\n".join(f"Line {i} of a customer's message about the printer." for i in range(40))
        for n in range(args.count):
            raw = (f"From: Customer {n} <c{n}@customer.test>\r\nTo: desk@example.test\r\nSubject: Printer {n}\r\n"
                   f"Message-ID: <bench-{n}@customer.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()
            m.append("INBOX", None, imaplib.Time2Internaldate(time.time()), raw)
        m.logout()
        conftest.add_agents(data)
        server = conftest.start_helpdesk(data)
        admin = server.client(conftest.ADMIN_EMAIL)
        r = admin.post(server.url("/api/mailboxes"), json={
            "name": "bench", "address": "desk@example.test", "verifyCertificates": False,
            "imap": {"host": "127.0.0.1", "port": dovecot.tls_port, "security": "tls", "username": dovecot.user,
                     "password": conftest.PASSWORD},
            "smtp": {"host": "127.0.0.1", "port": 9, "security": "starttls", "username": "u", "password": "p"}})
        mailbox = r.json()["id"]
        conftest.stop_helpdesk(server)
        server = conftest.start_helpdesk(data)
        admin = server.client(conftest.ADMIN_EMAIL)
        while not any("mail: bench: connected" in line for line in server.output):
            time.sleep(0.01)
        start = time.monotonic()
        while True:
            cursor = admin.get(server.url(f"/api/mailboxes/{mailbox}")).json()["cursor"]
            if cursor and cursor["lastUid"] >= args.count:
                break
            time.sleep(0.02)
        elapsed = time.monotonic() - start
        total = admin.get(server.url("/api/tickets?limit=1")).json()["total"]
        print(f"{args.count} emails -> {total} tickets in {elapsed:.2f} s: {args.count / elapsed:.0f} emails/s")
        conftest.stop_helpdesk(server)
    finally:
        conftest.stop_dovecot(dovecot)


if __name__ == "__main__":
    main()
