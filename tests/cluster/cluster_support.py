"""Two `helpdesk serve` nodes on one PostgreSQL database and one shared data folder, as an
operator runs them (README, "Running several nodes"), with clients that talk to either node.

- `Node`: one process on a free port of 127.0.0.1, started with `--database URL --data DIR
  --test-clock`; its log lines are kept in `output`; `kill()` is kill -9 of the pid we started.
- `Desk`: the data folder, the database and its nodes; `leader()` polls `/healthz` until
  exactly one living node says it leads.
- `Agent`: a signed-in person (session cookie and CSRF header) whose requests go to whichever
  node a call names: a session is a row in the shared database, so it is valid on every node.
- `Live`: a `/api/live` socket that keeps every message it receives, so a test can wait for
  one and later count how often something arrived.
- `Mailbin`: aiosmtpd on 127.0.0.1, the desk's outgoing mail server.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import os
import pathlib
import socket
import subprocess
import sys
import threading
import time
import uuid

import requests
import websockets
from websockets.asyncio.client import connect

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
import pg_databases  # noqa: E402  (one database per data folder, dropped when the tests end)

BINARY = pathlib.Path(os.environ.get("HELPDESK_BIN", ROOT / ".build" / "debug" / "helpdesk"))
PASSWORD = "correct horse battery staple"
# Waiting for something that should happen: generous, because the machine is shared; a test
# that passes never waits this long.
TIMEOUT = 15
# How long a living node may take to lead after the leader died: the plan says followers retry
# every second and a dead session's advisory lock goes with it, so about 2 s; 10 s of slack
# for a busy machine.
TAKEOVER_SECONDS = 12
_addresses = itertools.count(1)


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, what, timeout=TIMEOUT, interval=0.05):
    """Polls `predicate` until it returns something truthy (returned), or fails naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Node:
    """One `helpdesk serve` process of the desk."""

    def __init__(self, name, port, process):
        self.name, self.port, self.process = name, port, process
        self.output = []
        self.base_url = f"http://127.0.0.1:{port}"

    def url(self, path):
        return self.base_url + path

    @property
    def live_url(self):
        return f"ws://127.0.0.1:{self.port}/api/live"

    @property
    def alive(self):
        return self.process.poll() is None

    def health(self):
        """`/healthz` as JSON, or None when the node does not answer."""
        try:
            response = requests.get(self.url("/healthz"), timeout=2)
        except requests.RequestException:
            return None
        return response.json() if response.status_code == 200 else None

    def log(self):
        return "".join(self.output)

    def metric(self, name):
        """One figure of `/metrics` (e.g. `helpdesk_event_consumer_position{consumer="live"}`), or None."""
        for line in requests.get(self.url("/metrics"), timeout=10).text.splitlines():
            key, _, value = line.rpartition(" ")
            if key == name:
                return float(value)
        return None

    def caught_up(self, consumer):
        """True once this node's `consumer` has passed every event in the log."""
        head = self.metric("helpdesk_event_log_head")
        position = self.metric(f'helpdesk_event_consumer_position{{consumer="{consumer}"}}')
        return head is not None and position is not None and position >= head

    def kill(self):
        """kill -9 of the process this suite started, then reap it."""
        self.process.kill()
        self.process.wait(timeout=15)

    def stop(self):
        if not self.alive:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def __repr__(self):
        return f"node {self.name} (port {self.port}, pid {self.process.pid})"


