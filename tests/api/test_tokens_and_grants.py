"""Tokens, grants, passwords, /metrics and the browser's origin checks against the real
binary (issue 11, items 7 and 8)."""
import base64
import contextlib
import os
import socket
import tempfile
import threading

import requests

from conftest import PASSWORD, ROLES, Client, cli, start_server, stop_server
from openapi_util import check
from tickets_support import unique

METRICS_TOKEN = "metrics-secret-0123456789"


@contextlib.contextmanager
def own_server(*extra):
    """A fresh server with an Administrator, started with `extra` options."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-tokens-") as data_dir:
        assert cli("user", "add", "--email", ROLES["Administrator"], "--name", "Admin", "--role", "Administrator",
                   "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n").returncode == 0
        server = start_server(data_dir, *extra)
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        try:
            yield server
        finally:
            stop_server(server)


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def new_agent(admin, role_id, password="a long passphrase here"):
    email = f"{unique('agent')}@example.test"
    response = admin.post("/api/agents", json={"name": "Someone", "email": email, "password": password, "roleId": role_id})
    assert response.status_code == 201, response.text
    return response.json(), Client(admin.server, email, password)


def test_a_people_manager_cannot_make_themselves_administrator(helpdesk, admin):
    """users.manage or roles.manage alone is not enough to grant more than one holds."""
    role = admin.post("/api/roles", json={"name": unique("People"), "permissions": ["users.manage", "ticket.view"]}).json()
    me, manager = new_agent(admin, role["id"])
    refused = manager.patch(f"/api/agents/{me['id']}", json={"roleId": 1})
    check(helpdesk, "PATCH", "/api/agents/{id}", refused)
    assert refused.status_code == 403 and refused.json()["field"] == "roleId"
    assert manager.post("/api/agents", json={"name": "Sock", "email": f"{unique('sock')}@example.test",
                                              "password": "a long passphrase here", "roleId": 1}).status_code == 403
    assert manager.put(f"/api/agents/{admin.me['agent']['id']}/password", json={"password": "taken over now!"}).status_code == 403
    assert manager.patch(f"/api/agents/{admin.me['agent']['id']}", json={"active": False}).status_code == 403
    roles_role = admin.post("/api/roles", json={"name": unique("Roles"), "permissions": ["roles.manage", "ticket.view"]}).json()
    _, role_editor = new_agent(admin, roles_role["id"])
    widened = role_editor.patch(f"/api/roles/{roles_role['id']}", json={"permissions": ["roles.manage", "ticket.view", "users.manage"]})
    assert widened.status_code == 403 and "users.manage" in widened.json()["detail"]
    assert role_editor.patch("/api/roles/2", json={"permissions": ["ticket.view", "account.manage"]}).status_code == 403
    assert admin.get(f"/api/agents/{me['id']}").json()["roleId"] == role["id"]


def test_passwords_need_twelve_characters_and_must_not_be_common(admin):
    for password in ("elevenchars", "qwertyuiop123", "Password2024!", "1qaz2wsx3edc4rfv"):
        response = admin.post("/api/agents", json={"name": "Weak", "email": f"{unique('weak')}@example.test",
                                                    "password": password, "roleId": 3})
        assert response.status_code == 422 and response.json()["field"] == "password", (password, response.text)


def test_tokens_expire_are_scoped_and_listed_with_last_use():
    with own_server("--test-clock") as server:
        admin = Client(server, ROLES["Administrator"])
        created = admin.post("/api/tokens", json={"name": "hourly", "expiresAt": "2999-01-01T00:00:00Z"})
        assert created.status_code == 201
        short = admin.post("/api/tokens", json={"name": "short", "expiresAt": _in_one_hour(admin)}).json()
        assert requests.get(server.url("/api/tickets"), headers=bearer(short["secret"]), timeout=10).status_code == 200
        assert admin.post("/api/test/clock", json={"advanceSeconds": 3601}).status_code == 200
        expired = requests.get(server.url("/api/tickets"), headers=bearer(short["secret"]), timeout=10)
        assert expired.status_code == 401 and "expired" in expired.json()["detail"]
        assert requests.get(server.url("/api/tickets"), headers=bearer(created.json()["secret"]), timeout=10).status_code == 200
        past = admin.post("/api/tokens", json={"name": "past", "expiresAt": "2001-01-01T00:00:00Z"})
        assert past.status_code == 422 and past.json()["field"] == "expiresAt"

        reader = admin.post("/api/tokens", json={"name": "reader", "scope": "read"}).json()
        assert requests.get(server.url("/api/tickets"), headers=bearer(reader["secret"]), timeout=10).status_code == 200
        write = requests.post(server.url("/api/tickets"), headers=bearer(reader["secret"]), timeout=10,
                              json={"subject": "x", "requester": {"email": "r@example.test"}})
        assert write.status_code == 403 and "read-only" in write.json()["detail"]

        viewer = admin.post("/api/tokens", json={"name": "viewer", "permissions": ["ticket.view"]}).json()
        assert viewer["token"]["permissions"] == ["ticket.view"] and viewer["token"]["scope"] == "full"
        session = requests.get(server.url("/api/session"), headers=bearer(viewer["secret"]), timeout=10).json()
        assert session["permissions"] == ["ticket.view"]
        assert requests.post(server.url("/api/tickets"), headers=bearer(viewer["secret"]), timeout=10,
                             json={"subject": "x", "requester": {"email": "r@example.test"}}).status_code == 403
        listed = {t["name"]: t for t in admin.get("/api/tokens").json()}
        assert listed["viewer"]["lastUsedAt"] is not None and listed["reader"]["lastUsedAt"] is not None
        assert listed["short"]["expiresAt"] is not None and listed["reader"]["scope"] == "read"
        assert listed["hourly"]["expiresAt"].startswith("2999-01-01") and listed["hourly"]["permissions"] is None


def _in_one_hour(admin):
    """The server's clock (the test clock) plus an hour, from a fresh token's createdAt."""
    probe = admin.post("/api/tokens", json={"name": "clock probe"}).json()["token"]["createdAt"]
    from datetime import datetime, timedelta
    return (datetime.fromisoformat(probe.replace("Z", "+00:00")) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_deactivation_revokes_tokens_and_a_password_change_may(helpdesk, admin):
    agent, client = new_agent(admin, 3)
    kept = client.post("/api/tokens", json={"name": "kept"}).json()["secret"]
    path = f"/api/agents/{agent['id']}/password"
    assert client.put(path, json={"currentPassword": "a long passphrase here", "password": "second passphrase here"}).status_code == 204
    assert requests.get(helpdesk.url("/api/session"), headers=bearer(kept), timeout=10).status_code == 200
    client = Client(helpdesk, agent["email"], "second passphrase here")
    assert client.put(path, json={"currentPassword": "second passphrase here", "password": "third passphrase here",
                                  "revokeApiTokens": True}).status_code == 204
    assert requests.get(helpdesk.url("/api/session"), headers=bearer(kept), timeout=10).status_code == 401
    client = Client(helpdesk, agent["email"], "third passphrase here")
    token = client.post("/api/tokens", json={"name": "until deactivated"}).json()["secret"]
    assert admin.patch(f"/api/agents/{agent['id']}", json={"active": False}).status_code == 200
    assert admin.patch(f"/api/agents/{agent['id']}", json={"active": True}).status_code == 200
    assert requests.get(helpdesk.url("/api/session"), headers=bearer(token), timeout=10).status_code == 401
    tokens = check(helpdesk, "GET", "/api/agents/{id}/tokens", admin.get(f"/api/agents/{agent['id']}/tokens"))
    assert all(t["revokedAt"] for t in tokens.json())


def test_metrics_can_be_kept_private():
    with own_server("--metrics-token", METRICS_TOKEN) as server:
        assert requests.get(server.url("/metrics"), timeout=10).status_code == 401
        assert requests.get(server.url("/metrics"), headers=bearer("wrong-token-0123456789"), timeout=10).status_code == 401
        allowed = requests.get(server.url("/metrics"), headers=bearer(METRICS_TOKEN), timeout=10)
        assert allowed.status_code == 200 and "# TYPE" in allowed.text
    done = cli("serve", "--metrics-token", "short", data_dir=tempfile.mkdtemp())
    assert done.returncode == 2 and "--metrics-token" in done.stderr


def upgrade_status(server, client, origin, extra=()):
    """The status line's code of a raw /api/live upgrade with `origin` (None: no Origin)."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET /api/live HTTP/1.1", f"Host: 127.0.0.1:{server.port}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13",
             f"Cookie: helpdesk_session={client.http.cookies.get('helpdesk_session')}", *extra]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return int(sock.recv(4096).split(b" ", 2)[1])


