"""The permission matrix: every built-in role (and anonymous) against every endpoint, with
the exact status each must get. Add ticket routes as rows of ROUTES."""
import itertools
from dataclasses import dataclass, field
from typing import Callable, Optional

import pytest

from conftest import PASSWORD, ROLES, cli
from openapi_util import check

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\0" * 32
_unique = itertools.count(1)
ROLE_NAMES = ("Administrator", "Supervisor", "Agent", "anonymous")


@dataclass
class Route:
    """One endpoint: how to call it and the status each role gets, in ROLE_NAMES order.
    `prepare(admin, caller)` returns the concrete path (and may create what it needs as admin)."""
    method: str
    template: str
    statuses: tuple
    prepare: Optional[Callable] = None
    body: Optional[Callable] = None
    raw: Optional[tuple] = None
    note: str = field(default="")

    def path(self, admin, caller):
        return self.prepare(admin, caller) if self.prepare else self.template


def _self_id(admin, caller):
    return caller.me["agent"]["id"] if caller.me else admin.me["agent"]["id"]


def _new_agent(admin):
    n = next(_unique)
    return admin.post("/api/agents", json={"name": f"Matrix {n}", "email": f"matrix{n}@example.test",
                                           "password": "a long password", "roleId": 3}).json()["id"]


def _new_role(admin):
    return admin.post("/api/roles", json={"name": f"Matrix role {next(_unique)}", "permissions": ["ticket.view"]}).json()["id"]


def _own_token(admin, caller):
    owner = caller if caller.me else admin
    return f"/api/tokens/{owner.post('/api/tokens', json={'name': 'matrix'}).json()['token']['id']}"


def _with_logo(admin, _caller):
    admin.put("/api/account/logo", data=PNG, headers={"Content-Type": "image/png"})
    return "/api/account/logo"


def _ticket(admin):
    n = next(_unique)
    return admin.post("/api/tickets", json={"subject": f"Matrix ticket {n}", "tags": ["matrix"],
                                            "requester": {"name": "Matrix", "email": f"req{n}@example.test"}}).json()


def _attachment(admin):
    ticket = _ticket(admin)
    message = admin.post(f"/api/tickets/{ticket['id']}/messages", data={"kind": "reply", "body": "file"},
                         files=[("attachments", ("m.png", PNG, "image/png"))]).json()
    return message["attachments"][0]["id"]


def _on_ticket(suffix=""):
    return lambda admin, _: f"/api/tickets/{_ticket(admin)['id']}{suffix}"


def _policy_body():
    return {"name": f"Matrix policy {next(_unique)}", "firstResponse": {"urgent": 5, "high": 10, "medium": 20, "low": 30},
            "resolution": {"urgent": 60, "high": 120, "medium": 240, "low": 480}}


def _policy(admin):
    return admin.post("/api/sla-policies", json=_policy_body()).json()["id"]


SLA_MANAGE = (200, 200, 403, 401)


_STASH = {}


def _canned(admin):
    return admin.post("/api/canned-responses", json={"title": f"Matrix {next(_unique)}", "body": "Hello"}).json()["id"]


def _render_path(admin, _caller):
    _STASH["ticket"] = _ticket(admin)["id"]
    return f"/api/canned-responses/{_canned(admin)}/render"


def _stash_agent(path):
    def prepare(admin, _caller):
        _STASH["agent"] = admin.me["agent"]["id"]
        return path
    return prepare


def _rule(admin):
    return admin.post("/api/assignment-rules", json={"name": f"Matrix {next(_unique)}", "enabled": False,
                                                     "agentIds": [admin.me["agent"]["id"]]}).json()["id"]


def _stash_rule_order(admin, _caller):
    _rule(admin)
    _STASH["order"] = [rule["id"] for rule in admin.get("/api/assignment-rules").json()["rules"]][::-1]
    return "/api/assignment-rules/reorder"


