"""Mailboxes through the real server's REST API: passwords write-only and encrypted at rest,
administrators only, and "test connection" against real servers reporting the exact stage."""
import os
import stat

import pytest

from conftest import ADMIN_EMAIL, AGENT_EMAIL, PASSWORD

IMAP_SECRET, SMTP_SECRET = "imap-Pa55-unique-7731", "smtp-Pa55-unique-9482"


def body(name, imap_port=993, smtp_port=587, **extra):
    b = {"name": name, "address": f"{name}@desk.example.test", "displayName": "ACME Support",
         "imap": {"host": "127.0.0.1", "port": imap_port, "security": "tls", "username": "u", "password": IMAP_SECRET},
         "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "starttls", "username": "u", "password": SMTP_SECRET}}
    b.update(extra)
    return b


@pytest.fixture(scope="module")
def admin(helpdesk):
    return helpdesk.client(ADMIN_EMAIL)


def test_create_read_update_delete_never_returns_or_stores_a_password(helpdesk, admin):
    """201 with Location; no password in any answer; the database holds only ciphertext; the key file is 0600."""
    r = admin.post(helpdesk.url("/api/mailboxes"), json=body("crud"))
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["Location"] == f"/api/mailboxes/{created['id']}"
    assert created["imap"] == {"host": "127.0.0.1", "port": 993, "security": "tls", "username": "u", "passwordSet": True}
    assert created["imapFolder"] == "INBOX" and created["moveTo"] is None and created["cursor"] is None
    listed = admin.get(helpdesk.url("/api/mailboxes")).text
    one = admin.get(helpdesk.url(f"/api/mailboxes/{created['id']}")).text
    r = admin.patch(helpdesk.url(f"/api/mailboxes/{created['id']}"),
                    json={"moveTo": "Taken", "smtp": {"password": SMTP_SECRET + "-new"}})
    assert r.status_code == 200 and r.json()["moveTo"] == "Taken"
    audit = admin.get(helpdesk.url("/api/audit?limit=10")).text
    for text in (listed, one, r.text, audit):
        assert IMAP_SECRET not in text and SMTP_SECRET not in text
    for name in os.listdir(helpdesk.data_dir):
        if name.startswith("helpdesk.sqlite"):
            raw = (helpdesk.data_dir / name).read_bytes()
            assert IMAP_SECRET.encode() not in raw and SMTP_SECRET.encode() not in raw, name
    key = helpdesk.data_dir / "mail-credentials.key"
    assert key.stat().st_size == 32 and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert admin.delete(helpdesk.url(f"/api/mailboxes/{created['id']}")).status_code == 204
    assert admin.get(helpdesk.url(f"/api/mailboxes/{created['id']}")).status_code == 404


def test_only_administrators(helpdesk):
    """An agent gets 403 on every mailbox route; anonymous gets 401."""
    import requests
    agent = helpdesk.client(AGENT_EMAIL)
    assert agent.get(helpdesk.url("/api/mailboxes")).status_code == 403
    assert agent.post(helpdesk.url("/api/mailboxes"), json=body("nope")).status_code == 403
    assert requests.get(helpdesk.url("/api/mailboxes"), timeout=10).status_code == 401


def test_bad_input_names_the_field(helpdesk, admin):
    """422 problems name the wire field; a taken name is 409."""
    cases = [({"imap": {**body("x")["imap"], "port": 70000}}, "imap.port"),
             ({"smtp": {**body("x")["smtp"], "security": "ssl"}}, "smtp.security"),
             ({"address": "nobody"}, "address"), ({"name": "a b"}, "name")]
    for change, field in cases:
        r = admin.post(helpdesk.url("/api/mailboxes"), json={**body("bad"), **change})
        assert r.status_code == 422 and r.json()["field"] == field, (field, r.text)
    missing = body("bad")
    del missing["imap"]["password"]
    r = admin.post(helpdesk.url("/api/mailboxes"), json=missing)
    assert r.status_code == 422 and r.json()["field"] == "imap.password"
    assert admin.post(helpdesk.url("/api/mailboxes"), json=body("dup")).status_code == 201
    assert admin.post(helpdesk.url("/api/mailboxes"), json=body("DUP")).status_code == 409


def test_connection_test_reports_certificate_then_success_then_bad_password(helpdesk, admin, dovecot, smtp_starttls):
    """Against real Dovecot and aiosmtpd with self-signed certificates: verification on fails at the
    certificate stage; off, both log in; a wrong SMTP password fails at authentication."""
    b = body("probe", imap_port=dovecot.tls_port, smtp_port=smtp_starttls.port)
    b["imap"].update(username=dovecot.user, password=PASSWORD)
    b["smtp"].update(username="desk@example.test", password=PASSWORD)
    mailbox = admin.post(helpdesk.url("/api/mailboxes"), json=b).json()
    url = helpdesk.url(f"/api/mailboxes/{mailbox['id']}/test")
    r = admin.post(url)
    assert r.status_code == 200, r.text
    assert r.json()["imap"]["ok"] is False and r.json()["imap"]["stage"] == "certificate"
    assert r.json()["smtp"]["ok"] is False and r.json()["smtp"]["stage"] == "certificate"
    admin.patch(helpdesk.url(f"/api/mailboxes/{mailbox['id']}"), json={"verifyCertificates": False})
    result = admin.post(url).json()
    assert result["imap"]["ok"] and result["imap"]["tls"].startswith("TLSv1.") and result["imap"]["uidValidity"] > 0
    assert result["imap"]["idle"] is True
    assert result["smtp"]["ok"] and result["smtp"]["tls"].startswith("TLSv1.")
    admin.patch(helpdesk.url(f"/api/mailboxes/{mailbox['id']}"), json={"smtp": {"password": "wrong-" + SMTP_SECRET}})
    result = admin.post(url).json()
    assert result["imap"]["ok"] and result["smtp"] == {"ok": False, "stage": "authentication",
                                                        "error": result["smtp"]["error"]}
    assert "535" in result["smtp"]["error"]
    assert SMTP_SECRET not in "".join(helpdesk.output) and PASSWORD not in "".join(helpdesk.output)


def test_responses_match_the_openapi_document(helpdesk, admin):
    """The mailbox answers validate against the schemas /api/openapi.json documents for them."""
    import jsonschema
    import requests
    document = requests.get(helpdesk.url("/api/openapi.json"), timeout=10).json()

    def check(instance, schema_name):
        jsonschema.validate(instance, {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]})

    created = admin.post(helpdesk.url("/api/mailboxes"), json=body("documented", moveTo="Done"))
    assert created.status_code == 201
    assert "201" in document["paths"]["/api/mailboxes"]["post"]["responses"]
    check(created.json(), "Mailbox")
    check(admin.get(helpdesk.url("/api/mailboxes")).json(), "Mailboxes")
    check(body("x"), "MailboxInput")


def test_backup_carries_the_credential_key(helpdesk, tmp_path):
    """`helpdesk backup` copies mail-credentials.key (mode 0600): without it the copy's mailbox
    passwords could not be opened."""
    import subprocess
    from conftest import bin_dir
    target = tmp_path / "backup"
    done = subprocess.run([str(bin_dir() / "helpdesk"), "backup", str(target), "--data", str(helpdesk.data_dir)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    copied = target / "mail-credentials.key"
    assert copied.read_bytes() == (helpdesk.data_dir / "mail-credentials.key").read_bytes()
    assert stat.S_IMODE(copied.stat().st_mode) == 0o600
    assert "mail-credentials.key" in done.stdout
