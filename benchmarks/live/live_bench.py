"""Live collaboration benchmark (issue 5): many agent connections across many tickets and
the board, agents replying and moving tickets over REST, end-to-end latency from the HTTP
write that causes an event to its arrival at every subscriber; then a reconnect storm.

    python benchmarks/live/live_bench.py --binary .build/release/helpdesk \
        [--agents 20] [--tabs 100] [--tickets 200] [--board-tabs 100] [--rate 50] [--seconds 20]

Starts its own `helpdesk serve` on a temporary data folder (pinned to CPU 0 when
`--server-cpu` is given) and prints one JSON line of results. Timestamps are
CLOCK_MONOTONIC (`time.monotonic_ns`), shared by every process on the machine, so the
writer process stamps each change and the receivers measure arrival against it."""
import argparse
import asyncio
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import tempfile
import time

import requests
import websockets
from websockets.asyncio.client import connect

PASSWORD = "benchmark password 42"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def start_server(binary, data, port, cpu):
    command = [binary, "serve", "--port", str(port), "--data", data]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu)] + command
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:
        if "listening on" in line:
            break
    import threading
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    return process


def login(base, email):
    session = requests.Session()
    response = session.post(base + "/api/session", json={"email": email, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    session.headers["X-CSRF-Token"] = response.json()["csrfToken"]
    return session


def writer(base, email, tickets, rate, seconds, results):
    """Replies and status moves at `rate` per second, each stamped with the send time;
    also times REST reads while the live load runs."""
    session = login(base, email)
    versions = {ticket["id"]: ticket["version"] for ticket in tickets}
    statuses = ["open", "in_progress", "pending", "on_hold", "open"]
    writes = read_latencies = errors = 0
    reads = []
    deadline = time.monotonic() + seconds
    interval = 1.0 / rate
    next_at = time.monotonic()
    while time.monotonic() < deadline:
        ticket_id = random.choice(list(versions))
        stamp = time.monotonic_ns()
        if writes % 2 == 0:
            response = session.post(f"{base}/api/tickets/{ticket_id}/messages",
                                    json={"kind": "note", "body": f"bench t={stamp}", "force": True}, timeout=30)
        else:
            response = session.patch(f"{base}/api/tickets/{ticket_id}", timeout=30, json={
                "version": versions[ticket_id], "status": statuses[writes % len(statuses)], "subject": f"bench t={stamp}"})
            if response.status_code == 200:
                versions[ticket_id] = response.json()["version"]
        if response.status_code not in (200, 201):
            errors += 1
        writes += 1
        if writes % 10 == 0:
            started = time.monotonic()
            if session.get(f"{base}/api/tickets?limit=50", timeout=30).status_code == 200:
                reads.append((time.monotonic() - started) * 1000)
        next_at += interval
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    results.put({"writes": writes, "write_errors": errors, "rest_reads": len(reads),
                 "rest_read_p50_ms": percentile(reads, 50), "rest_read_p99_ms": percentile(reads, 99)})


class Receivers:
    """Every live connection, counting arrivals and latency per stamped change."""

    def __init__(self, url, cookies, rooms):
        self.url, self.cookies, self.rooms = url, cookies, rooms
        self.latencies_ms = []
        self.delivered = 0
        self.last_seq = {}
        self.sockets = []
        self.errors = 0

    async def open_one(self, index, since=None):
        cookie = self.cookies[index % len(self.cookies)]
        ws = await connect(self.url, additional_headers={"Cookie": f"helpdesk_session={cookie}"}, max_queue=None,
                           open_timeout=60, ping_interval=None)
        await ws.recv()  # hello
        for room in self.rooms[index]:
            request = {"type": "subscribe", "room": room}
            if since is not None and (index, room) in self.last_seq:
                request["since"] = self.last_seq[(index, room)]
            await ws.send(json.dumps(request))
        return ws

    async def listen(self, index, ws, subscribed):
        pending = len(self.rooms[index])
        try:
            async for text in ws:
                now = time.monotonic_ns()
                message = json.loads(text)
                kind = message["type"]
                if kind == "subscribed":
                    pending -= 1
                    if pending == 0:
                        subscribed.release()
                elif kind == "event":
                    key = (index, message["room"])
                    if message["seq"] <= self.last_seq.get(key, 0):
                        continue
                    self.last_seq[key] = message["seq"]
                    event = message["event"]
                    if event["kind"] == "message.added":
                        text_with_stamp = event["message"]["body"]
                    elif event["kind"] == "ticket.updated" and "subject" in event["changedFields"]:
                        text_with_stamp = event["ticket"]["subject"]
                    else:
                        continue  # e.g. a board `ticket.updated` for a new note: its subject stamp is old
                    if text_with_stamp.startswith("bench t="):
                        self.delivered += 1
                        self.latencies_ms.append((now - int(text_with_stamp[8:])) / 1e6)
                elif kind == "error":
                    self.errors += 1
        except websockets.exceptions.ConnectionClosed:
            pass


async def run_live(args, base, port, cookies, tickets):
    rooms = []
    for index in range(args.agents * args.tabs):
        ticket = tickets[index % len(tickets)]
        rooms.append([f"ticket:{ticket['id']}"] + (["board"] if index < args.board_tabs else []))
    receivers = Receivers(f"ws://127.0.0.1:{port}/api/live", cookies, rooms)
    subscribed = asyncio.Semaphore(0)
    started = time.monotonic()
    sockets = await asyncio.gather(*(receivers.open_one(i) for i in range(len(rooms))))
    tasks = [asyncio.create_task(receivers.listen(i, ws, subscribed)) for i, ws in enumerate(sockets)]
    for _ in rooms:
        await subscribed.acquire()
    connect_s = time.monotonic() - started

    results = multiprocessing.Queue()
    process = multiprocessing.Process(target=writer, args=(base, "agent0@bench.test", tickets, args.rate, args.seconds, results))
    process.start()
    measured_from = time.monotonic()
    while process.is_alive():
        await asyncio.sleep(0.2)
    await asyncio.sleep(1)  # let the last events arrive
    duration = time.monotonic() - measured_from
    written = results.get()

    # Reconnect storm: drop every socket at once, reconnect all with `since`.
    delivered_before = receivers.delivered
    for ws in sockets:
        ws.transport.abort()
    await asyncio.gather(*tasks, return_exceptions=True)
    storm_started = time.monotonic()
    subscribed = asyncio.Semaphore(0)
    storm_errors = 0
    reopened = await asyncio.gather(*(receivers.open_one(i, since=True) for i in range(len(rooms))), return_exceptions=True)
    tasks = []
    for i, ws in enumerate(reopened):
        if isinstance(ws, Exception):
            storm_errors += 1
            subscribed.release()
        else:
            tasks.append(asyncio.create_task(receivers.listen(i, ws, subscribed)))
    for _ in rooms:
        await subscribed.acquire()
    storm_s = time.monotonic() - storm_started
    for ws in reopened:
        if not isinstance(ws, Exception):
            await ws.close()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "connections": len(rooms), "tickets": len(tickets), "board_connections": args.board_tabs,
        "connect_s": round(connect_s, 2), "duration_s": round(duration, 1), **written,
        "deliveries": delivered_before, "deliveries_per_s": round(delivered_before / duration),
        "latency_p50_ms": round(percentile(receivers.latencies_ms, 50), 2),
        "latency_p99_ms": round(percentile(receivers.latencies_ms, 99), 2),
        "latency_max_ms": round(max(receivers.latencies_ms), 2),
        "protocol_errors": receivers.errors,
        "reconnect_storm_s": round(storm_s, 2), "reconnect_storm_errors": storm_errors,
        "duplicates_after_resume": receivers.delivered - delivered_before,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/helpdesk")
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--tabs", type=int, default=100)
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument("--board-tabs", type=int, default=100)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--server-cpu", type=int)
    args = parser.parse_args()
    import resource
    resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
    data = tempfile.mkdtemp(prefix="live-bench-")
    for n in range(args.agents):
        subprocess.run([args.binary, "user", "add", "--data", data, "--email", f"agent{n}@bench.test", "--name", f"Agent {n}",
                        "--role", "Administrator" if n == 0 else "Agent", "--password-stdin"],
                       input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    port = free_port()
    server = start_server(args.binary, data, port, args.server_cpu)
    try:
        base = f"http://127.0.0.1:{port}"
        sessions = [login(base, f"agent{n}@bench.test") for n in range(args.agents)]
        cookies = [s.cookies.get("helpdesk_session") for s in sessions]
        tickets = [sessions[0].post(base + "/api/tickets", json={
            "subject": f"Bench ticket {n}", "description": "load",
            "requester": {"name": "Load", "email": f"load{n}@bench.test"}}, timeout=30).json() for n in range(args.tickets)]
        result = asyncio.run(run_live(args, base, port, cookies, tickets))
        print(json.dumps(result))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