def _workflow(admin):
    """A disabled workflow that could never match (made as admin for each row that needs one)."""
    return admin.post("/api/workflows", json={
        "name": f"Matrix {next(_unique)}", "enabled": False, "trigger": {"kind": "ticket.created"},
        "conditions": {"match": "all", "conditions": [{"field": "ticket.subject", "op": "equals", "value": "matrix-never"}]},
        "actions": [{"type": "add_tags", "tags": ["matrix"]}]}).json()["id"]


def _webhook(admin):
    return admin.post("/api/webhooks", json={"name": f"Matrix {next(_unique)}", "url": "http://127.0.0.1:9/",
                                             "enabled": False}).json()["id"]


def _stash_workflow_order(admin, _caller):
    _workflow(admin)
    _STASH["workflows"] = [w["id"] for w in admin.get("/api/workflows").json()["workflows"]][::-1]
    return "/api/workflows/reorder"


def _stash_ticket_path(admin, path):
    _STASH["ticket"] = _ticket(admin)["id"]
    return path


def _merge_path(admin, _caller):
    _STASH["ticket"] = _ticket(admin)["id"]
    return f"/api/tickets/{_ticket(admin)['id']}/merge"


def _watch_path(own):
    def prepare(admin, caller):
        _STASH["agent"] = _self_id(admin, caller) if own else _new_agent(admin)
        return f"/api/tickets/{_ticket(admin)['id']}/watchers"
    return prepare


def _watched_path(admin, caller):
    ticket, agent = _ticket(admin)["id"], _self_id(admin, caller)
    admin.post(f"/api/tickets/{ticket}/watchers", json={"agentId": agent})
    return f"/api/tickets/{ticket}/watchers/{agent}"


def _linked_path(admin, _caller):
    ticket = _ticket(admin)["id"]
    link = admin.post(f"/api/tickets/{ticket}/links", json={"kind": "task", "title": "Matrix"}).json()["id"]
    return f"/api/tickets/{ticket}/links/{link}"


def _cc_path(admin, _caller):
    ticket = _ticket(admin)["id"]
    cc = admin.post(f"/api/tickets/{ticket}/ccs", json={"email": f"matrix-cc{next(_unique)}@example.test"}).json()["ccs"][0]["id"]
    return f"/api/tickets/{ticket}/ccs/{cc}"


def _mailbox_body():
    n = next(_unique)
    # Port 9 on loopback: nothing listens, so "test connection" fails fast with a connect error.
    server = {"host": "127.0.0.1", "port": 9, "security": "starttls", "username": "u", "password": "p"}
    return {"name": f"matrix-{n}", "address": f"matrix{n}@desk.example.test", "enabled": False,
            "imap": server, "smtp": server}


def _mailbox(admin):
    return admin.post("/api/mailboxes", json=_mailbox_body()).json()["id"]


def _original_email(admin, _caller):
    """An email taken in by `helpdesk ingest` into a new mailbox: its original's download path."""
    body = _mailbox_body()
    assert admin.post("/api/mailboxes", json=body).status_code == 201
    n = next(_unique)
    raw = (f"From: Matrix <matrix-mail{n}@customer.test>\r\nTo: {body['address']}\r\nSubject: Matrix mail {n}\r\n"
           f"Message-ID: <matrix-{n}@customer.test>\r\n\r\nHello.\r\n")
    done = cli("ingest", "--mailbox", body["name"], data_dir=admin.server.data_dir, input_text=raw)
    assert done.returncode == 0, done.stderr
    ticket = admin.get(f"/api/tickets/by-reference/{done.stdout.split()[-1]}").json()
    return admin.get(f"/api/tickets/{ticket['id']}/messages").json()["startingEmail"]["originalUrl"]


TICKET_ALL, TICKET_NO_AGENT = (200, 200, 200, 401), (200, 200, 403, 401)
MANAGER = (200, 200, 403, 401)
ALL, ADMIN_ONLY = (200, 200, 200, 401), (200, 403, 403, 401)
NO_TOKEN = (404, 404, 404, 404)


