"""helpdesk migrate-data end to end: a demo desk on SQLite (plus a reply with an attachment and a
renamed account, made through the API) is copied into PostgreSQL by the real CLI, then served
from PostgreSQL with the same data folder; the API shows the same tickets, thread, attachment
bytes, audit entries and settings, and the old password still signs in.

Needs a PostgreSQL server: HELPDESK_TEST_DATABASE (scripts/test --postgres sets it)."""
import os
import subprocess
import threading
import urllib.parse

import pytest
import requests

from conftest import BINARY, Client, start_server, stop_server, pg_databases

pytestmark = pytest.mark.skipif(not pg_databases.SERVER,
                                reason="needs HELPDESK_TEST_DATABASE, a PostgreSQL server (scripts/test --postgres)")

DEMO_ADMIN = "alex@demo.helpdesk"
DEMO_PASSWORD = "demo-password"
SECRET = "S3cret-never-printed"


def sqlite_env():
    """The environment without HELPDESK_DATABASE: the desk lives in the data folder's SQLite."""
    env = dict(os.environ)
    env.pop("HELPDESK_DATABASE", None)
    return env


def helpdesk(*args, env=None, timeout=300):
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, timeout=timeout,
                          env=env or sqlite_env())


def serve(data_dir, *extra):
    """`helpdesk serve` on a free port (SQLite unless `extra` names a database), its log drained."""
    server = start_server(data_dir, *extra, env=sqlite_env())
    threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
    return server


def with_password(url):
    """`url` with a password in it (ignored by the test cluster's trust authentication), so the
    test can check that no output line repeats it."""
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        return url, parts.password
    netloc = f"{parts.username}:{SECRET}@{parts.hostname}:{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), SECRET


def test_a_demo_desk_moves_to_postgresql_and_serves_the_same_data(tmp_path):
    data = tmp_path / "desk"
    seeded = helpdesk("demo", "--data", str(data))
    assert seeded.returncode == 0, seeded.stderr

    # On SQLite: a reply with an attachment and a renamed account, through the API.
    server = serve(data)
    try:
        admin = Client(server, DEMO_ADMIN, DEMO_PASSWORD)
        ticket = admin.get("/api/tickets", params={"status": "open", "limit": 1}).json()["tickets"][0]
        payload = bytes(range(256)) * 40
        reply = admin.post(f"/api/tickets/{ticket['id']}/messages", data={"kind": "reply", "body": "Logs attached"},
                           files=[("attachments", ("logs.bin", payload, "application/octet-stream"))])
        assert reply.status_code == 201, reply.text
        attachment = reply.json()["attachments"][0]
        assert admin.patch("/api/account", json={"name": "Moved Desk"}).status_code == 200
        before = admin.get("/api/tickets", params={"limit": 1}).json()["total"]
        audit_before = admin.get("/api/audit", params={"limit": 500}).json()["entries"]
        admin_on_sqlite = admin
    finally:
        stop_server(server)

    url, password = with_password(pg_databases.database_url(tmp_path / "target"))
    moved = helpdesk("migrate-data", "--data", str(data), "--database", url)
    output = moved.stdout + moved.stderr
    assert moved.returncode == 0, output
    assert password not in output
    assert "counts and checksums match on all" in moved.stdout
    assert "attachment store: all 1 files the database names are in" in moved.stdout
    assert "mail-credentials.key" in moved.stdout and "access-link.key" in moved.stdout

    # A second run finds the desk there and refuses, saying so in one line.
    again = helpdesk("migrate-data", "--data", str(data), "--database", url)
    assert again.returncode == 1 and "already holds data" in again.stderr and password not in again.stderr + again.stdout

    # --verify-only compares without copying; a row changed on PostgreSQL fails it, naming the table.
    checked = helpdesk("migrate-data", "--verify-only", "--data", str(data), "--database", url)
    assert checked.returncode == 0 and "counts and checksums match on all" in checked.stdout, checked.stderr
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c",
                    "UPDATE contacts SET name = name || '!' WHERE id = (SELECT min(id) FROM contacts)"],
                   check=True, capture_output=True, timeout=60)
    changed = helpdesk("migrate-data", "--verify-only", "--data", str(data), "--database", url)
    assert changed.returncode == 1 and "verification failed on contacts:" in changed.stderr
    assert "contacts" in changed.stdout and "DIFFERENT" in changed.stdout and password not in changed.stdout + changed.stderr
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c",
                    "UPDATE contacts SET name = left(name, -1) WHERE id = (SELECT min(id) FROM contacts)"],
                   check=True, capture_output=True, timeout=60)

    # The HELPDESK_DATABASE variable names the target as well as --database.
    env = sqlite_env()
    env["HELPDESK_DATABASE"] = url
    by_env = helpdesk("migrate-data", "--data", str(data), env=env)
    assert by_env.returncode == 1 and "already holds data" in by_env.stderr

    # On PostgreSQL, same data folder: the same desk.
    server = serve(data, "--database", url)
    try:
        # The session made on SQLite is still valid.
        admin_on_sqlite.server = server
        assert admin_on_sqlite.get("/api/session").status_code == 200
        admin = Client(server, DEMO_ADMIN, DEMO_PASSWORD)
        assert admin.get("/api/tickets", params={"limit": 1}).json()["total"] == before
        thread = admin.get(f"/api/tickets/{ticket['id']}/messages").json()
        messages = thread["messages"] if isinstance(thread, dict) else thread
        copied = [a for m in messages for a in m.get("attachments", [])]
        assert [a["id"] for a in copied] == [attachment["id"]]
        download = admin.get(f"/api/attachments/{attachment['id']}")
        assert download.status_code == 200 and download.content == payload
        assert admin.get("/api/account").json()["name"] == "Moved Desk"
        audit = admin.get("/api/audit", params={"limit": 500}).json()["entries"]
        assert [e["id"] for e in audit] == [e["id"] for e in audit_before]
        assert any(e["action"] == "account.updated" for e in audit)
        # Search works on the copied rows (PostgreSQL computed their search vectors).
        found = admin.get("/api/tickets", params={"q": "logs attached", "limit": 50}).json()["tickets"]
        assert ticket["id"] in [t["id"] for t in found]
        # New rows continue after the copied ids.
        created = admin.post("/api/tickets", json={"subject": "After the move", "description": "d",
                                                   "requester": {"name": "Grace", "email": "grace@example.com"}})
        assert created.status_code == 201, created.text
        # The demo desk has tickets 1 to `before`, none deleted: the next id and number follow.
        assert created.json()["id"] == before + 1 and created.json()["reference"] == f"TKT-{before + 1}"
        wrong = requests.post(server.url("/api/session"), json={"email": DEMO_ADMIN, "password": "not-it"}, timeout=10)
        assert wrong.status_code in (401, 422)
    finally:
        stop_server(server)


def test_migrate_data_refuses_clearly_without_a_target_or_a_source(tmp_path):
    no_target = helpdesk("migrate-data", "--data", str(tmp_path))
    assert no_target.returncode == 2 and "--database" in no_target.stderr
    url, password = with_password(pg_databases.database_url(tmp_path / "empty-target"))
    no_source = helpdesk("migrate-data", "--data", str(tmp_path / "nothing-here"), "--database", url)
    assert no_source.returncode == 2 and "no SQLite database at" in no_source.stderr
    assert password not in no_source.stderr
