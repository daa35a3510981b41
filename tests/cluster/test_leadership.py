"""Leader-only work across nodes (issue 18 point 3): exactly one node leads (/healthz); kill -9
of the leader hands the SLA scheduler to the other node within seconds; a warning the old
leader fired is not fired again by the new one, and the breach fires exactly once (one live
event, one notification, one audit entry), including after a later cycle of the scheduler and
after the dead node comes back as a follower.

Each node has its own test clock (`POST /api/test/clock` on that node), so the test moves the
clock of the node that leads at that moment."""
import time

from cluster_support import TAKEOVER_SECONDS, Agent, Live, event_kind, run, unique, wait_until
from conftest import ROLES

MINUTE = 60
ALWAYS = {"start": "00:00", "end": "00:00", "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}


def tiny_policy(admin, node):
    """First response due 10 minutes after creation for urgent tickets, warning at half of it."""
    response = admin.post(node, "/api/sla-policies", json={
        "name": unique("Tiny"), "firstResponse": {"urgent": 10, "high": 60, "medium": 120, "low": 240},
        "resolution": {"urgent": 100, "high": 600, "medium": 1200, "low": 2400}, "hours": ALWAYS, "timeZone": "UTC",
        "warningPercent": 50})
    assert response.status_code == 201, response.text
    return response.json()


def ticket_under(admin, node, policy, assignee):
    ticket = admin.new_ticket(node, priority="urgent", assigneeId=assignee.id)
    moved = admin.put(node, f"/api/tickets/{ticket['id']}/sla-policy", json={"policyId": policy["id"]})
    assert moved.status_code == 200, moved.text
    assert moved.json()["sla"]["status"] == "on_track"
    return ticket


def first_response(ticket_id):
    return lambda m: m["event"].get("ticketId") == ticket_id and m["event"].get("metric") == "first_response"


def notified(kind, ticket_id):
    return event_kind("notification.created", "notifications",
                      lambda m: m["event"]["notification"]["kind"] == kind and m["event"]["notification"]["ticketId"] == ticket_id)


def test_the_other_node_takes_over_the_sla_scheduler_and_each_crossing_fires_once(fresh_desk):
    desk = fresh_desk
    desk.start("A")
    desk.start("B")
    old = desk.leader()
    survivor = desk.follower()
    admin = Agent(survivor, ROLES["Administrator"])
    assignee = Agent(survivor, ROLES["Agent"])
    policy = tiny_policy(admin, survivor)
    ticket = ticket_under(admin, survivor, policy, assignee)
    room = f"ticket:{ticket['id']}"

    async def scenario():
        # The assignee's socket is on the node that survives: it sees the warning the old
        # leader fires (through the log) and the breach the new leader fires.
        feed = await Live.open(survivor, assignee, [room, "board", "notifications"])
        admin.advance_clock(old, 6 * MINUTE)  # past the warning at 5 of 10 minutes, on the leader's clock
        warning = await feed.wait_for(event_kind("sla.warning", room, first_response(ticket["id"])),
                                      "the warning fired by the leader")
        assert warning["event"]["ticket"]["sla"]["status"] == "breaching"
        await feed.wait_for(notified("sla_warning", ticket["id"]), "the warning's notification")

        killed_at = time.monotonic()
        old.kill()
        assert desk.leader(timeout=TAKEOVER_SECONDS) is survivor
        took_over = time.monotonic() - killed_at
        assert took_over < TAKEOVER_SECONDS

        # The new leader's clock past the breach at 10 minutes (and so past the warning too).
        admin.advance_clock(survivor, 11 * MINUTE)
        breach = await feed.wait_for(event_kind("sla.breached", room, first_response(ticket["id"])),
                                     "the breach fired by the new leader")
        assert breach["event"]["ticket"]["sla"]["status"] == "breached"
        await feed.wait_for(notified("sla_breached", ticket["id"]), "the breach's notification")

        # Another cycle: a second ticket whose breach comes due only after a further move of the
        # clock. Events reach the socket in commit order, so once its breach is here, anything
        # the scheduler fired again for the first ticket would be here before it.
        later = ticket_under(admin, survivor, policy, assignee)
        admin.advance_clock(survivor, 11 * MINUTE)
        await feed.wait_for(notified("sla_breached", later["id"]), "the second ticket's breach")

        # The dead node comes back: it follows, and nothing fires again.
        back = desk.start("A again")
        assert desk.leader() is survivor
        admin.advance_clock(back, 30 * MINUTE)
        last = ticket_under(admin, survivor, policy, assignee)
        admin.advance_clock(survivor, 11 * MINUTE)
        await feed.wait_for(notified("sla_breached", last["id"]), "the third ticket's breach")

        for kind in ("sla.warning", "sla.breached"):
            assert feed.count(event_kind(kind, room, first_response(ticket["id"]))) == 1, (kind, feed.kinds())
            assert feed.count(event_kind(kind, "board", first_response(ticket["id"]))) == 1, (kind, feed.kinds())
        for kind in ("sla_warning", "sla_breached"):
            assert feed.count(notified(kind, ticket["id"])) == 1, (kind, feed.kinds())
        await feed.close()
        return took_over

    took_over = run(scenario())
    print(f"takeover after kill -9: {took_over:.2f} s")
    stored = [n["kind"] for n in assignee.notifications(survivor) if n["ticketId"] == ticket["id"]]
    assert sorted(stored) == ["assigned", "sla_breached", "sla_warning"], stored
    actions = [e["action"] for e in admin.get(survivor, f"/api/tickets/{ticket['id']}/timeline").json()["entries"]]
    assert actions.count("sla.warning") == 1 and actions.count("sla.breached") == 1, actions


def test_only_the_leader_fires_while_both_nodes_are_up(fresh_desk):
    """The follower's clock moved past a breach fires nothing; the leader's does, once."""
    desk = fresh_desk
    desk.start("A")
    desk.start("B")
    leader = desk.leader()
    follower = desk.follower()
    admin = Agent(follower, ROLES["Administrator"])
    assignee = Agent(follower, ROLES["Agent"])
    policy = tiny_policy(admin, follower)
    ticket = ticket_under(admin, follower, policy, assignee)
    room = f"ticket:{ticket['id']}"

    async def scenario():
        feed = await Live.open(follower, assignee, [room, "notifications"])
        admin.advance_clock(follower, 11 * MINUTE)
        # A marker through the log: once the follower's own socket has it, the follower's relay
        # has passed the clock move; its scheduler must have fired nothing.
        marker = admin.reply(follower, ticket["id"], "marker", kind="note")
        await feed.wait_for(event_kind("message.added", room, lambda m: m["event"]["message"]["id"] == marker["id"]),
                            "the marker note")
        # (Read through the leader: a ticket's status is worked out at the reading node's clock.)
        metrics = admin.get(leader, f"/api/tickets/{ticket['id']}").json()["sla"]["metrics"]
        assert [m["breachedAt"] for m in metrics if m["metric"] == "first_response"] == [None], metrics
        assert feed.count(event_kind("sla.warning", room)) == 0 and feed.count(event_kind("sla.breached", room)) == 0

        admin.advance_clock(leader, 6 * MINUTE)
        await feed.wait_for(event_kind("sla.warning", room, first_response(ticket["id"])), "the leader's warning")
        admin.advance_clock(leader, 5 * MINUTE)
        await feed.wait_for(event_kind("sla.breached", room, first_response(ticket["id"])), "the leader's breach")
        later = ticket_under(admin, leader, policy, assignee)
        admin.advance_clock(leader, 11 * MINUTE)
        await feed.wait_for(notified("sla_breached", later["id"]), "the second ticket's breach")
        assert feed.count(event_kind("sla.warning", room, first_response(ticket["id"]))) == 1
        assert feed.count(event_kind("sla.breached", room, first_response(ticket["id"]))) == 1
        assert feed.count(notified("sla_breached", ticket["id"])) == 1
        await feed.close()

    run(scenario())


def test_what_the_old_leader_sent_and_notified_is_not_repeated_by_the_new_one(fresh_desk, mailbin):
    """kill -9 of the leader within a second of its last work: the new leader's consumers go on
    from the stored cursors, replaying up to that last second (protocol: idempotent), and must
    neither email the customer again nor notify the assignee twice."""
    from test_no_duplicates import support_mailbox
    desk = fresh_desk
    desk.start("A")
    desk.start("B")
    old = desk.leader()
    survivor = desk.follower()
    admin = Agent(survivor, ROLES["Administrator"])
    assignee = Agent(survivor, ROLES["Agent"])
    support_mailbox(admin, survivor, mailbin)
    requester = f"{unique('ann')}@customer.test"
    ticket = admin.new_ticket(survivor, assigneeId=assignee.id, requester={"name": "Ann", "email": requester})
    to_ann = lambda: [m for rcpt, m in mailbin.received() if rcpt == [requester]]
    is_reply_note = lambda m: (m["event"]["notification"]["kind"] == "reply" and
                               m["event"]["notification"]["ticketId"] == ticket["id"])

    def delivery(message_id):
        messages = admin.get(survivor, f"/api/tickets/{ticket['id']}/messages").json()["messages"]
        return next(m for m in messages if m["id"] == message_id).get("email", {}).get("delivery")

    async def scenario():
        feed = await Live.open(survivor, assignee, ["notifications"])
        before = admin.reply(survivor, ticket["id"], "Sent by the old leader")
        wait_until(lambda: delivery(before["id"]) == "sent", "the first email marked sent")
        await feed.wait_for(event_kind("notification.created", "notifications", is_reply_note), "the first notification")
        old.kill()
        assert desk.leader() is survivor
        after = admin.reply(survivor, ticket["id"], "Sent by the new leader")
        wait_until(lambda: delivery(after["id"]) == "sent", "the second email marked sent")
        await feed.wait_count(event_kind("notification.created", "notifications", is_reply_note), 2, "the second notification")
        texts = [m.get_body(("plain",)).get_content() for m in to_ann()]
        assert len(texts) == 2, texts
        assert texts[0].startswith("Sent by the old leader") and texts[1].startswith("Sent by the new leader")
        live_ids = [m["event"]["notification"]["id"] for m in feed.matching(
            event_kind("notification.created", "notifications", is_reply_note))]
        stored = [n["id"] for n in assignee.notifications(survivor) if n["ticketId"] == ticket["id"] and n["kind"] == "reply"]
        assert len(stored) == 2 and sorted(live_ids) == sorted(stored), (live_ids, stored)
        await feed.close()

    run(scenario())