def _linked_ticket(admin, _caller):
    """A ticket with an access link (to change its expiry)."""
    ticket = _ticket(admin)
    admin.post(f"/api/tickets/{ticket['id']}/access-link")
    return f"/api/tickets/{ticket['id']}/access-link"
ROUTES = [
    Route("POST", "/api/session", (200, 200, 200, 200), body=lambda: {"email": ROLES["Agent"], "password": PASSWORD},
          note="sign-in is open to everyone"),
    Route("GET", "/api/session", ALL),
    Route("DELETE", "/api/session", (204, 204, 204, 401)),
    Route("GET", "/api/setup", (200, 200, 200, 200), note="says only whether setup is needed"),
    Route("POST", "/api/setup", (409, 409, 409, 409),
          body=lambda: {"token": "guess", "name": "X", "email": "setup@example.test", "password": "a long password"},
          note="setup is closed once agents exist, for everyone"),
    Route("GET", "/api/tokens", ALL),
    Route("POST", "/api/tokens", (201, 201, 201, 401), body=lambda: {"name": "matrix"}),
    Route("DELETE", "/api/tokens/{id}", (204, 204, 204, 401), prepare=_own_token),
    Route("GET", "/api/agents", ALL),
    Route("POST", "/api/agents", (201, 403, 403, 401), body=lambda: {
        "name": "New", "email": f"matrix-new{next(_unique)}@example.test", "password": "a long password", "roleId": 3}),
    Route("GET", "/api/agents/{id}", ALL, prepare=lambda admin, _: f"/api/agents/{admin.me['agent']['id']}"),
    Route("PATCH", "/api/agents/{id}", ADMIN_ONLY, prepare=lambda admin, _: f"/api/agents/{_new_agent(admin)}",
          body=lambda: {"away": True}, note="someone else"),
    Route("PATCH", "/api/agents/{id}", ALL, prepare=lambda admin, c: f"/api/agents/{_self_id(admin, c)}",
          body=lambda: {"away": False}, note="yourself"),
    Route("PUT", "/api/agents/{id}/password", (204, 403, 403, 401),
          prepare=lambda admin, _: f"/api/agents/{_new_agent(admin)}/password", body=lambda: {"password": "another password"}),
    Route("GET", "/api/agents/{id}/tokens", ALL, prepare=lambda admin, c: f"/api/agents/{_self_id(admin, c)}/tokens",
          note="yours"),
    Route("GET", "/api/agents/{id}/tokens", ADMIN_ONLY, prepare=lambda admin, _: f"/api/agents/{_new_agent(admin)}/tokens",
          note="someone else's"),
    Route("GET", "/api/roles", ADMIN_ONLY),
    Route("POST", "/api/roles", (201, 403, 403, 401), body=lambda: {"name": f"Matrix new {next(_unique)}", "permissions": []}),
    Route("PATCH", "/api/roles/{id}", ADMIN_ONLY, prepare=lambda admin, _: f"/api/roles/{_new_role(admin)}",
          body=lambda: {"permissions": ["ticket.view", "ticket.create"]}),
    Route("DELETE", "/api/roles/{id}", (204, 403, 403, 401), prepare=lambda admin, _: f"/api/roles/{_new_role(admin)}"),
    Route("GET", "/api/permissions", ALL),
    Route("GET", "/api/account", ALL),
    Route("PATCH", "/api/account", ADMIN_ONLY, body=lambda: {"name": "Acme Support"}),
    Route("PUT", "/api/account/logo", ADMIN_ONLY, raw=(PNG, "image/png")),
    Route("GET", "/api/account/logo", ALL, prepare=_with_logo),
    # Ticket routes (the Agent role has no ticket.delete, ticket.bulk or audit.view).
    Route("GET", "/api/tickets", TICKET_ALL),
    Route("POST", "/api/tickets", (201, 201, 201, 401), body=lambda: {"subject": "m", "requester": {"email": "m@example.test"}}),
    Route("GET", "/api/tickets/{id}", TICKET_ALL, prepare=_on_ticket()),
    Route("GET", "/api/tickets/by-reference/{reference}", TICKET_ALL,
          prepare=lambda admin, _: f"/api/tickets/by-reference/{_ticket(admin)['reference']}"),
    Route("PATCH", "/api/tickets/{id}", TICKET_ALL, prepare=_on_ticket(), body=lambda: {"version": 1, "priority": "low"}),
    Route("DELETE", "/api/tickets/{id}", (204, 204, 403, 401), prepare=_on_ticket()),
    Route("GET", "/api/tickets/{id}/messages", TICKET_ALL, prepare=_on_ticket("/messages")),
    Route("POST", "/api/tickets/{id}/messages", (201, 201, 201, 401), prepare=_on_ticket("/messages"),
          body=lambda: {"kind": "note", "body": "matrix"}),
    Route("GET", "/api/tickets/{id}/timeline", TICKET_ALL, prepare=_on_ticket("/timeline")),
    Route("GET", "/api/attachments/{id}", TICKET_ALL, prepare=lambda admin, _: f"/api/attachments/{_attachment(admin)}"),
    Route("GET", "/api/attachments/{id}/preview", TICKET_ALL,
          prepare=lambda admin, _: f"/api/attachments/{_attachment(admin)}/preview"),
    Route("GET", "/api/presets", TICKET_ALL),
    Route("POST", "/api/tickets/bulk", TICKET_NO_AGENT,
          body=lambda: {"filter": {"tag": "matrix", "status": "closed"}, "change": {"priority": "low"}}),
    Route("GET", "/api/tickets/export.csv", TICKET_ALL),
    Route("GET", "/api/tickets/export.pdf", TICKET_ALL),
    Route("GET", "/api/contacts", TICKET_ALL),
    Route("GET", "/api/search", TICKET_ALL),
    Route("GET", "/api/contacts/{id}", TICKET_ALL,
          prepare=lambda admin, _: f"/api/contacts/{_ticket(admin)['requester']['id']}"),
    Route("POST", "/api/contacts", TICKET_ALL, body=lambda: {"email": "matrix-contact@example.test"}),
    Route("GET", "/api/audit", TICKET_NO_AGENT),
    Route("GET", "/api/sla-policies", TICKET_ALL),
    Route("POST", "/api/sla-policies", (201, 201, 403, 401), body=lambda: _policy_body()),
    Route("GET", "/api/sla-policies/{id}", TICKET_ALL, prepare=lambda admin, _: f"/api/sla-policies/{_policy(admin)}"),
    Route("PATCH", "/api/sla-policies/{id}", SLA_MANAGE, prepare=lambda admin, _: f"/api/sla-policies/{_policy(admin)}",
          body=lambda: {"warningPercent": 30}),
    Route("DELETE", "/api/sla-policies/{id}", (204, 204, 403, 401), prepare=lambda admin, _: f"/api/sla-policies/{_policy(admin)}"),
    Route("PUT", "/api/tickets/{id}/sla-policy", TICKET_ALL, prepare=_on_ticket("/sla-policy"),
          body=lambda: {"policyId": 1}, note="the seeded Standard policy"),
    Route("GET", "/api/notifications", ALL),
    Route("POST", "/api/notifications/read", ALL, body=lambda: {"all": True}),
    Route("GET", "/api/notifications/preferences", ALL),
    Route("PUT", "/api/notifications/preferences", ALL, body=lambda: {"reply": True}),
    # Canned responses: any agent reads and renders; canned.manage changes (the Agent role lacks it).
    Route("GET", "/api/canned-responses", TICKET_ALL),
    Route("POST", "/api/canned-responses", (201, 201, 403, 401), body=lambda: {"title": "Matrix", "body": "Hi {{requester.name}}"}),
    Route("GET", "/api/canned-responses/{id}", TICKET_ALL, prepare=lambda admin, _: f"/api/canned-responses/{_canned(admin)}"),
    Route("PATCH", "/api/canned-responses/{id}", MANAGER, prepare=lambda admin, _: f"/api/canned-responses/{_canned(admin)}",
          body=lambda: {"title": "Matrix renamed"}),
    Route("DELETE", "/api/canned-responses/{id}", (204, 204, 403, 401),
          prepare=lambda admin, _: f"/api/canned-responses/{_canned(admin)}"),
    Route("POST", "/api/canned-responses/{id}/render", TICKET_ALL, prepare=_render_path,
          body=lambda: {"ticketId": _STASH["ticket"]}),
    # Auto-assignment rules: assignment.manage (made disabled, so they never assign other tests' tickets).
    Route("GET", "/api/assignment-rules", MANAGER),
    Route("POST", "/api/assignment-rules", (201, 201, 403, 401), prepare=_stash_agent("/api/assignment-rules"),
          body=lambda: {"name": "Matrix", "enabled": False, "agentIds": [_STASH["agent"]]}),
    Route("POST", "/api/assignment-rules/reorder", MANAGER, prepare=_stash_rule_order,
          body=lambda: {"ids": _STASH["order"]}),
    Route("GET", "/api/assignment-rules/{id}", MANAGER, prepare=lambda admin, _: f"/api/assignment-rules/{_rule(admin)}"),
    Route("PATCH", "/api/assignment-rules/{id}", MANAGER, prepare=lambda admin, _: f"/api/assignment-rules/{_rule(admin)}",
          body=lambda: {"name": "Matrix renamed"}),
    Route("DELETE", "/api/assignment-rules/{id}", (204, 204, 403, 401),
          prepare=lambda admin, _: f"/api/assignment-rules/{_rule(admin)}"),
    # Workflows: workflow.manage (administrators); made disabled so they never act on other tests' tickets.
    Route("GET", "/api/workflows", ADMIN_ONLY),
    Route("POST", "/api/workflows", (201, 403, 403, 401), body=lambda: {
        "name": "Matrix", "enabled": False, "trigger": {"kind": "ticket.created"},
        "actions": [{"type": "add_tags", "tags": ["matrix"]}]}),
    Route("GET", "/api/workflows/catalog", ADMIN_ONLY),
    Route("POST", "/api/workflows/templates/{key}", (201, 403, 403, 401), prepare=lambda *_: "/api/workflows/templates/auto-responder",
          body=lambda: {"enabled": False}),
    Route("POST", "/api/workflows/reorder", ADMIN_ONLY, prepare=_stash_workflow_order, body=lambda: {"ids": _STASH["workflows"]}),
    Route("POST", "/api/workflows/test-pattern", ADMIN_ONLY, body=lambda: {"pattern": "a+", "sample": "aaa"}),
    Route("POST", "/api/workflows/dry-run", ADMIN_ONLY, prepare=lambda admin, _: _stash_ticket_path(admin, "/api/workflows/dry-run"),
          body=lambda: {"ticketId": _STASH["ticket"], "actions": [{"type": "add_tags", "tags": ["x"]}]}),
    Route("GET", "/api/workflows/runs", ADMIN_ONLY),
    Route("GET", "/api/workflows/runs/{id}", (404, 403, 403, 401), prepare=lambda admin, c: "/api/workflows/runs/999999999",
          note="unknown run"),
    Route("GET", "/api/workflows/{id}", ADMIN_ONLY, prepare=lambda admin, _: f"/api/workflows/{_workflow(admin)}"),
    Route("PATCH", "/api/workflows/{id}", ADMIN_ONLY, prepare=lambda admin, _: f"/api/workflows/{_workflow(admin)}",
          body=lambda: {"name": "Matrix renamed"}),
    Route("DELETE", "/api/workflows/{id}", (204, 403, 403, 401), prepare=lambda admin, _: f"/api/workflows/{_workflow(admin)}"),
    # Webhooks: workflow.manage; made disabled, pointing nowhere reachable.
    Route("GET", "/api/webhooks", ADMIN_ONLY),
    Route("POST", "/api/webhooks", (201, 403, 403, 401), body=lambda: {"name": "Matrix", "url": "http://127.0.0.1:9/", "enabled": False}),
    Route("PATCH", "/api/webhooks/{id}", ADMIN_ONLY, prepare=lambda admin, _: f"/api/webhooks/{_webhook(admin)}",
          body=lambda: {"name": "Matrix renamed"}),
    Route("DELETE", "/api/webhooks/{id}", (204, 403, 403, 401), prepare=lambda admin, _: f"/api/webhooks/{_webhook(admin)}"),
    Route("POST", "/api/webhooks/{id}/rotate-secret", ADMIN_ONLY, prepare=lambda admin, _: f"/api/webhooks/{_webhook(admin)}/rotate-secret"),
    Route("GET", "/api/webhooks/{id}/deliveries", ADMIN_ONLY, prepare=lambda admin, _: f"/api/webhooks/{_webhook(admin)}/deliveries"),
    # Mailboxes: account.manage (administrators); made disabled so no server watches them.
    Route("GET", "/api/mailboxes", ADMIN_ONLY),
    Route("POST", "/api/mailboxes", (201, 403, 403, 401), body=_mailbox_body),
    Route("GET", "/api/mailboxes/{id}", ADMIN_ONLY, prepare=lambda admin, _: f"/api/mailboxes/{_mailbox(admin)}"),
    Route("PATCH", "/api/mailboxes/{id}", ADMIN_ONLY, prepare=lambda admin, _: f"/api/mailboxes/{_mailbox(admin)}",
          body=lambda: {"displayName": "Matrix"}),
    Route("DELETE", "/api/mailboxes/{id}", (204, 403, 403, 401), prepare=lambda admin, _: f"/api/mailboxes/{_mailbox(admin)}"),
    Route("POST", "/api/mailboxes/{id}/test", ADMIN_ONLY, prepare=lambda admin, _: f"/api/mailboxes/{_mailbox(admin)}/test"),
    # An ingested email's original: ticket.view, like the ticket it was filed on.
    Route("GET", "/api/emails/{id}/original", TICKET_ALL, prepare=_original_email),
    # Merging, watchers and links (every built-in role holds ticket.view and ticket.update).
    Route("POST", "/api/tickets/{id}/merge", TICKET_ALL, prepare=_merge_path, body=lambda: {"secondaryIds": [_STASH["ticket"]]}),
    Route("GET", "/api/tickets/{id}/watchers", TICKET_ALL, prepare=_on_ticket("/watchers")),
    Route("POST", "/api/tickets/{id}/watchers", TICKET_ALL, prepare=_watch_path(own=True),
          body=lambda: {"agentId": _STASH["agent"]}, note="yourself"),
    Route("POST", "/api/tickets/{id}/watchers", TICKET_ALL, prepare=_watch_path(own=False),
          body=lambda: {"agentId": _STASH["agent"]}, note="someone else"),
    Route("DELETE", "/api/tickets/{id}/watchers/{agentId}", (204, 204, 204, 401), prepare=_watched_path),
    Route("GET", "/api/tickets/{id}/links", TICKET_ALL, prepare=_on_ticket("/links")),
    Route("POST", "/api/tickets/{id}/links", (201, 201, 201, 401), prepare=_on_ticket("/links"),
          body=lambda: {"kind": "issue", "title": "Matrix", "url": "https://issues.example/1"}),
    Route("PATCH", "/api/tickets/{id}/links/{linkId}", (200, 200, 200, 401), prepare=_linked_path,
          body=lambda: {"statusText": "In progress"}),
    Route("DELETE", "/api/tickets/{id}/links/{linkId}", (204, 204, 204, 401), prepare=_linked_path),
    # CC contacts: ticket.view reads, ticket.update changes.
    Route("GET", "/api/tickets/{id}/ccs", TICKET_ALL, prepare=_on_ticket("/ccs")),
    Route("POST", "/api/tickets/{id}/ccs", TICKET_ALL, prepare=_on_ticket("/ccs"),
          body=lambda: {"email": f"matrix-cc{next(_unique)}@example.test", "name": "Matrix CC"}),
    Route("DELETE", "/api/tickets/{id}/ccs/{contactId}", (204, 204, 204, 401), prepare=_cc_path),
    # Reports: reports.view (Administrator and Supervisor).
    *[Route("GET", path, (200, 200, 403, 401)) for path in (
        "/api/reports", "/api/reports/export.csv", "/api/reports/export.pdf", "/api/reports/definitions", "/api/reports/overview", "/api/reports/trends",
        "/api/reports/agents", "/api/reports/sla", "/api/reports/csat", "/api/reports/channels")],
    # Requester access links (ticket.update) and CSAT reads.
    Route("GET", "/api/tickets/{id}/access-link", TICKET_ALL, prepare=_on_ticket("/access-link")),
    Route("POST", "/api/tickets/{id}/access-link", (201, 201, 201, 401), prepare=_on_ticket("/access-link")),
    Route("PATCH", "/api/tickets/{id}/access-link", TICKET_ALL, prepare=_linked_ticket, body=lambda: {"expiresAt": None}),
    Route("GET", "/api/tickets/{id}/surveys", TICKET_ALL, prepare=_on_ticket("/surveys")),
    Route("GET", "/api/surveys", MANAGER),
    Route("GET", "/api/survey-settings", ALL),
    Route("PUT", "/api/survey-settings", ADMIN_ONLY,
          body=lambda: {"enabled": True, "expiryDays": 7, "question": "How satisfied are you with the help you received?"}),
    # The public portal and survey routes take no session: a session without the link's
    # token opens nothing (the same 404 as a bad token); challenges and the logo are public.
    Route("GET", "/api/portal/ticket", NO_TOKEN),
    Route("POST", "/api/portal/messages", NO_TOKEN),
    Route("GET", "/api/portal/attachments/{id}", NO_TOKEN, prepare=lambda admin, _: f"/api/portal/attachments/{_attachment(admin)}"),
    Route("GET", "/api/surveys/current", NO_TOKEN),
    Route("POST", "/api/surveys/current", NO_TOKEN, body=lambda: {"rating": 5}),
    Route("POST", "/api/portal/captcha", (201, 201, 201, 201)),
    Route("GET", "/api/portal/logo", (200, 200, 200, 200), prepare=lambda admin, c: _with_logo(admin, c).replace("account", "portal")),
]


