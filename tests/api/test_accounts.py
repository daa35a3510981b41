"""Accounts over real HTTP: sessions, CSRF, throttling, API tokens, agents, roles, account
settings and logo, malformed input. Every response is checked against the OpenAPI document."""
import itertools
import tempfile

import pytest
import requests

from conftest import PASSWORD, ROLES, Client, cli, start_server, stop_server, pg_databases
from openapi_util import check

_counter = itertools.count(1)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\0" * 40
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def new_agent(admin, role_id=3, password="a long password 1"):
    """Adds an agent with a unique email through the API; returns its body."""
    n = next(_counter)
    response = check(admin.server, "POST", "/api/agents", admin.post(
        "/api/agents", json={"name": f"Temp {n}", "email": f"temp{n}@example.test", "password": password, "roleId": role_id}))
    assert response.status_code == 201, response.text
    return response.json()


# Sessions

def test_login_returns_session_and_sets_a_hardened_cookie(helpdesk):
    response = requests.post(helpdesk.url("/api/session"), json={"email": ROLES["Agent"], "password": PASSWORD}, timeout=10)
    check(helpdesk, "POST", "/api/session", response)
    assert response.status_code == 200
    body = response.json()
    assert body["agent"]["email"] == ROLES["Agent"] and body["agent"]["role"] == "Agent"
    assert "ticket.view" in body["permissions"] and "users.manage" not in body["permissions"]
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("helpdesk_session=")
    for attribute in ("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=604800"):
        assert attribute in cookie
    assert "Secure" not in cookie  # plain HTTP here; Secure is added behind TLS
    assert PASSWORD not in response.text


def test_me_and_logout(as_role):
    client = as_role("Supervisor")
    me = check(client.server, "GET", "/api/session", client.get("/api/session"))
    assert me.status_code == 200 and me.json()["agent"]["email"] == ROLES["Supervisor"]
    assert me.json()["csrfToken"] == client.me["csrfToken"]
    out = check(client.server, "DELETE", "/api/session", client.delete("/api/session"))
    assert out.status_code == 204 and "Max-Age=0" in out.headers["Set-Cookie"]
    assert client.get("/api/session").status_code == 401


def test_login_rotates_the_presented_session(helpdesk):
    client = Client(helpdesk, ROLES["Agent"])
    old = client.http.cookies["helpdesk_session"]
    again = client.http.post(helpdesk.url("/api/session"), json={"email": ROLES["Agent"], "password": PASSWORD}, timeout=10)
    assert again.status_code == 200 and client.http.cookies["helpdesk_session"] != old
    stale = requests.get(helpdesk.url("/api/session"), cookies={"helpdesk_session": old}, timeout=10)
    assert stale.status_code == 401


def test_wrong_password_is_401_problem(helpdesk):
    response = requests.post(helpdesk.url("/api/session"), json={"email": ROLES["Agent"], "password": "nope"}, timeout=10)
    check(helpdesk, "POST", "/api/session", response)
    assert response.status_code == 401 and response.headers["Content-Type"] == "application/problem+json"
    assert "Set-Cookie" not in response.headers


def test_repeated_failures_are_throttled_with_retry_after():
    # A server of its own: throttling is per email and per IP, and every test runs from 127.0.0.1.
    with tempfile.TemporaryDirectory(prefix="helpdesk-throttle-") as data_dir:
        email = "throttled@example.test"
        assert cli("user", "add", "--email", email, "--name", "T", "--role", "Agent", "--password-stdin",
                   data_dir=data_dir, input_text=PASSWORD + "\n").returncode == 0
        server = start_server(data_dir)
        try:
            statuses = [requests.post(server.url("/api/session"), json={"email": email, "password": "wrong"}, timeout=10).status_code
                        for _ in range(5)]
            assert statuses == [401] * 5
            locked = requests.post(server.url("/api/session"), json={"email": email, "password": PASSWORD}, timeout=10)
            check(server, "POST", "/api/session", locked)
            assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
        finally:
            stop_server(server)


def test_cookie_requests_need_the_csrf_header_for_unsafe_methods(as_role):
    client = as_role("Agent")
    del client.http.headers["X-CSRF-Token"]
    assert client.get("/api/tokens").status_code == 200  # safe methods need none
    refused = client.post("/api/tokens", json={"name": "no csrf"})
    check(client.server, "POST", "/api/tokens", refused)
    assert refused.status_code == 403
    wrong = client.post("/api/tokens", json={"name": "wrong csrf"}, headers={"X-CSRF-Token": "x" * 43})
    assert wrong.status_code == 403
    names = [t["name"] for t in client.get("/api/tokens").json()]
    assert "no csrf" not in names and "wrong csrf" not in names


