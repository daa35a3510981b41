"""The OpenAPI document: valid OpenAPI 3.1, describes every ticket route, and live
responses of the ticket routes validate against the schemas it documents."""
import jsonschema
import pytest
import requests
from openapi_spec_validator import validate

from tickets_support import PNG, new_ticket

TICKET_ROUTES = {
    "/api/tickets": {"get", "post"}, "/api/tickets/{id}": {"get", "patch", "delete"},
    "/api/tickets/by-reference/{reference}": {"get"}, "/api/tickets/{id}/messages": {"get", "post"},
    "/api/tickets/{id}/timeline": {"get"}, "/api/attachments/{id}": {"get"}, "/api/attachments/{id}/preview": {"get"},
    "/api/contacts": {"get", "post"}, "/api/contacts/{id}": {"get"}, "/api/audit": {"get"}, "/api/presets": {"get"},
    "/api/tickets/bulk": {"post"}, "/api/tickets/export.csv": {"get"}, "/api/search": {"get"},
}


@pytest.fixture(scope="module")
def document(helpdesk):
    response = requests.get(helpdesk.url("/api/openapi.json"), timeout=10)
    assert response.status_code == 200
    return response.json()


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_ticket_route_is_described(document):
    for path, methods in TICKET_ROUTES.items():
        assert path in document["paths"], path
        assert methods <= set(document["paths"][path]), (path, methods)


def conforms(document, method, path, response):
    """Asserts the status is documented and a JSON body matches its documented schema."""
    operation = document["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {path}: undocumented {status} {response.text[:200]}"
    content = operation["responses"][status].get("content", {})
    media = response.headers.get("Content-Type", "").split(";")[0].strip()
    if not content:
        return
    assert media in content or "*/*" in content, (method, path, status, media)
    if media.endswith("json"):
        schema = {**content[media]["schema"], "components": document["components"]}
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(response.json())


def test_live_responses_match_their_schemas(document, as_role):
    agent, supervisor = as_role("Agent"), as_role("Supervisor")
    ticket = new_ticket(agent, dueAt="2030-01-01T00:00:00Z", tags=["schema"], assigneeId=agent.me["agent"]["id"])
    tid = ticket["id"]
    checks = [
        ("get", "/api/tickets/{id}", agent.get(f"/api/tickets/{tid}")),
        ("get", "/api/tickets/by-reference/{reference}", agent.get(f"/api/tickets/by-reference/{ticket['reference']}")),
        ("patch", "/api/tickets/{id}", agent.patch(f"/api/tickets/{tid}", json={"version": 1, "status": "pending"})),
        ("patch", "/api/tickets/{id}", agent.patch(f"/api/tickets/{tid}", json={"version": 1, "status": "open"})),
        ("patch", "/api/tickets/{id}", agent.patch(f"/api/tickets/{tid}", json={"status": "open"})),
        ("post", "/api/tickets", agent.post("/api/tickets", json={"subject": "x"})),
        ("post", "/api/tickets/{id}/messages", agent.post(f"/api/tickets/{tid}/messages", data={"kind": "reply", "body": "hi"},
                                                          files=[("attachments", ("p.png", PNG, "image/png"))])),
        ("post", "/api/tickets/{id}/messages", agent.post(f"/api/tickets/{tid}/messages",
                                                          json={"kind": "reply", "body": "x", "afterMessageId": 1})),
        ("get", "/api/tickets/{id}/messages", agent.get(f"/api/tickets/{tid}/messages")),
        ("get", "/api/tickets/{id}/timeline", agent.get(f"/api/tickets/{tid}/timeline")),
        ("get", "/api/tickets", agent.get("/api/tickets", params={"limit": 3})),
        ("get", "/api/tickets", agent.get("/api/tickets", params={"status": "nope"})),
        ("get", "/api/presets", agent.get("/api/presets")),
        ("get", "/api/search", agent.get("/api/search", params={"q": ticket["reference"]})),
        ("get", "/api/search", agent.get("/api/search", params={"q": "x" * 501})),
        ("get", "/api/contacts", agent.get("/api/contacts", params={"q": "a"})),
        ("get", "/api/contacts/{id}", agent.get(f"/api/contacts/{ticket['requester']['id']}")),
        ("post", "/api/contacts", agent.post("/api/contacts", json={"email": "schema@example.test"})),
        ("get", "/api/audit", supervisor.get("/api/audit", params={"limit": 5})),
        ("get", "/api/audit", agent.get("/api/audit")),
        ("post", "/api/tickets/bulk", supervisor.post("/api/tickets/bulk", json={"ids": [tid], "change": {"priority": "low"}})),
        ("get", "/api/tickets/export.csv", agent.get("/api/tickets/export.csv", params={"tag": "schema"})),
        ("delete", "/api/tickets/{id}", agent.delete(f"/api/tickets/{tid}")),
    ]
    for method, path, response in checks:
        conforms(document, method, path, response)
    message = checks[6][2].json()
    attachment = message["attachments"][0]
    conforms(document, "get", "/api/attachments/{id}", agent.get(attachment["url"]))
    conforms(document, "get", "/api/attachments/{id}/preview", agent.get(attachment["previewUrl"]))
