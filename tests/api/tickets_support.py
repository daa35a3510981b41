"""Helpers shared by the ticket API tests: ticket factories, upload payloads, file counts."""
import os
import uuid

# A complete 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def new_ticket(client, **fields):
    """Creates a ticket (201 expected) and returns its JSON."""
    body = {"subject": unique("Subject"), "description": "Printer on fire",
            "requester": {"name": "Ada Lovelace", "email": f"{unique('ada')}@example.test"}}
    body.update(fields)
    response = client.post("/api/tickets", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def attachment_files(helpdesk):
    """Every stored attachment file (the tmp folder excluded)."""
    root = os.path.join(helpdesk.data_dir, "attachments")
    found = []
    for folder, _, files in os.walk(root):
        if os.path.basename(folder) != "tmp":
            found += [os.path.join(folder, f) for f in files]
    return sorted(found)


def problem(response, status, field=None):
    """Asserts a problem+json answer with `status` (and the offending `field`)."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.headers
    body = response.json()
    if field is not None:
        assert body.get("field") == field, body
    return body
