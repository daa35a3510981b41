"""The live endpoint /api/live (protocol.md section 2) with a real WebSocket client
(Python `websockets`) against the real server: authentication, presence across tabs and
drops, typing, ticket events with sequence numbers, resume, permissions and bad input."""
import asyncio
import json

import pytest
import websockets
from websockets.asyncio.client import connect

from conftest import Client, PASSWORD, cli
from tickets_support import new_ticket, unique

TIMEOUT = 10


def live_url(helpdesk):
    return f"ws://127.0.0.1:{helpdesk.port}/api/live"


def cookie_header(client):
    return {"Cookie": f"helpdesk_session={client.http.cookies.get('helpdesk_session')}"}


async def open_live(helpdesk, client, **kwargs):
    """A live socket for `client`, after its `hello`."""
    ws = await connect(live_url(helpdesk), additional_headers=cookie_header(client), **kwargs)
    hello = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
    assert hello["type"] == "hello" and hello["user"]["userId"] == client.me["agent"]["id"]
    return ws


async def next_of(ws, kind, room=None, predicate=lambda m: True):
    """The next message of `kind` (in `room`) that satisfies `predicate`; others are skipped."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        if message["type"] == kind and (room is None or message.get("room") == room) and predicate(message):
            return message


async def subscribe(ws, room, since=None):
    request = {"type": "subscribe", "room": room, "id": unique("req")}
    if since is not None:
        request["since"] = since
    await ws.send(json.dumps(request))
    return await next_of(ws, "subscribed", room)


def viewer_ids(message):
    return sorted(viewer["userId"] for viewer in message["viewers"])


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def test_upgrade_without_a_session_is_refused_with_401(helpdesk):
    async def scenario():
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            await connect(live_url(helpdesk))
        assert refused.value.response.status_code == 401
    run(scenario())


def test_upgrade_from_another_origin_is_refused_with_403(helpdesk, admin):
    async def scenario():
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            await connect(live_url(helpdesk), additional_headers=cookie_header(admin), origin="http://evil.example")
        assert refused.value.response.status_code == 403
        ws = await open_live(helpdesk, admin, origin=f"http://127.0.0.1:{helpdesk.port}")
        await ws.close()
    run(scenario())


def test_api_token_authenticates_non_browser_clients(helpdesk, admin):
    secret = admin.post("/api/tokens", json={"name": unique("live")}).json()["secret"]
    async def scenario():
        async with connect(live_url(helpdesk), additional_headers={"Authorization": f"Bearer {secret}"}) as ws:
            hello = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
            assert hello["type"] == "hello" and "ticket.view" in hello["permissions"]
    run(scenario())


def test_presence_joins_leaves_and_counts_tabs_once(helpdesk, as_role):
    ada, bob = as_role("Administrator"), as_role("Agent")
    ticket = new_ticket(ada)
    room = f"ticket:{ticket['id']}"
    async def scenario():
        ada_ws = await open_live(helpdesk, ada)
        first = await subscribe(ada_ws, room)
        assert viewer_ids(first) == [ada.me["agent"]["id"]]
        bob_tab1, bob_tab2 = await open_live(helpdesk, bob), await open_live(helpdesk, bob)
        await subscribe(bob_tab1, room)
        both = sorted([ada.me["agent"]["id"], bob.me["agent"]["id"]])
        # Presence messages are whole snapshots; Ada's own join may be announced first.
        assert viewer_ids(await next_of(ada_ws, "presence", room, lambda m: len(m["viewers"]) == 2)) == both
        await subscribe(bob_tab2, room)
        await bob_tab1.close()
        # Bob's second tab still views the ticket: no change is announced, and he is listed.
        await ada_ws.send(json.dumps({"type": "ping"}))
        await next_of(ada_ws, "pong")
        # A dropped connection (no close frame) is noticed and Bob leaves.
        bob_tab2.transport.abort()
        left = await next_of(ada_ws, "presence", room, lambda m: len(m["viewers"]) == 1)
        assert viewer_ids(left) == [ada.me["agent"]["id"]]
        await ada_ws.close()
    run(scenario())


def test_typing_is_shown_and_cleared(helpdesk, as_role):
    ada, bob = as_role("Administrator"), as_role("Agent")
    room = f"ticket:{new_ticket(ada)['id']}"
    async def scenario():
        ada_ws, bob_ws = await open_live(helpdesk, ada), await open_live(helpdesk, bob)
        await subscribe(ada_ws, room)
        await subscribe(bob_ws, room)
        await bob_ws.send(json.dumps({"type": "typing", "room": room, "composing": "note"}))
        typing = await next_of(ada_ws, "typing", room, lambda m: m["typing"])
        assert [(t["userId"], t["composing"]) for t in typing["typing"]] == [(bob.me["agent"]["id"], "note")]
        await bob_ws.send(json.dumps({"type": "stopTyping", "room": room}))
        assert (await next_of(ada_ws, "typing", room))["typing"] == []
        await bob_ws.send(json.dumps({"type": "typing", "room": room, "composing": "reply"}))
        await next_of(ada_ws, "typing", room, lambda m: m["typing"])
        await bob_ws.close()
        assert (await next_of(ada_ws, "typing", room))["typing"] == []
        await ada_ws.close()
    run(scenario())


def test_ticket_events_arrive_live_in_sequence(helpdesk, as_role):
    ada, bob = as_role("Administrator"), as_role("Agent")
    ticket = new_ticket(ada)
    room = f"ticket:{ticket['id']}"
    async def scenario():
        ws = await open_live(helpdesk, ada)
        board = await subscribe(ws, "board")
        subscribed = await subscribe(ws, room)
        reply = bob.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "On it"})
        assert reply.status_code == 201, reply.text
        added = await next_of(ws, "event", room)
        assert added["event"]["kind"] == "message.added" and added["event"]["message"]["body"] == "On it"
        assert added["seq"] > subscribed["seq"]
        patch = bob.patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "status": "in_progress"})
        assert patch.status_code == 200, patch.text
        updated = await next_of(ws, "event", room)
        assert updated["event"]["kind"] == "ticket.updated" and updated["event"]["ticket"]["status"] == "in_progress"
        assert updated["by"] == {"type": "agent", "id": bob.me["agent"]["id"], "name": bob.me["agent"]["name"]}
        assert "status" in updated["event"]["changedFields"] and updated["seq"] > added["seq"]
        created = new_ticket(bob)
        on_board = await next_of(ws, "event", "board", lambda m: m["event"]["kind"] == "ticket.created")
        assert on_board["event"]["ticket"]["id"] == created["id"] and on_board["seq"] > board["seq"]
        await ws.close()
    run(scenario())


def test_many_changes_arrive_once_each_in_order(helpdesk, as_role):
    ada, bob = as_role("Administrator"), as_role("Agent")
    ticket = new_ticket(ada)
    room = f"ticket:{ticket['id']}"
    async def scenario():
        ws = await open_live(helpdesk, ada)
        await subscribe(ws, room)
        for n in range(20):
            assert bob.post(f"/api/tickets/{ticket['id']}/messages",
                            json={"kind": "note", "body": f"note {n}", "force": True}).status_code == 201
        bodies, seqs = [], []
        while len(bodies) < 20:
            event = await next_of(ws, "event", room)
            bodies.append(event["event"]["message"]["body"])
            seqs.append(event["seq"])
        assert bodies == [f"note {n}" for n in range(20)]
        assert seqs == sorted(set(seqs))
        await ws.close()
    run(scenario())


def test_resume_replays_what_was_missed_or_asks_for_resync(helpdesk, as_role):
    ada, bob = as_role("Administrator"), as_role("Agent")
    ticket = new_ticket(ada)
    room = f"ticket:{ticket['id']}"
    async def scenario():
        ws = await open_live(helpdesk, ada)
        last_seen = (await subscribe(ws, room))["seq"]
        ws.transport.abort()
        for body in ("missed one", "missed two"):
            bob.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "note", "body": body, "force": True})
        # Wait until the server has published both: another subscriber sees them, replayed or live.
        witness = await open_live(helpdesk, bob)
        await witness.send(json.dumps({"type": "subscribe", "room": room, "since": last_seen}))
        await next_of(witness, "event", room)
        await next_of(witness, "event", room)
        await witness.close()
        again = await open_live(helpdesk, ada)
        await again.send(json.dumps({"type": "subscribe", "room": room, "since": last_seen}))
        replayed = [await next_of(again, "event", room), await next_of(again, "event", room)]
        assert [e["event"]["message"]["body"] for e in replayed] == ["missed one", "missed two"]
        subscribed = await next_of(again, "subscribed", room)
        assert subscribed["seq"] == replayed[-1]["seq"]
        # A position this server never gave out (an earlier numbering, or invented): resync.
        await again.send(json.dumps({"type": "subscribe", "room": "board", "since": 10**15}))
        assert (await next_of(again, "resync", "board"))["room"] == "board"
        await again.close()
    run(scenario())


def test_users_without_ticket_view_cannot_connect(helpdesk, admin):
    role = admin.post("/api/roles", json={"name": unique("NoView"), "permissions": []}).json()
    email = f"{unique('noview')}@example.test"
    created = admin.post("/api/agents", json={"name": "No View", "email": email, "password": PASSWORD, "roleId": role["id"]})
    assert created.status_code == 201, created.text
    outsider = Client(helpdesk, email)
    async def scenario():
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            await connect(live_url(helpdesk), additional_headers=cookie_header(outsider))
        assert refused.value.response.status_code == 403
    run(scenario())


@pytest.mark.parametrize("payload, code", [
    ("not json", "bad_request"),
    ('{"type": "dance"}', "bad_request"),
    ('{"type": "subscribe"}', "bad_request"),
    ('{"type": "subscribe", "room": "kitchen"}', "not_found"),
    ('{"type": "typing", "room": "ticket:999999"}', "bad_request"),
])
def test_bad_messages_get_an_error_and_the_socket_stays_open(helpdesk, admin, payload, code):
    async def scenario():
        ws = await open_live(helpdesk, admin)
        await ws.send(payload)
        assert (await next_of(ws, "error"))["code"] == code
        await ws.send(json.dumps({"type": "ping"}))
        await next_of(ws, "pong")
        await ws.close()
    run(scenario())


def test_assignment_reaches_the_assignees_notification_feed_live(helpdesk, as_role):
    ada, bob = as_role("Administrator"), as_role("Agent")
    ticket = new_ticket(ada)
    async def scenario():
        ws = await open_live(helpdesk, bob)
        await subscribe(ws, "notifications")
        patch = ada.patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "assigneeId": bob.me["agent"]["id"]})
        assert patch.status_code == 200, patch.text
        event = await next_of(ws, "event", "notifications")
        assert event["event"]["kind"] == "notification.created"
        notification = event["event"]["notification"]
        assert notification["kind"] == "assigned" and notification["ticketId"] == ticket["id"]
        assert event["event"]["unreadCount"] >= 1
        # A reply by the assigner reaches the assignee's feed too; a note does not.
        for kind in ("note", "reply"):
            posted = ada.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": kind, "body": kind, "force": True})
            assert posted.status_code == 201, posted.text
        reply = await next_of(ws, "event", "notifications")
        assert reply["event"]["notification"]["kind"] == "reply"
        await ws.close()
    run(scenario())
    feed = bob.get("/api/notifications").json()
    assert [n["kind"] for n in feed["notifications"][:2]] == ["reply", "assigned"]
    assert feed["unreadCount"] >= 2
    assert bob.post("/api/notifications/read", json={"all": True}).json() == {"unreadCount": 0}
    # Other agents' feeds are their own.
    assert all(n["ticketId"] != ticket["id"] for n in ada.get("/api/notifications").json()["notifications"])
