"""kill -9 at random moments during a burst of mixed commands, 20 rounds (issue 10's proof):
every acknowledged change has its events in the log, its notifications and its live
deliveries exactly once after each restart, and a live client resuming by sequence number
across the restarts misses nothing and receives nothing twice."""
import asyncio
import json
import random
import signal
import tempfile
import threading
import time

import requests
import websockets

from conftest import PASSWORD, cli, start_server, pg_databases

ROUNDS = 20
BOARD_TYPES = ("ticket.created", "ticket.updated", "message.added", "ticket.deleted", "sla.warning", "sla.breached")


def sign_in(server, email):
    session = requests.Session()
    login = session.post(server.url("/api/session"), json={"email": email, "password": PASSWORD}, timeout=10)
    login.raise_for_status()
    session.headers["X-CSRF-Token"] = login.json()["csrfToken"]
    return session, login.json()["agent"]["id"]


class Acknowledged:
    """What the server confirmed: created tickets, added replies, status changes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tickets, self.replies, self.statuses = set(), set(), []

    def add(self, kind, value):
        with self.lock:
            if kind == "ticket":
                self.tickets.add(value)
            elif kind == "reply":
                self.replies.add(value)
            else:
                self.statuses.append(value)


def writer(server, bob_id, acknowledged, stop, seed):
    """Mixed commands until the server dies: create (assigned to Bob), reply, change status."""
    rng = random.Random(seed)
    try:
        session, _ = sign_in(server, "ada@example.test")
    except requests.RequestException:
        return
    mine = []
    while not stop.is_set():
        try:
            choice = rng.random()
            if not mine or choice < 0.4:
                response = session.post(server.url("/api/tickets"), timeout=5, json={
                    "subject": f"crash {seed} {len(mine)}", "description": "burst",
                    "requester": {"name": "Grace", "email": "grace@example.test"}, "assigneeId": bob_id})
                if response.status_code == 201:
                    mine.append(response.json()["id"])
                    acknowledged.add("ticket", response.json()["id"])
            elif choice < 0.75:
                ticket = rng.choice(mine)
                response = session.post(server.url(f"/api/tickets/{ticket}/messages"), timeout=5,
                                        json={"kind": "reply", "body": "working on it", "force": True})
                if response.status_code == 201:
                    acknowledged.add("reply", response.json()["id"])
            else:
                ticket = rng.choice(mine)
                current = session.get(server.url(f"/api/tickets/{ticket}"), timeout=5).json()
                status = "pending" if current["status"] != "pending" else "open"
                response = session.patch(server.url(f"/api/tickets/{ticket}"), timeout=5,
                                         json={"status": status}, headers={"If-Match": f'"{current["version"]}"'})
                if response.status_code == 200:
                    acknowledged.add("status", (ticket, response.json()["version"]))
        except (requests.RequestException, ValueError, KeyError):
            return


class LiveWatcher:
    """Bob's live client: follows the board across restarts, resuming by sequence number."""

    def __init__(self):
        self.received = []      # every board event seq, in arrival order, over all connections
        self.resyncs = 0
        self.first_seq = None
        self.url = None
        self.cookie = None
        self.connected = threading.Event()
        self.stop = False

    async def follow(self):
        while not self.stop:
            try:
                async with websockets.connect(self.url, additional_headers={"Cookie": self.cookie}, open_timeout=5) as ws:
                    since = self.received[-1] if self.received else self.first_seq
                    request = {"type": "subscribe", "room": "board"}
                    if since is not None:
                        request["since"] = since
                    await ws.send(json.dumps(request))
                    async for raw in ws:
                        message = json.loads(raw)
                        if message["type"] == "event" and message["room"] == "board":
                            self.received.append(message["seq"])
                        elif message["type"] == "resync":
                            self.resyncs += 1
                        elif message["type"] == "subscribed" and message["room"] == "board":
                            if self.first_seq is None:
                                self.first_seq = message["seq"]
                            self.connected.set()
            except (OSError, websockets.exceptions.WebSocketException, asyncio.TimeoutError):
                await asyncio.sleep(0.05)

    def point_at(self, server, session):
        self.connected.clear()
        self.url = f"ws://127.0.0.1:{server.port}/api/live"
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def log_rows(data_dir):
    database = pg_databases.connect(data_dir, readonly=False)
    try:
        if not pg_databases.is_postgres():  # PostgreSQL has no file check to ask for
            assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        events = database.execute("SELECT id, type, ticket_id, payload FROM events ORDER BY id").fetchall()
        notifications = database.execute("SELECT event_id, agent_id, kind FROM notifications").fetchall()
        cursors = dict(database.execute("SELECT consumer, position FROM event_cursors").fetchall())
        return events, notifications, cursors
    finally:
        database.close()


