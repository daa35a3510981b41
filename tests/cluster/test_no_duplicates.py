"""No duplicates with both nodes up (issue 18 point 3): the email outbox and its sender run on
the leader only, so a reply to a requester, made through either node, reaches the desk's SMTP
server (aiosmtpd on 127.0.0.1) exactly once; and each notification is stored once and sent
once to each of the agent's sockets, whichever node holds them."""
from cluster_support import Live, event_kind, free_port, run, unique, wait_until


def support_mailbox(admin, node, smtp):
    """The desk's mailbox, sending through `smtp` (a Mailbin) with STARTTLS. Its IMAP side
    points at a port nothing listens on: this test sends only (the leader's watcher retries in
    the background)."""
    response = admin.post(node, "/api/mailboxes", json={
        "name": unique("support"), "address": "desk@example.test", "displayName": "ACME Support", "verifyCertificates": False,
        "imap": {"host": "127.0.0.1", "port": free_port(), "security": "none", "username": "desk@example.test",
                 "password": "unused-password"},
        "smtp": {"host": "127.0.0.1", "port": smtp.port, "security": "starttls", "username": smtp.USER,
                 "password": smtp.PASSWORD}})
    assert response.status_code == 201, response.text
    return response.json()


def test_replies_through_either_node_send_one_email_each_and_notify_once(desk, nodes, sign_in, mailbin):
    a, b = nodes
    # Configured through the node that does not send: the leader finds the mailbox in the database.
    follower = desk.follower()
    admin = sign_in("Administrator", follower)
    support_mailbox(admin, follower, mailbin)
    assignee = sign_in("Agent", a)
    requester = f"{unique('ann')}@customer.test"
    ticket = admin.new_ticket(follower, assigneeId=assignee.id, requester={"name": "Ann", "email": requester})
    to_ann = lambda: [m for rcpt, m in mailbin.received() if rcpt == [requester]]
    is_reply_note = lambda m: (m["event"]["notification"]["kind"] == "reply" and
                               m["event"]["notification"]["ticketId"] == ticket["id"])

    async def scenario():
        feeds = [await Live.open(node, assignee, ["notifications"]) for node in (a, b)]
        bodies = []
        for n, node in enumerate((a, b, a, b)):
            body = f"Answer {n} through node {node.name}: {unique('body')}"
            admin.reply(node, ticket["id"], body)
            bodies.append(body)
        wait_until(lambda: len(to_ann()) >= 4, "the four emails at the SMTP server")
        # A last reply as a marker: the outbox sends in order, so once its email is here, a
        # second copy of any earlier one would be here too.
        marker = f"Marker: {unique('body')}"
        admin.reply(a, ticket["id"], marker)
        bodies.append(marker)
        wait_until(lambda: any(marker in m.get_body(("plain",)).get_content() for m in to_ann()), "the marker's email")
        for feed in feeds:
            await feed.wait_count(event_kind("notification.created", "notifications", is_reply_note), 5,
                                  "five reply notifications")
        sent = to_ann()
        texts = [m.get_body(("plain",)).get_content() for m in sent]
        assert len(sent) == 5, texts
        for body in bodies:
            assert sum(text.startswith(body) for text in texts) == 1, (body, texts)
        assert len({m["Message-ID"] for m in sent}) == 5

        stored = [n for n in assignee.notifications(b) if n["ticketId"] == ticket["id"] and n["kind"] == "reply"]
        assert len(stored) == 5 and len({n["id"] for n in stored}) == 5, stored
        for feed in feeds:
            live_ids = [m["event"]["notification"]["id"] for m in feed.matching(
                event_kind("notification.created", "notifications", is_reply_note))]
            assert sorted(live_ids) == sorted(n["id"] for n in stored), (live_ids, stored)
            await feed.close()

    run(scenario())
    # Each reply has one outgoing email mark, sent.
    messages = admin.get(a, f"/api/tickets/{ticket['id']}/messages").json()["messages"]
    replies = [m for m in messages if m["kind"] == "reply" and m["author"]["type"] == "agent"]
    assert [(m.get("email") or {}).get("delivery") for m in replies] == ["sent"] * 5, replies