class Desk:
    """A data folder shared by the nodes, and the PostgreSQL database they share."""

    def __init__(self, data_dir):
        self.data_dir = pathlib.Path(data_dir)
        self.database = pg_databases.database_url(self.data_dir)
        self.nodes = []

    def cli(self, *args, input_text=None):
        """`helpdesk ARGS --database URL --data DIR`."""
        return subprocess.run([str(BINARY), *args, "--database", self.database, "--data", str(self.data_dir)],
                              input=input_text, capture_output=True, text=True, timeout=60)

    def add_user(self, email, role, name=None):
        done = self.cli("user", "add", "--email", email, "--name", name or f"{role} Person", "--role", role,
                        "--password-stdin", input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr

    def launch(self, name):
        """Starts a node without waiting for it (see `ready`)."""
        port = free_port()
        # --trusted-proxy: each Agent signs in from an X-Forwarded-For address of its own, so the
        # sign-ins of a run are not one address tripping the sign-in throttle.
        process = subprocess.Popen([str(BINARY), "serve", "--database", self.database, "--data", str(self.data_dir),
                                    "--port", str(port), "--test-clock", "--trusted-proxy", "127.0.0.1"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   env={k: v for k, v in os.environ.items() if k != "HELPDESK_DATABASE"})
        node = Node(name, port, process)
        self.nodes.append(node)
        return node

    @staticmethod
    def ready(node, timeout=60):
        """Reads the node's log until it listens, then keeps draining it into `output`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = node.process.stdout.readline()
            if not line:
                break
            node.output.append(line)
            if "listening on" in line:
                threading.Thread(target=lambda: [node.output.append(l) for l in node.process.stdout], daemon=True).start()
                return node
        node.kill()
        raise AssertionError(f"{node} did not start:\n{node.log()}")

    def start(self, name):
        return self.ready(self.launch(name))

    def living(self):
        return [node for node in self.nodes if node.alive]

    def leaders(self):
        """The living nodes whose /healthz says they lead (None when one does not answer)."""
        answers = {node: node.health() for node in self.living()}
        if any(answer is None for answer in answers.values()):
            return None
        return [node for node, answer in answers.items() if answer.get("leader") is True]

    def leader(self, timeout=TAKEOVER_SECONDS):
        """The one living node that leads, once exactly one does (polling /healthz, whose
        `leader` is true while the node runs the leader's duties, so its SLA scheduler takes a
        test-clock move from then on)."""
        found = wait_until(lambda: (lambda ls: ls if ls is not None and len(ls) == 1 else None)(self.leaders()),
                           "exactly one leader among " + ", ".join(map(repr, self.living())), timeout=timeout)
        return found[0]

    def follower(self):
        leader = self.leader()
        return next(node for node in self.living() if node is not leader)

    def stop(self):
        for node in self.nodes:
            node.stop()


class Agent:
    """A signed-in agent; every call names the node it goes to."""

    def __init__(self, node, email, password=PASSWORD):
        self.http = requests.Session()
        n = next(_addresses)
        self.http.headers["X-Forwarded-For"] = f"198.18.{n // 256 % 256}.{n % 256}"
        response = self.http.post(node.url("/api/session"), json={"email": email, "password": password}, timeout=10)
        assert response.status_code == 200, response.text
        self.me = response.json()
        self.id = self.me["agent"]["id"]
        self.http.headers["X-CSRF-Token"] = self.me["csrfToken"]

    @property
    def cookie(self):
        return self.http.cookies.get("helpdesk_session")

    def request(self, node, method, path, **kwargs):
        kwargs.setdefault("timeout", 30)
        return self.http.request(method, node.url(path), **kwargs)

    def get(self, node, path, **kwargs):
        return self.request(node, "GET", path, **kwargs)

    def post(self, node, path, **kwargs):
        return self.request(node, "POST", path, **kwargs)

    def patch(self, node, path, **kwargs):
        return self.request(node, "PATCH", path, **kwargs)

    def put(self, node, path, **kwargs):
        return self.request(node, "PUT", path, **kwargs)

    def delete(self, node, path, **kwargs):
        return self.request(node, "DELETE", path, **kwargs)

    def new_ticket(self, node, **fields):
        body = {"subject": unique("Subject"), "description": "Printer on fire",
                "requester": {"name": "Ada Lovelace", "email": f"{unique('ada')}@customer.test"}}
        body.update(fields)
        response = self.post(node, "/api/tickets", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def reply(self, node, ticket_id, body, kind="reply"):
        response = self.post(node, f"/api/tickets/{ticket_id}/messages", json={"kind": kind, "body": body, "force": True})
        assert response.status_code == 201, response.text
        return response.json()

    def change(self, node, ticket_id, **fields):
        """PATCH with the ticket's current version (If-Match)."""
        version = self.get(node, f"/api/tickets/{ticket_id}").json()["version"]
        response = self.patch(node, f"/api/tickets/{ticket_id}", json=fields, headers={"If-Match": f'"{version}"'})
        assert response.status_code == 200, response.text
        return response.json()

    def notifications(self, node):
        response = self.get(node, "/api/notifications", params={"limit": 100})
        assert response.status_code == 200, response.text
        return response.json()["notifications"]

    def advance_clock(self, node, seconds):
        response = self.post(node, "/api/test/clock", json={"advanceSeconds": seconds})
        assert response.status_code == 200, response.text
        return response.json()


def run(coroutine, timeout=120):
    return asyncio.run(asyncio.wait_for(coroutine, timeout))


class Live:
    """One /api/live socket that records every message; `wait_for` finds one, `count` counts."""

    def __init__(self, ws, hello):
        self.ws, self.hello = ws, hello
        self.messages = []
        self.close_code = None
        self.closed_at = None
        self._changed = asyncio.Event()
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def open(cls, node, agent, rooms=()):
        ws = await connect(node.live_url, additional_headers={"Cookie": f"helpdesk_session={agent.cookie}"},
                           ping_interval=None, max_queue=None)
        hello = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        assert hello["type"] == "hello" and hello["user"]["userId"] == agent.id, hello
        live = cls(ws, hello)
        for room in rooms:
            await live.subscribe(room)
        return live

    async def _read(self):
        try:
            async for text in self.ws:
                self.messages.append(json.loads(text))
                self._changed.set()
        except websockets.exceptions.ConnectionClosed:
            pass
        self.closed_at = time.monotonic()
        self.close_code = self.ws.close_code
        self._changed.set()

    async def send(self, message):
        await self.ws.send(json.dumps(message))

    async def subscribe(self, room):
        request_id = unique("sub")
        await self.send({"type": "subscribe", "room": room, "id": request_id})
        return await self.wait_for(lambda m: m["type"] in ("subscribed", "error") and m.get("id") == request_id,
                                   f"the answer to subscribing {room}")

    def matching(self, predicate):
        return [m for m in self.messages if predicate(m)]

    def count(self, predicate):
        return len(self.matching(predicate))

    async def wait_for(self, predicate, what, timeout=TIMEOUT, after=0):
        """The first message (from index `after`) satisfying `predicate`, waiting for it."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages[after:]:
                if predicate(message):
                    return message
            if self.close_code is not None or self._reader.done():
                raise AssertionError(f"the socket closed ({self.close_code}) before {what}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}; received {self.kinds()}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except asyncio.TimeoutError:
                pass

    async def wait_count(self, predicate, count, what, timeout=TIMEOUT):
        """Waits until at least `count` messages satisfy `predicate`; returns them all."""
        await self.wait_for(lambda _: self.count(predicate) >= count, what, timeout)
        return self.matching(predicate)

    async def wait_closed(self, timeout=TIMEOUT):
        """The close code, once the server closed the socket."""
        await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        return self.close_code

    def kinds(self):
        return [(m["type"], m.get("room"), (m.get("event") or {}).get("kind")) for m in self.messages][-30:]

    async def close(self):
        await self.ws.close()
        await asyncio.gather(self._reader, return_exceptions=True)


def event_kind(kind, room=None, predicate=lambda m: True):
    """A predicate over live messages: an `event` of `kind` (in `room`) that satisfies `predicate`."""
    return lambda m: (m["type"] == "event" and m["event"].get("kind") == kind
                      and (room is None or m.get("room") == room) and predicate(m))


class Mailbin:
    """aiosmtpd on 127.0.0.1 requiring STARTTLS and AUTH (the desk never sends credentials in
    the clear), accepting every message and keeping what it received. Its certificate is made
    here with openssl; the mailbox is set not to verify it."""

    USER, PASSWORD = "desk@example.test", "s3cret-smtp"

    def __init__(self, folder):
        import ssl
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword
        folder = pathlib.Path(folder)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(folder / "key.pem"),
                        "-out", str(folder / "cert.pem")], check=True, capture_output=True)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(folder / "cert.pem"), str(folder / "key.pem"))

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == self.USER
                  and auth_data.password.decode() == self.PASSWORD)
            return AuthResult(success=ok, handled=False)
        self.port = free_port()
        self.messages = []
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, authenticator=authenticate,
                                     auth_require_tls=True, tls_context=context, require_starttls=True)

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 2.0.0 queued"

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def received(self):
        with self._lock:
            return list(self.messages)
