"""The requester portal's public API and live room: what a link shows (public replies only,
no notes, no system messages, no agent-only data), files of public replies only, replies as
the requester (reopening, notifying, live on the agent's side), bounded public input, and
the read-only live room that a regenerated link ends."""
import asyncio
import json
import os
import re
import sqlite3

import pytest
import requests
import websockets
from websockets.asyncio.client import connect

from conftest import client_address
from openapi_util import check
from test_live import next_of, open_live, run, subscribe
from portal_support import captcha
from tickets_support import PNG, attachment_files, new_ticket, problem

TIMEOUT = 10


def link(client, ticket_id):
    response = client.post(f"/api/tickets/{ticket_id}/access-link")
    assert response.status_code == 201, response.text
    return response.json()["link"]["token"]


def portal_get(server, token, path="/api/portal/ticket"):
    return requests.get(server.url(path), headers={"Portal-Token": token, "X-Forwarded-For": client_address()}, timeout=10)


def portal_reply(server, token, body="Thanks!", files=(), extra=None, solved=True):
    """A reply through the portal form, with a solved spam check unless `solved` is False."""
    fields = {"body": body, **(captcha(server) if solved else {}), **(extra or {})}
    fields = [(name, (None, value)) for name, value in fields.items()]
    return requests.post(server.url("/api/portal/messages"), files=fields + list(files),
                         headers={"Portal-Token": token, "X-Forwarded-For": client_address()}, timeout=30)


def test_the_portal_shows_public_replies_only(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent, assigneeId=agent.me["agent"]["id"])
    tid = ticket["id"]
    agent.post(f"/api/tickets/{tid}/messages", json={"kind": "reply", "body": "Public answer"})
    agent.post(f"/api/tickets/{tid}/messages", data={"kind": "note", "body": "Internal: customer is on the old plan"},
               files=[("attachments", ("note.png", PNG, "image/png"))])
    other = new_ticket(agent)
    agent.post(f"/api/tickets/{other['id']}/messages", json={"kind": "reply", "body": "Other ticket's answer"})
    token = link(agent, tid)
    response = check(helpdesk, "GET", "/api/portal/ticket", portal_get(helpdesk, token))
    body = response.json()
    assert [m["body"] for m in body["messages"]] == ["Public answer"]
    assert body["messages"][0]["author"] == {"type": "agent", "name": agent.me["agent"]["name"]}
    text = response.text
    for secret in ("Internal", "note.png", "Other ticket", agent.me["agent"]["email"], ticket["requester"]["email"],
                   "assignee", "priority", "sla"):
        assert secret not in text, secret
    assert body["account"]["name"]


def test_files_of_public_replies_only_and_only_of_this_ticket(helpdesk, as_role):
    agent = as_role("Agent")
    first, second = new_ticket(agent), new_ticket(agent)
    public = agent.post(f"/api/tickets/{first['id']}/messages", data={"kind": "reply", "body": "See file"},
                        files=[("attachments", ("public.png", PNG, "image/png"))]).json()
    note = agent.post(f"/api/tickets/{first['id']}/messages", data={"kind": "note", "body": "Hidden"},
                      files=[("attachments", ("hidden.png", PNG, "image/png"))]).json()
    elsewhere = agent.post(f"/api/tickets/{second['id']}/messages", data={"kind": "reply", "body": "Other"},
                           files=[("attachments", ("other.png", PNG, "image/png"))]).json()
    token = link(agent, first["id"])
    ok = portal_get(helpdesk, token, f"/api/portal/attachments/{public['attachments'][0]['id']}")
    assert ok.status_code == 200 and ok.content == PNG
    assert ok.headers["Content-Disposition"].startswith("attachment")
    for other in (note["attachments"][0]["id"], elsewhere["attachments"][0]["id"], 999_999_999, "abc"):
        problem(portal_get(helpdesk, token, f"/api/portal/attachments/{other}"), 404)