class Anonymous:
    """A caller with no session: same interface as conftest.Client."""
    me = None

    def __init__(self, server, http):
        self.server, self.http = server, http

    def request(self, method, path, **kwargs):
        return self.http.request(method, self.server.url(path), timeout=30, **kwargs)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.template} {r.note}".strip())
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_permission_matrix(route, role, helpdesk, as_role, admin, anonymous):
    caller = Anonymous(helpdesk, anonymous) if role == "anonymous" else as_role(role)
    path = route.path(admin, caller)
    kwargs = {}
    if route.body:
        kwargs["json"] = route.body()
    if route.raw:
        kwargs["data"], kwargs["headers"] = route.raw[0], {"Content-Type": route.raw[1]}
    response = caller.request(route.method, path, **kwargs)
    expected = route.statuses[ROLE_NAMES.index(role)]
    assert response.status_code == expected, f"{role} {route.method} {path}: {response.status_code} {response.text[:200]}"
    check(helpdesk, route.method, route.template, response)


def test_every_documented_operation_is_in_the_matrix(helpdesk):
    from openapi_util import document
    covered = {(r.method.lower(), r.template) for r in ROUTES}
    # Operations that exist only with a start-up flag (x-only-with) are not on this server.
    documented = {(method, path) for path, item in document(helpdesk)["paths"].items()
                  for method in item if method in ("get", "post", "put", "patch", "delete")
                  and path.startswith("/api/") and path != "/api/openapi.json" and "x-only-with" not in item[method]}
    missing = documented - covered
    assert not missing, f"add rows for {sorted(missing)}"
