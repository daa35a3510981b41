"""The conversation thread over real HTTP: replies and notes as JSON and multipart, reply
collisions, attachment limits, download and preview headers, malformed multipart bodies."""
import pytest
import requests

from tickets_support import PNG, attachment_files, new_ticket, problem

TEN_MIB = 10 * 1024 * 1024


def thread(client, ticket):
    response = client.get(f"/api/tickets/{ticket['id']}/messages")
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def test_replies_and_notes_as_json_agents_see_notes(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    reply = agent.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "On it"})
    assert reply.status_code == 201, reply.text
    assert reply.json()["author"] == {"type": "agent", "id": agent.me["agent"]["id"], "name": "Agent Person"}
    note = agent.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "note", "body": "Internal: call them"})
    assert note.status_code == 201
    messages = thread(as_role("Supervisor"), ticket)
    assert [(m["kind"], m["body"]) for m in messages] == [("reply", "On it"), ("note", "Internal: call them")]
    assert agent.get(f"/api/tickets/{ticket['id']}").json()["firstResponseAt"] is not None


def test_reply_collision_is_409_listing_newer_replies_then_force_wins(as_role):
    agent, supervisor = as_role("Agent"), as_role("Supervisor")
    ticket = new_ticket(agent)
    seen = agent.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "first"}).json()["id"]
    supervisor.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "meanwhile"})
    draft = {"kind": "reply", "body": "stale", "afterMessageId": seen}
    body = problem(agent.post(f"/api/tickets/{ticket['id']}/messages", json=draft), 409, "afterMessageId")
    assert [m["body"] for m in body["newerMessages"]] == ["meanwhile"]
    assert body["newerMessages"][0]["author"]["name"] == "Supervisor Person"
    assert len(thread(agent, ticket)) == 2
    forced = agent.post(f"/api/tickets/{ticket['id']}/messages", json={**draft, "force": True})
    assert forced.status_code == 201
    assert [m["body"] for m in thread(agent, ticket)] == ["first", "meanwhile", "stale"]


def test_multipart_reply_with_two_attachments_and_safe_downloads(as_role, helpdesk):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    html = b"<script>alert(1)</script>"
    files = [("attachments", ("pixel.png", PNG, "image/png")), ("attachments", ("page.html", html, "text/html"))]
    response = agent.post(f"/api/tickets/{ticket['id']}/messages", data={"kind": "reply", "body": "See files"}, files=files)
    assert response.status_code == 201, response.text
    message = response.json()
    assert [(a["fileName"], a["size"]) for a in message["attachments"]] == [("pixel.png", len(PNG)), ("page.html", len(html))]
    png, page = message["attachments"]
    assert png["previewUrl"] == png["url"] + "/preview" and page["previewUrl"] is None

    download = agent.get(png["url"])
    assert download.status_code == 200 and download.content == PNG
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''pixel.png" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]

    html_download = agent.get(page["url"])
    assert html_download.content == html
    assert html_download.headers["Content-Type"] == "application/octet-stream"
    assert html_download.headers["Content-Disposition"].startswith("attachment;")

    preview = agent.get(png["url"] + "/preview")
    assert preview.status_code == 200 and preview.headers["Content-Type"] == "image/png"
    assert preview.headers["Content-Disposition"].startswith("inline;")
    problem(agent.get(page["url"] + "/preview"), 415)
    problem(agent.get("/api/attachments/99999999"), 404)


