"""Issue 11 item 1 against the real binary: when access ends, an open /api/live socket ends
too, within a second, with the documented close code (protocol.md 2.7), for each of the five
ways access ends; a narrowed role keeps its socket only while it still holds ticket.view;
and a ticket that does not exist cannot be subscribed to or announced as viewed."""
import asyncio
import json
import time

import websockets
from websockets.asyncio.client import connect

from conftest import PASSWORD, Client
from test_live import live_url, next_of, open_live, run, subscribe
from tickets_support import new_ticket, unique

ENDED, FORBIDDEN = 4401, 4403


def new_agent(admin, helpdesk, role_id=3):
    email = f"{unique('revoked')}@example.test"
    created = admin.post("/api/agents", json={"name": "Revoked Person", "email": email, "password": PASSWORD, "roleId": role_id})
    assert created.status_code == 201, created.text
    return Client(helpdesk, email), created.json()["id"]


async def closed_within_a_second(ws, action):
    """Runs `action` (a blocking HTTP call) and returns (close code, seconds until the close)."""
    started = time.monotonic()
    await asyncio.to_thread(action)
    try:
        while True:
            await asyncio.wait_for(ws.recv(), 1.0 - (time.monotonic() - started))
    except websockets.exceptions.ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None, time.monotonic() - started


def assert_action_ends_socket(helpdesk, agent, action, code=ENDED):
    """Opens `agent`'s live socket on the board, runs `action`, and expects `code` within a second."""
    async def scenario():
        ws = await open_live(helpdesk, agent)
        await subscribe(ws, "board")
        closed, seconds = await closed_within_a_second(ws, action)
        assert closed == code and seconds < 1
    run(scenario())


def test_sign_out_ends_the_live_socket(helpdesk, admin):
    agent, _ = new_agent(admin, helpdesk)
    assert_action_ends_socket(helpdesk, agent, lambda: agent.delete("/api/session"))


def test_deactivation_ends_the_live_socket(helpdesk, admin):
    agent, agent_id = new_agent(admin, helpdesk)
    assert_action_ends_socket(helpdesk, agent, lambda: admin.patch(f"/api/agents/{agent_id}", json={"active": False}))


def test_a_password_reset_ends_the_live_socket(helpdesk, admin):
    agent, agent_id = new_agent(admin, helpdesk)
    assert_action_ends_socket(helpdesk, agent,
                              lambda: admin.put(f"/api/agents/{agent_id}/password", json={"password": PASSWORD + " again"}))


def test_revoking_an_api_token_ends_its_live_socket(helpdesk, admin):
    agent, _ = new_agent(admin, helpdesk)
    created = agent.post("/api/tokens", json={"name": "integration"}).json()
    async def scenario():
        ws = await connect(live_url(helpdesk), additional_headers={"Authorization": f"Bearer {created['secret']}"})
        assert json.loads(await ws.recv())["type"] == "hello"
        await subscribe(ws, "board")
        code, seconds = await closed_within_a_second(ws, lambda: agent.delete(f"/api/tokens/{created['token']['id']}"))
        assert code == ENDED and seconds < 1
    run(scenario())


def test_a_role_that_loses_ticket_view_ends_the_live_socket_and_one_that_keeps_it_does_not(helpdesk, admin):
    role = admin.post("/api/roles", json={"name": unique("Narrowed"), "permissions": ["ticket.view", "ticket.update"]}).json()
    agent, _ = new_agent(admin, helpdesk, role_id=role["id"])
    async def scenario():
        ws = await open_live(helpdesk, agent)
        await subscribe(ws, "board")
        # Narrowed but still allowed to view: the socket stays and still works.
        admin.patch(f"/api/roles/{role['id']}", json={"permissions": ["ticket.view"]})
        await ws.send(json.dumps({"type": "ping"}))
        await next_of(ws, "pong")
        code, seconds = await closed_within_a_second(ws, lambda: admin.patch(f"/api/roles/{role['id']}", json={"permissions": []}))
        assert code == FORBIDDEN and seconds < 1
    run(scenario())


def test_a_ticket_that_does_not_exist_cannot_be_joined_or_announced(helpdesk, as_role):
    ada, bob = as_role("Administrator"), as_role("Agent")
    async def scenario():
        board = await open_live(helpdesk, ada)
        await subscribe(board, "board")
        prober = await open_live(helpdesk, bob)
        await prober.send(json.dumps({"type": "subscribe", "room": "ticket:987654321", "id": "probe"}))
        answer = await next_of(prober, "error")
        assert answer["code"] == "not_found" and answer["id"] == "probe"
        # A real ticket viewed afterwards is the first `viewing` the board hears of.
        ticket = new_ticket(ada)
        await subscribe(prober, f"ticket:{ticket['id']}")
        viewing = await next_of(board, "viewing")
        assert viewing["ticketId"] == ticket["id"]
    run(scenario())
