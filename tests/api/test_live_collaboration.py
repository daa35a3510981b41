"""Merges, watcher changes and link changes reach the ticket rooms live (protocol.md 2.6),
with a real WebSocket client (Python `websockets`) against the real server."""
from test_live import next_of, open_live, run, subscribe
from tickets_support import new_ticket


def test_a_merge_reaches_both_ticket_rooms_and_the_board(helpdesk, as_role):
    ada, bob = as_role("Administrator"), as_role("Agent")
    primary, secondary = new_ticket(ada), new_ticket(ada)
    moved = bob.post(f"/api/tickets/{secondary['id']}/messages", json={"kind": "reply", "body": "dup"}).json()
    async def scenario():
        ws = await open_live(helpdesk, ada)
        await subscribe(ws, f"ticket:{primary['id']}")
        await subscribe(ws, f"ticket:{secondary['id']}")
        await subscribe(ws, "board")
        merged = bob.post(f"/api/tickets/{primary['id']}/merge", json={"secondaryIds": [secondary["id"]]})
        assert merged.status_code == 200, merged.text
        # Events arrive in commit order across rooms: the secondary's update (closed, merged
        # into the primary) on the board comes before the merge announcement in both rooms.
        closed = await next_of(ws, "event", "board", lambda m: m["event"]["kind"] == "ticket.updated"
                               and m["event"]["ticket"]["id"] == secondary["id"] and m["event"]["ticket"]["mergedIntoId"])
        assert closed["event"]["ticket"]["status"] == "closed"
        for room in (f"ticket:{primary['id']}", f"ticket:{secondary['id']}"):
            event = await next_of(ws, "event", room, lambda m: m["event"]["kind"] == "ticket.merged")
            assert event["event"]["primary"]["id"] == primary["id"]
            assert event["event"]["secondary"]["mergedIntoId"] == primary["id"]
            assert event["event"]["secondary"]["status"] == "closed"
            assert event["event"]["movedMessageIds"] == [moved["id"]]
            assert event["seq"] > closed["seq"]
        await ws.close()
    run(scenario())


def test_watcher_and_link_changes_reach_the_ticket_room(helpdesk, as_role):
    ada, bob = as_role("Administrator"), as_role("Agent")
    ticket, other = new_ticket(ada), new_ticket(ada)
    room = f"ticket:{ticket['id']}"
    async def scenario():
        ws = await open_live(helpdesk, ada)
        await subscribe(ws, room)
        await subscribe(ws, f"ticket:{other['id']}")
        assert bob.post(f"/api/tickets/{ticket['id']}/watchers", json={"agentId": bob.me["agent"]["id"]}).status_code == 200
        added = await next_of(ws, "event", room, lambda m: m["event"]["kind"] == "ticket.watchers_changed")
        assert added["event"]["watchers"] == [{"id": bob.me["agent"]["id"], "name": bob.me["agent"]["name"]}]
        assert bob.delete(f"/api/tickets/{ticket['id']}/watchers/{bob.me['agent']['id']}").status_code == 204
        removed = await next_of(ws, "event", room, lambda m: m["event"]["kind"] == "ticket.watchers_changed")
        assert removed["event"]["watchers"] == [] and removed["seq"] > added["seq"]
        link = bob.post(f"/api/tickets/{ticket['id']}/links", json={"kind": "ticket", "ticketId": other["id"]})
        assert link.status_code == 201, link.text
        for room_name, linked in ((room, other), (f"ticket:{other['id']}", ticket)):
            event = await next_of(ws, "event", room_name, lambda m: m["event"]["kind"] == "ticket.links_changed")
            assert [l["ticket"]["id"] for l in event["event"]["links"]] == [linked["id"]]
        await ws.close()
    run(scenario())