def wait_caught_up(server, timeout=30):
    """Waits until every consumer has handled the whole log (`/metrics` lag 0)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = requests.get(server.url("/metrics"), timeout=5).text
        lags = [int(line.split()[-1]) for line in text.splitlines() if line.startswith("helpdesk_event_consumer_lag")]
        if lags and all(lag == 0 for lag in lags):
            return
        time.sleep(0.05)
    raise AssertionError("the relay did not catch up:\n" + text)


def test_kill_9_during_mixed_commands_keeps_events_notifications_and_live_deliveries_exactly_once():
    with tempfile.TemporaryDirectory(prefix="helpdesk-eventlog-crash-") as data_dir:
        for email, name, role in (("ada@example.test", "Ada", "Administrator"), ("bob@example.test", "Bob", "Agent")):
            assert cli("user", "add", "--email", email, "--name", name, "--role", role, "--password-stdin",
                       data_dir=data_dir, input_text=PASSWORD + "\n").returncode == 0
        acknowledged = Acknowledged()
        watcher = LiveWatcher()
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, daemon=True).start()
        following = None
        rng = random.Random(10)
        for round_number in range(ROUNDS + 1):
            server = start_server(data_dir)
            threading.Thread(target=lambda s=server: [None for _ in s.process.stdout], daemon=True).start()
            bob, bob_id = sign_in(server, "bob@example.test")
            watcher.point_at(server, bob)
            if following is None:
                following = asyncio.run_coroutine_threadsafe(watcher.follow(), loop)
            assert watcher.connected.wait(15), f"round {round_number}: the live client did not resubscribe"
            if round_number == ROUNDS:
                break  # the last start only serves the checks below
            stop = threading.Event()
            writers = [threading.Thread(target=writer, args=(server, bob_id, acknowledged, stop, round_number * 10 + i))
                       for i in range(3)]
            for thread in writers:
                thread.start()
            time.sleep(rng.uniform(0.2, 1.0))  # a different moment each round
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(timeout=10)
            stop.set()
            for thread in writers:
                thread.join(timeout=10)
        try:
            wait_caught_up(server)
            events, notifications, cursors = log_rows(data_dir)
            head = events[-1][0]
            # 1. Every acknowledged change has its events, once.
            created = [row[2] for row in events if row[1] == "ticket.created"]
            assert len(created) == len(set(created))
            assert acknowledged.tickets <= set(created), "acknowledged tickets without ticket.created"
            added = [json.loads(row[3])["message"]["id"] for row in events if row[1] == "message.added"]
            assert len(added) == len(set(added))
            assert acknowledged.replies <= set(added), "acknowledged replies without message.added"
            changed = {(row[2], json.loads(row[3])["ticket"]["version"]) for row in events if row[1] == "ticket.status_changed"}
            assert set(acknowledged.statuses) <= changed, "acknowledged status changes without ticket.status_changed"
            assert len(acknowledged.tickets) >= ROUNDS, "too few writes to prove anything"
            # 2. Bob's notifications: exactly one per event that concerns him, none twice.
            caused = [row[0] for row in notifications if row[1] == bob_id]
            assert len(caused) == len(set(caused)), "a notification was stored twice"
            expected = {row[0] for row in events if row[1] == "ticket.assigned"}
            expected |= {row[0] for row in events if row[1] in ("message.added", "ticket.status_changed")
                         and json.loads(row[3])["ticket"]["assigneeID"] == bob_id
                         and (row[1] != "message.added" or json.loads(row[3])["message"]["kind"] == "reply")}
            assert set(caused) == expected
            assert all(position <= head for position in cursors.values()), cursors
            # 3. Live: every board event after the first subscription arrived once, in order, across 20 restarts.
            deadline = time.monotonic() + 15
            wanted = [row[0] for row in events if row[1] in BOARD_TYPES and row[0] > watcher.first_seq]
            while time.monotonic() < deadline and len(watcher.received) < len(wanted):
                time.sleep(0.05)
            print(f"acknowledged: {len(acknowledged.tickets)} tickets, {len(acknowledged.replies)} replies, {len(acknowledged.statuses)} status changes; {len(caused)} notifications; {len(watcher.received)} live board events; log head {head}")
            assert watcher.resyncs == 0
            assert watcher.received == wanted
            # 4. A graceful stop stores every consumer's cursor at the head.
            server.process.send_signal(signal.SIGTERM)
            server.process.wait(timeout=30)
            assert set(log_rows(data_dir)[2].values()) == {head}
        finally:
            watcher.stop = True
            following.cancel()
            server.process.kill()
            server.process.wait()