def test_the_live_origin_check_compares_scheme_host_and_port(helpdesk, admin):
    port = helpdesk.port
    assert upgrade_status(helpdesk, admin, f"http://127.0.0.1:{port}") == 101
    assert upgrade_status(helpdesk, admin, None) == 101
    for foreign in (f"https://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}", "http://127.0.0.1", f"ws://127.0.0.1:{port}",
                    f"http://evil.example:{port}", "null", f"http://127.0.0.1:{port}.evil.example"):
        assert upgrade_status(helpdesk, admin, foreign) == 403, foreign
    # Behind a TLS-terminating proxy that says so, the page's origin is https.
    assert upgrade_status(helpdesk, admin, f"https://127.0.0.1:{port}", ["X-Forwarded-Proto: https"]) == 101
    assert upgrade_status(helpdesk, admin, f"http://127.0.0.1:{port}", ["X-Forwarded-Proto: https"]) == 403


def test_the_csp_names_the_apps_own_websocket_origin(helpdesk):
    page = requests.get(helpdesk.url("/tickets/1"), headers={"Accept": "text/html"}, timeout=10)
    csp = page.headers["Content-Security-Policy"]
    assert f"connect-src 'self' ws://127.0.0.1:{helpdesk.port};" in csp
    assert " ws: " not in csp and " wss:" not in csp
    proxied = requests.get(helpdesk.url("/tickets/1"), headers={"Accept": "text/html", "X-Forwarded-Proto": "https",
                                                                 "Host": "help.example.com"}, timeout=10)
    assert "connect-src 'self' wss://help.example.com;" in proxied.headers["Content-Security-Policy"]
    odd = requests.get(helpdesk.url("/tickets/1"), headers={"Accept": "text/html", "Host": "x; script-src *"}, timeout=10)
    assert "script-src *" not in odd.headers.get("Content-Security-Policy", "")
