"""The command line: user add, demo, backup of a live server, --help, first-run setup."""
import pathlib
import re
import sqlite3
import time
import subprocess
import tempfile
import threading

import pytest
import requests

from conftest import BINARY, PASSWORD, Client, cli, free_port, stop_server, Helpdesk, pg_databases


def add_user(data_dir, email, role, password=PASSWORD, extra=()):
    return cli("user", "add", "--email", email, "--name", "Someone", "--role", role, *extra, "--password-stdin",
               data_dir=data_dir, input_text=password + "\n")


def test_help_lists_every_command():
    done = subprocess.run([str(BINARY), "--help"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0
    for command in ("serve", "user add", "demo", "backup", "--data", "--password-stdin", "--force"):
        assert command in done.stdout


def test_user_add_accepts_role_names_in_any_case_and_ids(tmp_path):
    assert add_user(tmp_path, "one@example.test", "aDmInIsTrAtOr").returncode == 0
    done = add_user(tmp_path, "two@example.test", "2")
    assert done.returncode == 0 and "Supervisor" in done.stdout and PASSWORD not in done.stdout


def test_user_add_refuses_clearly(tmp_path):
    bad_role = add_user(tmp_path, "x@example.test", "Wizard")
    assert bad_role.returncode == 2 and "no role 'Wizard'" in bad_role.stderr and "Administrator" in bad_role.stderr
    assert add_user(tmp_path, "dup@example.test", "Agent").returncode == 0
    duplicate = add_user(tmp_path, "DUP@example.test", "Agent")
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    empty = add_user(tmp_path, "empty@example.test", "Agent", password="")
    assert empty.returncode == 2 and "empty" in empty.stderr
    short = add_user(tmp_path, "short@example.test", "Agent", password="short")
    assert short.returncode == 1 and "password" in short.stderr
    no_stdin = cli("user", "add", "--email", "a@example.test", "--name", "A", "--role", "Agent", data_dir=tmp_path)
    assert no_stdin.returncode == 2 and "--password-stdin" in no_stdin.stderr
    database = pg_databases.connect(tmp_path)
    assert [row[0] for row in database.execute("SELECT email FROM agents")] == ["dup@example.test"]


def test_demo_seeds_once_and_refuses_politely(tmp_path):
    first = cli("demo", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    database = pg_databases.connect(tmp_path)
    tickets = database.execute("SELECT count(*) FROM tickets").fetchone()[0]
    assert tickets >= 200
    for column in ("status", "priority", "category", "channel"):
        assert database.execute(f"SELECT count(DISTINCT {column}) FROM tickets").fetchone()[0] >= 4
    # Every demo ticket runs under the default SLA policy, so SLA screens have data.
    assert database.execute("SELECT count(*) FROM sla_state").fetchone()[0] == tickets
    # Nothing is dated after the command ran; every screen has something to show.
    latest = max(database.execute("SELECT max(updated_at) FROM tickets").fetchone()[0],
                 database.execute("SELECT max(created_at) FROM messages").fetchone()[0],
                 database.execute("SELECT max(answered_at) FROM csat_surveys").fetchone()[0])
    assert latest <= time.time() * 1000
    for table in ("canned_responses", "assignment_rules", "csat_surveys"):
        assert database.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    again = cli("demo", data_dir=tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr
    forced = cli("demo", "--force", data_dir=tmp_path)
    assert forced.returncode == 1 and "already present" in forced.stderr
    assert database.execute("SELECT count(*) FROM tickets").fetchone()[0] == tickets


@pytest.mark.skipif(pg_databases.is_postgres(), reason="helpdesk backup copies SQLite data folders only (PostgreSQL: pg_dump)")
def test_backup_of_a_live_server_while_it_writes(helpdesk, admin, tmp_path):
    stop = threading.Event()

    def write():
        while not stop.is_set():
            admin.post("/api/tokens", json={"name": "during backup"})

    writer = threading.Thread(target=write)
    writer.start()
    try:
        done = cli("backup", str(tmp_path / "copy"), data_dir=helpdesk.data_dir)
    finally:
        stop.set()
        writer.join()
    assert done.returncode == 0, done.stderr
    copy = sqlite3.connect(tmp_path / "copy" / "helpdesk.sqlite")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    live = sqlite3.connect(f"file:{helpdesk.data_dir}/helpdesk.sqlite?mode=ro", uri=True)
    query = "SELECT id, email, role_id FROM agents ORDER BY id"
    assert copy.execute(query).fetchall() == live.execute(query).fetchall()
    assert (tmp_path / "copy" / "attachments").is_dir()
    refused = cli("backup", str(tmp_path / "copy"), data_dir=helpdesk.data_dir)
    assert refused.returncode == 2 and "not an empty folder" in refused.stderr


def test_serve_bootstraps_the_first_administrator_once():
    with tempfile.TemporaryDirectory(prefix="helpdesk-setup-") as data_dir:
        port = free_port()
        process = subprocess.Popen([str(BINARY), "serve", "--port", str(port), "--data", data_dir],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   env=pg_databases.env(data_dir))
        server = Helpdesk(data_dir, port, process)
        try:
            lines = [process.stdout.readline() for _ in range(4)]  # SLA scheduler, listening, app files, setup link
            if pg_databases.is_postgres():
                lines.append(process.stdout.readline())  # and which node leads
            setup = [line for line in lines if "no administrator yet" in line]
            assert len(setup) == 1, lines
            token = re.search(r"/setup\?token=([0-9a-f]+) ", setup[0]).group(1)
            body = {"token": token, "name": "First", "email": "first@example.test", "password": "a long password"}
            needed = requests.get(server.url("/api/setup"), timeout=10)
            assert needed.status_code == 200 and needed.json() == {"needed": True} and token not in needed.text
            wrong = requests.post(server.url("/api/setup"), json={**body, "token": "0" * len(token)}, timeout=10)
            assert wrong.status_code == 403
            created = requests.post(server.url("/api/setup"), json=body, timeout=10)
            assert created.status_code == 201 and created.json()["role"] == "Administrator"
            again = requests.post(server.url("/api/setup"), json={**body, "email": "second@example.test"}, timeout=10)
            assert again.status_code == 409
            assert requests.get(server.url("/api/setup"), timeout=10).json() == {"needed": False}
            assert "users.manage" in Client(server, "first@example.test", "a long password").me["permissions"]
        finally:
            stop_server(server)
        output = process.stdout.read()
        assert "a long password" not in output and token not in output


def test_secure_cookies_flag_adds_the_secure_attribute(tmp_path):
    """Behind a TLS-terminating proxy, `serve --secure-cookies` marks the session cookie Secure."""
    from conftest import PASSWORD, start_server, stop_server
    import requests
    added = cli("user", "add", "--email", "tls@example.test", "--name", "TLS", "--role", "Administrator",
                "--password-stdin", data_dir=tmp_path, input_text=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    server = start_server(tmp_path, "--secure-cookies")
    try:
        response = requests.post(server.url("/api/session"), json={"email": "tls@example.test", "password": PASSWORD}, timeout=10)
        assert response.status_code == 200
        cookie = response.headers["Set-Cookie"]
        assert "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        stop_server(server)
