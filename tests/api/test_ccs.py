"""CC contacts on a ticket over the real binary: agents add and remove them (audited, logged
as ticket.ccs_changed and live in the ticket's room), bad input is refused with the field."""
from openapi_util import check
from test_live import next_of, open_live, run, subscribe
from tickets_support import new_ticket, problem, unique


def test_agents_add_and_remove_ccs_audited_and_live(helpdesk, as_role):
    ada, bob = as_role("Administrator"), as_role("Agent")
    ticket = new_ticket(ada)
    room = f"ticket:{ticket['id']}"
    address = f"{unique('cc')}@Example.test"

    async def scenario():
        ws = await open_live(helpdesk, ada)
        await subscribe(ws, room)
        added = bob.post(f"/api/tickets/{ticket['id']}/ccs", json={"email": address, "name": "Carol Copy"})
        check(helpdesk, "POST", "/api/tickets/{id}/ccs", added)
        assert added.status_code == 200, added.text
        [cc] = added.json()["ccs"]
        assert (cc["name"], cc["email"]) == ("Carol Copy", address.lower())
        live = await next_of(ws, "event", room, lambda m: m["event"]["kind"] == "ticket.ccs_changed")
        assert live["event"]["ccs"] == [cc] and live["event"]["ticketId"] == ticket["id"]
        # The same address again (any case) changes nothing and logs nothing.
        again = bob.post(f"/api/tickets/{ticket['id']}/ccs", json={"email": address.upper()})
        assert again.status_code == 200 and again.json()["ccs"] == [cc]
        assert bob.delete(f"/api/tickets/{ticket['id']}/ccs/{cc['id']}").status_code == 204
        removed = await next_of(ws, "event", room, lambda m: m["event"]["kind"] == "ticket.ccs_changed")
        assert removed["event"]["ccs"] == [] and removed["seq"] == live["seq"] + 1
        await ws.close()
    run(scenario())

    listed = bob.get(f"/api/tickets/{ticket['id']}/ccs")
    check(helpdesk, "GET", "/api/tickets/{id}/ccs", listed)
    assert listed.json() == {"ticketId": ticket["id"], "ccs": []}
    entries = bob.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]
    audit = [(e["action"], e["actor"]["id"]) for e in entries if e["action"].startswith("cc.")]
    assert audit == [("cc.added", bob.me["agent"]["id"]), ("cc.removed", bob.me["agent"]["id"])]
    assert next(e for e in entries if e["action"] == "cc.added")["after"]["email"] == address.lower()


def test_bad_ccs_are_refused_with_their_field(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    requester = agent.get(f"/api/tickets/{ticket['id']}").json()["requester"]["email"]
    assert problem(agent.post(f"/api/tickets/{ticket['id']}/ccs", json={"email": "not an address"}), 422, "email")
    own = problem(agent.post(f"/api/tickets/{ticket['id']}/ccs", json={"email": requester}), 422, "email")
    assert "requester" in own["detail"]
    assert problem(agent.post(f"/api/tickets/{ticket['id']}/ccs", json={"email": "x@example.test", "name": "n" * 201}), 422, "name")
    assert problem(agent.delete(f"/api/tickets/{ticket['id']}/ccs/999999"), 404)
    assert problem(agent.get("/api/tickets/999999/ccs"), 404)
    for n in range(20):
        assert agent.post(f"/api/tickets/{ticket['id']}/ccs", json={"email": f"many{n}@example.test"}).status_code == 200
    full = problem(agent.post(f"/api/tickets/{ticket['id']}/ccs", json={"email": "one-more@example.test"}), 422, "email")
    assert "at most 20" in full["detail"]
