"""Creating a ticket and working on one: fields, conflicts, replies, notes and attachments."""
import re
import struct
import zlib

from playwright.sync_api import expect

from conftest import login, screenshot, without_live


def png(width=48, height=32, rgb=(36, 87, 197)):
    """A small valid PNG image."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def new_ticket(api_as, subject="Browser test ticket"):
    response = api_as().post("/api/tickets", json={"subject": subject, "description": "Created for a browser test.",
                                                   "requester": {"email": "casey@example.org", "name": "Casey Customer"}})
    assert response.status_code == 201, response.text
    return response.json()


def test_new_ticket_shows_the_servers_field_error_then_creates(page):
    """An invalid requester email comes back from the server as a message at that field; fixed, the ticket opens."""
    login(page)
    page.get_by_role("link", name="New ticket").click()
    page.get_by_label("Subject").fill("Cannot export invoices")
    page.get_by_label("Requester email").fill("not-an-email")
    page.get_by_label("Description").fill("The export button does nothing.")
    page.get_by_label("Priority").select_option("high")
    page.get_by_role("button", name="Create ticket").click()
    email = page.get_by_label("Requester email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#t-requesterEmail-error")).to_have_text(re.compile("valid email", re.I))
    expect(email).to_have_accessible_description(re.compile("valid email", re.I))
    screenshot(page, "new-ticket-field-error")
    email.fill("dana@example.org")
    page.get_by_label("Requester name").fill("Dana Doe")
    page.get_by_role("button", name="Create ticket").click()
    expect(page).to_have_url(re.compile(r"/tickets/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cannot export invoices")
    expect(page.get_by_label("Priority", exact=True)).to_have_value("high")
    expect(page.locator("hd-timeline")).to_contain_text("created the ticket")


def test_reply_with_attachment_and_internal_note(page, api_as):
    """A reply with a picked image shows in the thread with a working preview; a note is marked internal and looks different."""
    ticket = new_ticket(api_as)
    login(page, path=f"/tickets/{ticket['id']}")
    composer = page.locator("hd-composer")
    composer.get_by_label("Message", exact=True).fill("Here is the screenshot you asked for.")
    page.set_input_files("#composer-files", files=[{"name": "screen.png", "mimeType": "image/png", "buffer": png()}])
    expect(composer.get_by_role("list", name="Files to attach")).to_contain_text("screen.png")
    composer.get_by_role("button", name="Send reply").click()
    reply = page.locator("article.kind-reply").filter(has_text="Here is the screenshot")
    expect(reply).to_be_visible()
    expect(reply.get_by_role("link", name="screen.png", exact=True)).to_have_attribute("href", re.compile(r"^/api/attachments/\d+$"))
    preview = reply.get_by_role("img", name="Preview of screen.png")
    expect(preview).to_have_attribute("src", re.compile(r"/api/attachments/\d+/preview$"))
    page.wait_for_function("img => img.complete && img.naturalWidth === 48", arg=preview.element_handle())

    composer.get_by_role("button", name="Internal note").click()
    expect(composer.get_by_role("button", name="Internal note")).to_have_attribute("aria-pressed", "true")
    composer.get_by_label("Message", exact=True).fill("Customer is on the legacy plan; check billing first.")
    composer.get_by_role("button", name="Add note").click()
    note = page.locator("article.kind-note").filter(has_text="legacy plan")
    expect(note).to_be_visible()
    expect(note.locator(".kind-label")).to_have_text("Internal note")
    reply_bg = reply.evaluate("e => getComputedStyle(e).backgroundColor")
    note_bg = note.evaluate("e => getComputedStyle(e).backgroundColor")
    assert reply_bg != note_bg
    kinds = [m["kind"] for m in api_as().get(f"/api/tickets/{ticket['id']}/messages").json()["messages"]]
    assert kinds[-2:] == ["reply", "note"]
    expect(page.locator("hd-timeline")).to_contain_text("added an internal note")
    screenshot(page, "ticket-page")


def test_files_over_10_mb_are_refused_before_upload(page, api_as):
    """A file over 10 MB is named in an error and never sent."""
    ticket = new_ticket(api_as)
    login(page, path=f"/tickets/{ticket['id']}")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.set_input_files("#composer-files", files=[{"name": "huge.bin", "mimeType": "application/octet-stream",
                                                    "buffer": b"\0" * (10 * 1024 * 1024 + 1)}])
    expect(page.locator(".composer-error")).to_contain_text("huge.bin is 10.0 MB; files can be at most 10 MB.")
    expect(page.get_by_role("list", name="Files to attach")).not_to_contain_text("huge.bin")
    assert posts == []


def test_edit_conflict_shows_both_versions_and_keeps_the_agents_choice(page, api_as):
    """When someone else saved first and the live update never came, saving shows both versions (the server's 409 guard)."""
    ticket = new_ticket(api_as)
    without_live(page)
    login(page, path=f"/tickets/{ticket['id']}")
    expect(page.get_by_label("Status", exact=True)).to_have_value("open")
    other = api_as()
    changed = other.patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "priority": "urgent"})
    assert changed.status_code == 200, changed.text
    # The header applies a change at once: the stale version meets the server's guard.
    page.get_by_label("Status", exact=True).select_option("pending")
    conflict = page.get_by_role("alert").filter(has_text="Someone else changed this ticket")
    expect(conflict).to_be_visible()
    expect(conflict.get_by_role("row", name=re.compile("Status"))).to_contain_text("Pending")
    expect(conflict.get_by_role("row", name=re.compile("Priority"))).to_contain_text("Urgent")
    screenshot(page, "ticket-edit-conflict")
    conflict.get_by_role("button", name="Apply my changes").click()
    expect(page.locator("#toasts")).to_contain_text("saved")
    saved = other.get(f"/api/tickets/{ticket['id']}").json()
    assert (saved["status"], saved["priority"]) == ("pending", "urgent")
    expect(page.get_by_label("Priority", exact=True)).to_have_value("urgent")