def test_svg_and_lying_images_are_never_inline(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    files = [("attachments", ("logo.svg", svg, "image/svg+xml")), ("attachments", ("fake.png", b"<html>", "image/png"))]
    message = agent.post(f"/api/tickets/{ticket['id']}/messages", data={"kind": "note"}, files=files).json()
    svg_attachment, fake = message["attachments"]
    assert agent.get(svg_attachment["url"]).headers["Content-Type"] == "application/octet-stream"
    problem(agent.get(svg_attachment["url"] + "/preview"), 415)
    problem(agent.get(fake["url"] + "/preview"), 415)


def test_unicode_file_names_use_rfc_8187(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    boundary = "xYzZY"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nreply\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"fallback.txt\"; "
            f"filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%82%AC.txt\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            f"--{boundary}--\r\n").encode()
    response = agent.post(f"/api/tickets/{ticket['id']}/messages", data=body,
                          headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 201, response.text
    attachment = response.json()["attachments"][0]
    assert attachment["fileName"] == "résumé €.txt"
    disposition = agent.get(attachment["url"]).headers["Content-Disposition"]
    assert "filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%82%AC.txt" in disposition
    assert 'filename="r_sum_ _.txt"' in disposition


def test_a_file_over_ten_mib_is_413_and_nothing_is_stored(as_role, helpdesk):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    files_before, messages_before = attachment_files(helpdesk), len(thread(agent, ticket))
    files = [("attachments", ("small.png", PNG, "image/png")),
             ("attachments", ("big.bin", b"\0" * (TEN_MIB + 1), "application/octet-stream"))]
    response = agent.post(f"/api/tickets/{ticket['id']}/messages", data={"kind": "reply", "body": "big"}, files=files)
    problem(response, 413, "attachments")
    assert attachment_files(helpdesk) == files_before
    assert len(thread(agent, ticket)) == messages_before
    exactly = [("attachments", ("exact.bin", b"\1" * TEN_MIB, "application/octet-stream"))]
    ok = agent.post(f"/api/tickets/{ticket['id']}/messages", data={"kind": "note"}, files=exactly)
    assert ok.status_code == 201 and ok.json()["attachments"][0]["size"] == TEN_MIB


GARBAGE = [
    ("multipart/form-data", b"--x\r\n\r\n--x--"),  # no boundary parameter
    ("multipart/form-data; boundary=" + "b" * 71, b"anything"),  # boundary too long
    ("multipart/form-data; boundary=B", b"no boundary at all"),
    ("multipart/form-data; boundary=B", b"--B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nreply"),  # unclosed
    ("multipart/form-data; boundary=B", b"--B\r\nContent-Type: text/plain\r\n\r\nreply\r\n--B--"),  # no disposition
    ("multipart/form-data; boundary=B", b"--B\r\nContent-Disposition: form-data\r\n\r\nreply\r\n--B--"),  # no name
    ("multipart/form-data; boundary=B", b"--B\r\nno colon here\r\n\r\nreply\r\n--B--"),
    ("multipart/form-data; boundary=B", b"--B\r\nContent-Disposition: form-data; name=\"kind\"\r\n" + b"X: y\r\n" * 3000),
    ("multipart/form-data; boundary=B", b"--B--"),  # no parts: kind is missing -> 422
]


@pytest.mark.parametrize("content_type, body", GARBAGE)
def test_garbage_multipart_is_refused_and_changes_nothing(as_role, helpdesk, content_type, body):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    files_before = attachment_files(helpdesk)
    response = agent.post(f"/api/tickets/{ticket['id']}/messages", data=body, headers={"Content-Type": content_type})
    assert response.status_code in (400, 422), response.text
    problem(response, response.status_code)
    assert thread(agent, ticket) == [] and attachment_files(helpdesk) == files_before


@pytest.mark.parametrize("body, field", [
    ({"kind": "shout", "body": "x"}, "kind"),
    ({"kind": "system", "body": "x"}, "kind"),
    ({"kind": "reply"}, "body"),
    ({"kind": "reply", "body": "   "}, "body"),
    ({"kind": "reply", "body": "x", "afterMessageId": "seven"}, "afterMessageId"),
    ({"kind": "reply", "body": "x", "force": "yes"}, "force"),
])
def test_invalid_messages_name_the_field(as_role, body, field):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    problem(agent.post(f"/api/tickets/{ticket['id']}/messages", json=body), 422, field)
    assert thread(agent, ticket) == []


def test_unknown_ticket_and_form_fields(as_role):
    agent = as_role("Agent")
    problem(agent.post("/api/tickets/99999999/messages", json={"kind": "reply", "body": "x"}), 404)
    problem(agent.post("/api/tickets/99999999/messages", data={"kind": "reply"},
                       files=[("attachments", ("a.txt", b"a", "text/plain"))]), 404)
    ticket = new_ticket(agent)
    problem(agent.post(f"/api/tickets/{ticket['id']}/messages", data={"kind": "reply", "body": "x", "colour": "red"},
                       files=[("attachments", ("a.txt", b"a", "text/plain"))]), 422, "colour")
    problem(agent.post(f"/api/tickets/{ticket['id']}/messages", data="kind=reply",
                       headers={"Content-Type": "text/plain"}), 415)