# API tokens

def test_api_token_create_use_and_revoke(as_role):
    client = as_role("Agent")
    created = check(client.server, "POST", "/api/tokens", client.post("/api/tokens", json={"name": "CI"}))
    assert created.status_code == 201
    secret, token = created.json()["secret"], created.json()["token"]
    assert secret.startswith("hdk_") and secret.startswith(token["prefix"])
    listed = check(client.server, "GET", "/api/tokens", client.get("/api/tokens")).json()
    assert any(t["id"] == token["id"] for t in listed) and secret not in str(listed)
    bearer = {"Authorization": f"Bearer {secret}"}
    me = requests.get(client.server.url("/api/session"), headers=bearer, timeout=10)
    assert me.status_code == 200 and me.json()["agent"]["email"] == ROLES["Agent"] and "csrfToken" not in me.json()
    # Bearer callers need no CSRF token (no cookies involved).
    assert requests.post(client.server.url("/api/tokens"), json={"name": "via bearer"}, headers=bearer, timeout=10).status_code == 201
    revoked = check(client.server, "DELETE", "/api/tokens/{id}", client.delete(f"/api/tokens/{token['id']}"))
    assert revoked.status_code == 204
    assert requests.get(client.server.url("/api/session"), headers=bearer, timeout=10).status_code == 401


def test_others_cannot_revoke_your_token(as_role):
    owner, other = as_role("Supervisor"), as_role("Agent")
    token = owner.post("/api/tokens", json={"name": "mine"}).json()["token"]
    assert other.delete(f"/api/tokens/{token['id']}").status_code == 403
    assert other.delete("/api/tokens/99999999").status_code == 404
    assert next(t for t in owner.get("/api/tokens").json() if t["id"] == token["id"]).get("revokedAt") is None


# Agents

def test_agents_crud(admin, as_role):
    agent = new_agent(admin)
    listed = check(admin.server, "GET", "/api/agents", as_role("Agent").get("/api/agents"))
    assert any(a["id"] == agent["id"] for a in listed.json())
    shown = check(admin.server, "GET", "/api/agents/{id}", admin.get(f"/api/agents/{agent['id']}"))
    assert shown.json() == agent
    # roleID, the spelling before roleId, is still accepted (README: wire names).
    changed = check(admin.server, "PATCH", "/api/agents/{id}", admin.patch(
        f"/api/agents/{agent['id']}", json={"name": "Renamed", "roleID": 2, "away": True}))
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["role"], changed.json()["away"]) == ("Renamed", "Supervisor", True)
    duplicate = check(admin.server, "POST", "/api/agents", admin.post("/api/agents", json={
        "name": "Dup", "email": agent["email"].upper(), "password": "a long password", "roleId": 3}))
    assert duplicate.status_code == 409 and duplicate.json()["field"] == "email"
    disabled = admin.patch(f"/api/agents/{agent['id']}", json={"active": False})
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    login = requests.post(admin.server.url("/api/session"), json={"email": agent["email"], "password": "a long password 1"}, timeout=10)
    assert login.status_code == 401


def test_agents_edit_their_own_name_and_away_flag_only(admin):
    agent = new_agent(admin)
    client = Client(admin.server, agent["email"], "a long password 1")
    own = client.patch(f"/api/agents/{agent['id']}", json={"name": "Me", "away": True})
    assert own.status_code == 200 and own.json()["away"] is True
    assert client.patch(f"/api/agents/{agent['id']}", json={"roleId": 1}).status_code == 403
    assert client.patch(f"/api/agents/{admin.me['agent']['id']}", json={"name": "Hacked"}).status_code == 403
    assert admin.get(f"/api/agents/{agent['id']}").json()["role"] == "Agent"