def test_reply_collision_shows_the_new_message_and_sends_anyway(page, api_as):
    """Without the live warning, a reply that crossed a newer one is refused by the server, shown, and sent only when confirmed."""
    ticket = new_ticket(api_as)
    without_live(page)
    # The collision guard names the newest message seen, so the thread needs one (the API has no "none seen" value).
    first = api_as().post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "First answer."})
    assert first.status_code == 201, first.text
    login(page, path=f"/tickets/{ticket['id']}")
    expect(page.locator("article.message").filter(has_text="First answer.")).to_be_visible()
    posted = api_as().post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "Colleague was faster."})
    assert posted.status_code == 201, posted.text
    page.locator("hd-composer").get_by_label("Message", exact=True).fill("My own answer.")
    page.get_by_role("button", name="Send reply").click()
    newer = page.locator("article.newer").filter(has_text="Colleague was faster.")
    expect(newer).to_contain_text("New while you were writing")
    assert api_as().get(f"/api/tickets/{ticket['id']}/messages").json()["messages"][-1]["body"] == "Colleague was faster."
    page.get_by_role("button", name="Send reply anyway").click()
    expect(page.locator("article.kind-reply").filter(has_text="My own answer.")).to_be_visible()
    assert api_as().get(f"/api/tickets/{ticket['id']}/messages").json()["messages"][-1]["body"] == "My own answer."


def test_requester_changes_to_a_found_contact_then_to_a_new_email(page, api_as):
    """The requester is changed in Properties: to a contact found by a prefix, then to a new email and name; each shows on the page and in the timeline."""
    ticket = new_ticket(api_as, "Requester change")
    robin = api_as().post("/api/contacts", json={"name": "Robin Requester", "email": "robin.requester@example.org"})
    assert robin.status_code in (200, 201), robin.text
    login(page, path=f"/tickets/{ticket['id']}")
    fields = page.locator("hd-ticket-fields")
    timeline = page.locator("hd-timeline")
    expect(fields.locator(".requester-current")).to_contain_text("Casey Customer")

    fields.get_by_role("button", name="Change requester").click()
    email = fields.get_by_label("Requester email")
    email.fill("robin.req")
    expect(page.locator("#f-requester-options option[value='robin.requester@example.org']")).to_have_text("Robin Requester")
    email.fill("robin.requester@example.org")
    expect(fields.get_by_label("Requester name")).to_have_value("Robin Requester")
    fields.get_by_role("button", name="Save requester").click()
    expect(fields.locator(".requester-current")).to_contain_text("Robin Requester")
    expect(page.locator(".head-line")).to_contain_text("from Robin Requester")
    expect(timeline).to_contain_text("Requester: Casey Customer → Robin Requester")
    assert api_as().get(f"/api/tickets/{ticket['id']}").json()["requester"]["id"] == robin.json()["id"]

    fields.get_by_role("button", name="Change requester").click()
    email.fill("not-an-email")
    fields.get_by_role("button", name="Save requester").click()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-requester-email-error")).to_be_visible()

    email.fill("nova.person@example.org")
    fields.get_by_label("Requester name").fill("Nova Person")
    fields.get_by_role("button", name="Save requester").click()
    expect(fields.locator(".requester-current")).to_contain_text("Nova Person")
    expect(page.locator(".head-line")).to_contain_text("from Nova Person")
    expect(timeline).to_contain_text("Requester: Robin Requester → Nova Person")
    requester = api_as().get(f"/api/tickets/{ticket['id']}").json()["requester"]
    assert (requester["name"], requester["email"]) == ("Nova Person", "nova.person@example.org")
    # The live event of the agent's own save names them as its author: nothing is flagged
    # as changed by someone else.
    expect(timeline).to_contain_text("Requester: Robin Requester → Nova Person")
    expect(fields.locator(".remote-change")).to_have_count(0)
    screenshot(page, "ticket-requester-changed")