def test_a_portal_reply_is_the_requesters_and_reopens_and_notifies(helpdesk, as_role):
    agent, supervisor = as_role("Agent"), as_role("Supervisor")
    ticket = new_ticket(agent, assigneeId=agent.me["agent"]["id"])
    tid = ticket["id"]
    supervisor.post(f"/api/tickets/{tid}/watchers", json={"agentId": supervisor.me["agent"]["id"]})
    agent.patch(f"/api/tickets/{tid}", json={"version": ticket["version"], "status": "resolved"})
    token = link(agent, tid)
    response = check(helpdesk, "POST", "/api/portal/messages",
                     portal_reply(helpdesk, token, "It broke again", files=[("attachments", ("log.txt", b"trace", "text/plain"))]))
    assert response.status_code == 201
    assert response.json()["author"]["type"] == "requester"
    assert agent.get(f"/api/tickets/{tid}").json()["status"] == "open"
    thread = [m for m in agent.get(f"/api/tickets/{tid}/messages").json()["messages"] if m["kind"] == "reply"]
    assert thread[-1]["author"]["type"] == "requester" and thread[-1]["author"]["id"] == ticket["requester"]["id"]
    assert thread[-1]["attachments"][0]["fileName"] == "log.txt"
    for client in (agent, supervisor):
        titles = [n["title"] for n in client.get("/api/notifications").json()["notifications"]]
        assert any(t.startswith(f"The customer replied on {ticket['reference']}") for t in titles), titles
    timeline = agent.get(f"/api/tickets/{tid}/timeline").json()["entries"]
    assert any(e["action"] == "message.reply" and e["actor"]["type"] == "requester" for e in timeline)
    # In the event log like every change (workflows and reports read it there): the reply as
    # message.added by the requester, then the reopen (with its system message).
    with sqlite3.connect(os.path.join(helpdesk.data_dir, "helpdesk.sqlite")) as db:
        logged = db.execute("SELECT type, actor_kind, actor_id, json_extract(payload, '$.message.kind') FROM events "
                            "WHERE ticket_id = ? AND actor_kind = 'requester' ORDER BY id", (tid,)).fetchall()
    assert logged[0] == ("message.added", "requester", ticket["requester"]["id"], "reply")
    assert sorted(row[0] for row in logged[1:]) == ["message.added", "ticket.status_changed", "ticket.updated"]


def test_public_input_is_bounded(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    token = link(agent, ticket["id"])
    before = len(attachment_files(helpdesk))
    problem(portal_reply(helpdesk, token, "x" * 20_001), 422, "body")
    problem(portal_reply(helpdesk, token, ""), 422, "body")
    problem(portal_reply(helpdesk, token, "hi", extra={"kind": "note"}), 422, "kind")
    six = [("attachments", (f"f{i}.txt", b"x", "text/plain")) for i in range(6)]
    problem(portal_reply(helpdesk, token, "hi", files=six), 422, "attachments")
    big = [("attachments", ("big.bin", b"\0" * (10 * 1024 * 1024 + 1), "application/octet-stream"))]
    assert portal_reply(helpdesk, token, "hi", files=big).status_code == 413
    as_json = requests.post(helpdesk.url("/api/portal/messages"), json={"body": "hi"},
                            headers={"Portal-Token": token, "X-Forwarded-For": client_address()}, timeout=10)
    problem(as_json, 415)
    assert len(attachment_files(helpdesk)) == before, "nothing stored"
    assert [m for m in agent.get(f"/api/tickets/{ticket['id']}/messages").json()["messages"] if m["kind"] == "reply"] == []


def test_the_logo_is_public_for_the_portal(helpdesk, admin):
    assert admin.put("/api/account/logo", data=PNG, headers={"Content-Type": "image/png"}).status_code == 200
    response = requests.get(helpdesk.url("/api/portal/logo"), timeout=10)
    assert response.status_code == 200 and response.content == PNG
    assert response.headers["Content-Type"] == "image/png" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert requests.get(helpdesk.url("/api/account/logo"), timeout=10).status_code == 401, "the agent route still needs a session"


def test_the_portal_page_has_a_strict_csp_and_no_agent_app(helpdesk):
    response = requests.get(helpdesk.url("/portal"), headers={"Accept": "text/html"}, timeout=10)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert re.search(r'src="/assets/[0-9a-f]{16}/portal/main\.js"', response.text) and "/app/main.js" not in response.text
    assert "http" not in response.text.replace("http-equiv", ""), "no third-party resources"


def portal_live_url(helpdesk):
    return f"ws://127.0.0.1:{helpdesk.port}/api/portal/live"


async def open_portal_live(helpdesk, token):
    ws = await connect(portal_live_url(helpdesk), additional_headers={"X-Forwarded-For": client_address()})
    await ws.send(json.dumps({"type": "auth", "token": token}))
    welcome = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
    assert welcome["type"] == "welcome" and welcome["heartbeatSeconds"] > 0
    return ws


def test_the_live_room_sends_public_replies_and_status_only(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    tid = ticket["id"]
    token = link(agent, tid)

    async def scenario():
        ws = await open_portal_live(helpdesk, token)
        agent.post(f"/api/tickets/{tid}/messages", json={"kind": "note", "body": "SECRET note"})
        agent.patch(f"/api/tickets/{tid}", json={"version": agent.get(f"/api/tickets/{tid}").json()["version"], "priority": "high"})
        agent.post(f"/api/tickets/{tid}/messages", json={"kind": "reply", "body": "Public live reply"})
        agent.patch(f"/api/tickets/{tid}", json={"version": agent.get(f"/api/tickets/{tid}").json()["version"], "status": "pending"})
        first = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        second = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        assert first["type"] == "message" and first["message"]["body"] == "Public live reply"
        assert second == {"type": "status", "ticket": {"status": "pending", "statusText": "We are waiting for your answer."}}
        await ws.send('{"type":"ping"}')
        assert json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT)) == {"type": "pong"}
        await ws.close()
    run(scenario())