def test_password_change_self_needs_current_and_admin_reset_works(admin):
    agent = new_agent(admin)
    client = Client(admin.server, agent["email"], "a long password 1")
    path = f"/api/agents/{agent['id']}/password"
    missing = check(admin.server, "PUT", "/api/agents/{id}/password", client.put(path, json={"password": "brand new password"}))
    assert missing.status_code == 422 and missing.json()["field"] == "currentPassword"
    wrong = client.put(path, json={"currentPassword": "guess", "password": "brand new password"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "currentPassword"
    short = client.put(path, json={"currentPassword": "a long password 1", "password": "short"})
    assert short.status_code == 422 and short.json()["field"] == "password"
    done = client.put(path, json={"currentPassword": "a long password 1", "password": "brand new password"})
    assert done.status_code == 204
    Client(admin.server, agent["email"], "brand new password")
    assert admin.put(path, json={"password": "reset by admin"}).status_code == 204
    Client(admin.server, agent["email"], "reset by admin")


def test_the_last_administrator_cannot_be_demoted_or_deactivated(admin):
    me = admin.me["agent"]["id"]
    admins = [a for a in admin.get("/api/agents").json() if a["roleId"] == 1 and a["active"]]
    assert len(admins) == 1
    for patch in ({"roleId": 3}, {"active": False}):
        refused = check(admin.server, "PATCH", "/api/agents/{id}", admin.patch(f"/api/agents/{me}", json=patch))
        assert refused.status_code == 403
    assert admin.get(f"/api/agents/{me}").json()["role"] == "Administrator"


# Roles and permissions

def test_roles_crud_and_built_ins_are_undeletable(admin):
    permissions = check(admin.server, "GET", "/api/permissions", admin.get("/api/permissions")).json()
    assert {"name": "users.manage"}.items() <= next(p for p in permissions if p["name"] == "users.manage").items()
    created = check(admin.server, "POST", "/api/roles", admin.post("/api/roles", json={"name": "Triage", "permissions": ["ticket.view"]}))
    assert created.status_code == 201 and created.json()["builtIn"] is False
    role = created.json()
    updated = check(admin.server, "PATCH", "/api/roles/{id}", admin.patch(
        f"/api/roles/{role['id']}", json={"permissions": ["ticket.view", "ticket.assign"]}))
    assert updated.json()["permissions"] == ["ticket.assign", "ticket.view"]
    holder = new_agent(admin, role_id=role["id"])
    busy = check(admin.server, "DELETE", "/api/roles/{id}", admin.delete(f"/api/roles/{role['id']}"))
    assert busy.status_code == 409
    admin.patch(f"/api/agents/{holder['id']}", json={"roleId": 3})
    assert admin.delete(f"/api/roles/{role['id']}").status_code == 204
    assert check(admin.server, "DELETE", "/api/roles/{id}", admin.delete(f"/api/roles/{role['id']}")).status_code == 404
    for built_in in (1, 2, 3):
        assert admin.delete(f"/api/roles/{built_in}").status_code == 403
    roles = check(admin.server, "GET", "/api/roles", admin.get("/api/roles")).json()
    assert [r["name"] for r in roles][:3] == ["Administrator", "Supervisor", "Agent"]


def test_administrator_keeps_every_permission_but_built_ins_are_editable(admin):
    stripped = admin.patch("/api/roles/1", json={"permissions": ["ticket.view"]})
    assert stripped.status_code == 422 and stripped.json()["field"] == "permissions"
    supervisor = admin.get("/api/roles").json()[1]
    edited = admin.patch("/api/roles/2", json={"permissions": supervisor["permissions"] + ["users.manage"]})
    assert edited.status_code == 200 and "users.manage" in edited.json()["permissions"]
    restored = admin.patch("/api/roles/2", json={"permissions": supervisor["permissions"]})
    assert restored.json()["permissions"] == supervisor["permissions"]


def test_unknown_permission_and_duplicate_role_name_are_refused(admin):
    unknown = check(admin.server, "POST", "/api/roles", admin.post("/api/roles", json={"name": "X", "permissions": ["root"]}))
    assert unknown.status_code == 422 and unknown.json()["field"] == "permissions"
    taken = check(admin.server, "POST", "/api/roles", admin.post("/api/roles", json={"name": "agent", "permissions": []}))
    assert taken.status_code == 409 and taken.json()["field"] == "name"


# Account settings and logo

def test_account_name_and_logo(admin, as_role):
    renamed = check(admin.server, "PATCH", "/api/account", admin.patch("/api/account", json={"name": "Acme Support"}))
    assert renamed.status_code == 200 and renamed.json()["name"] == "Acme Support"
    seen = check(admin.server, "GET", "/api/account", as_role("Agent").get("/api/account"))
    assert seen.json()["name"] == "Acme Support"
    uploaded = check(admin.server, "PUT", "/api/account/logo", admin.put("/api/account/logo", data=PNG, headers={"Content-Type": "image/png"}))
    assert uploaded.status_code == 200 and uploaded.json()["logoContentType"] == "image/png"
    logo = check(admin.server, "GET", "/api/account/logo", as_role("Agent").get("/api/account/logo"))
    assert logo.content == PNG and logo.headers["Content-Type"] == "image/png"
    assert logo.headers["X-Content-Type-Options"] == "nosniff" and "sandbox" in logo.headers["Content-Security-Policy"]


def test_svg_mismatched_and_oversized_logos_are_refused(admin):
    svg = check(admin.server, "PUT", "/api/account/logo", admin.put("/api/account/logo", data=SVG, headers={"Content-Type": "image/svg+xml"}))
    assert svg.status_code == 422 and svg.json()["field"] == "logo"
    disguised = admin.put("/api/account/logo", data=SVG, headers={"Content-Type": "image/png"})
    assert disguised.status_code == 422
    mismatched = admin.put("/api/account/logo", data=PNG, headers={"Content-Type": "image/jpeg"})
    assert mismatched.status_code == 422
    huge = check(admin.server, "PUT", "/api/account/logo", admin.put(
        "/api/account/logo", data=PNG + b"\0" * (512 * 1024), headers={"Content-Type": "image/png"}))
    assert huge.status_code == 413
    logo = admin.get("/api/account/logo")
    assert logo.status_code in (200, 404) and b"<svg" not in logo.content


# Malformed input leaves data intact

@pytest.mark.parametrize("method,path,template", [
    ("POST", "/api/agents", "/api/agents"),
    ("POST", "/api/roles", "/api/roles"),
    ("PATCH", "/api/account", "/api/account"),
    ("POST", "/api/tokens", "/api/tokens"),
])
def test_invalid_json_is_400(admin, method, path, template):
    response = admin.request(method, path, data=b'{"name": ', headers={"Content-Type": "application/json"})
    check(admin.server, method, template, response)
    assert response.status_code == 400 and response.headers["Content-Type"] == "application/problem+json"


def test_wrong_types_are_422_naming_the_field(admin):
    before = admin.get("/api/agents").json()
    cases = [
        ("POST", "/api/agents", {"name": "X", "email": "x@example.test", "password": "a long password", "roleId": "1"}, "roleId"),
        ("POST", "/api/agents", {"name": "X", "email": "x@example.test", "roleId": 3}, "password"),
        ("PATCH", f"/api/agents/{before[0]['id']}", {"away": "yes"}, "away"),
        ("POST", "/api/roles", {"name": 7, "permissions": []}, "name"),
        ("PATCH", "/api/account", {"name": ["list"]}, "name"),
        ("POST", "/api/agents", {"name": "X", "email": "not-an-email", "password": "a long password", "roleId": 3}, "email"),
        ("POST", "/api/agents", {"name": "X", "email": "y@example.test", "password": "a long password", "roleId": 999}, "roleId"),
    ]
    for method, path, body, field in cases:
        response = admin.request(method, path, json=body)
        assert response.status_code == 422, (path, body, response.text)
        assert response.json()["field"] == field, (path, body, response.text)
    assert admin.get("/api/agents").json() == before


def test_unknown_ids_are_404(admin):
    for method, path in [("GET", "/api/agents/999999"), ("PATCH", "/api/agents/999999"), ("GET", "/api/agents/abc"),
                         ("PATCH", "/api/roles/999999"), ("DELETE", "/api/roles/999999"), ("DELETE", "/api/tokens/0"),
                         ("PUT", "/api/agents/999999/password")]:
        body = {"password": "a long password"} if path.endswith("password") else {"name": "x"}
        response = admin.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert response.headers["Content-Type"] == "application/problem+json"


def test_stored_data_is_intact_after_the_abuse(helpdesk, admin):
    database = pg_databases.connect(helpdesk.data_dir)
    try:
        if not pg_databases.is_postgres():  # PostgreSQL has no file check to ask for
            assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        emails = {row[0] for row in database.execute("SELECT email FROM agents")}
        assert set(ROLES.values()) <= emails
        assert not any(e in ("x@example.test", "y@example.test", "not-an-email") for e in emails)
    finally:
        database.close()
    assert [r["name"] for r in admin.get("/api/roles").json()][:3] == ["Administrator", "Supervisor", "Agent"]