def test_the_live_room_is_read_only_and_its_token_decides_the_room(helpdesk, as_role):
    agent = as_role("Agent")
    mine, other = new_ticket(agent), new_ticket(agent)
    token = link(agent, mine["id"])

    async def scenario():
        ws = await open_portal_live(helpdesk, token)
        await ws.send(json.dumps({"type": "subscribe", "room": f"ticket:{other['id']}"}))
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert closed.value.rcvd.code == 1008
        ws = await open_portal_live(helpdesk, token)
        agent.post(f"/api/tickets/{other['id']}/messages", json={"kind": "reply", "body": "other ticket"})
        agent.post(f"/api/tickets/{mine['id']}/messages", json={"kind": "reply", "body": "mine"})
        message = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        assert message["message"]["body"] == "mine"
        await ws.close()
    run(scenario())


def test_a_bad_token_or_a_regenerated_link_ends_the_socket_with_4401(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    token = link(agent, ticket["id"])

    async def scenario():
        bad = await connect(portal_live_url(helpdesk), additional_headers={"X-Forwarded-For": client_address()})
        await bad.send(json.dumps({"type": "auth", "token": "guess"}))
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            await asyncio.wait_for(bad.recv(), TIMEOUT)
        assert closed.value.rcvd.code == 4401
        ws = await open_portal_live(helpdesk, token)
        link(agent, ticket["id"])
        with pytest.raises(websockets.exceptions.ConnectionClosed) as ended:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert ended.value.rcvd.code == 4401
    run(scenario())


def test_an_expired_link_ends_the_socket_at_its_next_ping(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    token = link(agent, ticket["id"])

    async def scenario():
        ws = await open_portal_live(helpdesk, token)
        # An expiry set in the past is refused, so end the link by regenerating it under the
        # socket: the ping re-check and the event re-check both close with 4401.
        agent.post(f"/api/tickets/{ticket['id']}/access-link")
        await ws.send('{"type":"ping"}')
        with pytest.raises(websockets.exceptions.ConnectionClosed) as ended:
            while True:
                await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert ended.value.rcvd.code == 4401
    run(scenario())


def test_a_cross_origin_page_cannot_open_the_live_room(helpdesk):
    async def scenario():
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            await connect(portal_live_url(helpdesk), origin="http://evil.example")
        assert refused.value.response.status_code == 403
    run(scenario())
