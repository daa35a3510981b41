"""Live collaboration benchmark (issues 5 and 10): many agent connections across many tickets,
the board and the agents' notification feeds, agents replying and moving tickets over REST,
end-to-end latency from the HTTP write that causes an event to its arrival at every
subscriber; then a reconnect storm.

    python benchmarks/live/live_bench.py --binary .build/release/helpdesk [--preset 2000|10000] \
        [--agents 20] [--tabs 100] [--tickets 200] [--board-tabs 100] [--feeds] [--assign] \
        [--rate 50] [--writers 1] [--seconds 20] [--server-cpu 0 --client-cpu 1] [--rt] [--client c|python]

Starts its own `helpdesk serve` on a temporary data folder (pinned to `--server-cpu` when
given) and prints one JSON line of results. Timestamps are CLOCK_MONOTONIC
(`time.monotonic_ns`), shared by every process on the machine, so the writer processes stamp
each change and the receivers measure arrival against it. The receivers are the C client
(`benchmarks/client/wsload live`, built here with gcc) unless `--client python`: one Python
process with the `websockets` library tops out near 2,000 connections at these rates."""
import argparse
import asyncio
import itertools
import json
import multiprocessing
import os
import math
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import requests
import websockets
from websockets.asyncio.client import connect

PASSWORD = "benchmark password 42"
HERE = os.path.dirname(os.path.abspath(__file__))
WSLOAD_SOURCE = os.path.join(HERE, "..", "client", "wsload.c")
WSLOAD = os.path.join(HERE, "..", "client", "wsload")
PRESETS = {
    # today's figure (issue 5): 20 agents x 100 tabs, 200 tickets, 100 tabs also on the board
    "2000": dict(agents=20, tabs=100, tickets=200, board_tabs=100, feeds=False, assign=False, rate=50, writers=1),
    # issue 10: 10,000 agent connections on tickets, the board and every tab's notification feed;
    # tickets assigned to agents other than the writer, so status changes notify their assignee
    "10000": dict(agents=100, tabs=100, tickets=1000, board_tabs=500, feeds=True, assign=True, rate=100, writers=2),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def start_server(binary, data, port, cpu, realtime=False):
    command = [binary, "serve", "--port", str(port), "--data", data]
    # Each simulated agent signs in from an address of its own (X-Forwarded-For, believed
    # from loopback only), as agents do; from one address the sign-in limits would refuse
    # the hundred sign-ins of the 10,000 preset. Builds without that option refuse it, so it
    # is passed only to a binary whose --help lists it.
    if "--trusted-proxy" in subprocess.run([binary, "--help"], capture_output=True, text=True).stdout:
        command += ["--trusted-proxy", "127.0.0.1"]
    if realtime:  # round robin, not FIFO: the server's own threads share the core by turns
        command = ["chrt", "-r", "1"] + command
    if cpu is not None:
        command = ["taskset", "-c", str(cpu)] + command
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:
        if "listening on" in line:
            break
    import threading
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    return process


SIGN_IN_ADDRESSES = itertools.count()


def login(base, email):
    session = requests.Session()
    number = next(SIGN_IN_ADDRESSES)
    session.headers["X-Forwarded-For"] = f"10.0.{number // 250}.{number % 250 + 1}"
    response = session.post(base + "/api/session", json={"email": email, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    session.headers["X-CSRF-Token"] = response.json()["csrfToken"]
    return session


def writer(base, email, tickets, rate, seconds, results, start_at=None):
    """Replies and status moves at `rate` per second, each stamped with the send time;
    also times REST reads while the live load runs. Reports what it wrote per ticket, so
    the expected deliveries can be counted, and its own CPU time."""
    session = login(base, email)
    versions = {ticket["id"]: ticket["version"] for ticket in tickets}
    statuses = ["open", "in_progress", "pending", "on_hold", "open"]
    writes = errors = 0
    notes, patches = {}, {}
    reads, write_ms = [], []
    if start_at:
        time.sleep(max(0.0, start_at - time.monotonic()))
    cpu0 = time.process_time()
    deadline = time.monotonic() + seconds
    interval = 1.0 / rate
    next_at = time.monotonic()
    while time.monotonic() < deadline:
        ticket_id = random.choice(list(versions))
        stamp = time.monotonic_ns()
        if writes % 2 == 0:
            response = session.post(f"{base}/api/tickets/{ticket_id}/messages",
                                    json={"kind": "note", "body": f"bench t={stamp}", "force": True}, timeout=30)
            done = notes
        else:
            response = session.patch(f"{base}/api/tickets/{ticket_id}", timeout=30, json={
                "version": versions[ticket_id], "status": statuses[writes % len(statuses)], "subject": f"bench t={stamp}"})
            if response.status_code == 200:
                versions[ticket_id] = response.json()["version"]
            done = patches
        write_ms.append((time.monotonic_ns() - stamp) / 1e6)
        if response.status_code in (200, 201):
            done[ticket_id] = done.get(ticket_id, 0) + 1
        else:
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
    results.put({"writes": writes, "write_errors": errors, "reads": reads, "write_ms": write_ms,
                 "notes": notes, "patches": patches, "cpu_s": time.process_time() - cpu0,
                 "wall_s": seconds})


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


def room_plan(args, tickets):
    """The rooms of every connection: its ticket room, the board for the first `board_tabs`,
    and with `feeds` its agent's notification feed (connection i belongs to agent i % agents)."""
    rooms = []
    for index in range(args.agents * args.tabs):
        ticket = tickets[index % len(tickets)]
        rooms.append([f"ticket:{ticket['id']}"] + (["board"] if index < args.board_tabs else [])
                     + (["notifications"] if args.feeds else []))
    return rooms


def summarize_writers(parts):
    """One result from every writer process's report."""
    reads = [r for p in parts for r in p["reads"]]
    write_ms = [w for p in parts for w in p["write_ms"]]
    notes, patches = {}, {}
    for p in parts:
        for ticket, n in p["notes"].items():
            notes[ticket] = notes.get(ticket, 0) + n
        for ticket, n in p["patches"].items():
            patches[ticket] = patches.get(ticket, 0) + n
    return {"writes": sum(p["writes"] for p in parts), "write_errors": sum(p["write_errors"] for p in parts),
            "write_p50_ms": round(percentile(write_ms, 50), 2), "write_p99_ms": round(percentile(write_ms, 99), 2),
            "rest_reads": len(reads), "rest_read_p50_ms": percentile(reads, 50), "rest_read_p99_ms": percentile(reads, 99),
            "writer_cpu_pct": round(100 * sum(p["cpu_s"] for p in parts) / max(p["wall_s"] for p in parts), 1),
            "_notes": notes, "_patches": patches}


def expected_deliveries(rooms, written):
    """Stamped ticket-room and board deliveries the writes must produce (notifications are
    counted apart: a status PATCH that repeats the current status notifies nobody)."""
    per_room = {}
    for connection in rooms:
        for room in connection:
            per_room[room] = per_room.get(room, 0) + 1
    board = per_room.get("board", 0)
    total = 0
    for ticket, n in written["_notes"].items():
        total += n * per_room.get(f"ticket:{ticket}", 0)
    for ticket, n in written["_patches"].items():
        total += n * (per_room.get(f"ticket:{ticket}", 0) + board)
    return total


def cpu_sample(pid):
    """(CPU seconds from /proc/PID/stat utime+stime, run-queue wait in s from schedstat) of a process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    wait = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                wait += int(f.read().split()[1])
        except OSError:
            pass
    return cpu, wait / 1e9


def build_wsload():
    sources = [WSLOAD_SOURCE, os.path.join(HERE, "..", "client", "wsload_live.c")]
    if not os.path.exists(WSLOAD) or any(os.path.getmtime(src) > os.path.getmtime(WSLOAD) for src in sources):
        subprocess.run(["gcc", "-O2", "-o", WSLOAD, WSLOAD_SOURCE, "-lssl", "-lcrypto"], check=True)


def run_live_c(args, base, port, cookies, tickets, server):
    """The C receiver holds every connection; `--writers` processes write at `--rate` in total."""
    build_wsload()
    rooms = room_plan(args, tickets)
    work = tempfile.mkdtemp(prefix="live-bench-c-")
    spec, ready = os.path.join(work, "spec"), os.path.join(work, "ready")
    with open(spec, "w") as f:
        for index, connection in enumerate(rooms):
            f.write(f"{cookies[index % len(cookies)]} {','.join(connection)}\n")
    command = [WSLOAD, "live", str(port), spec, ready]
    if args.rt:
        command = ["chrt", "-r", "1"] + command
    if args.client_cpu is not None:
        command = ["taskset", "-c", str(args.client_cpu)] + command
    receiver = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        return measure_live_c(args, base, tickets, server, rooms, receiver, ready)
    finally:
        if receiver.poll() is None:
            receiver.kill()
            receiver.wait()
        shutil.rmtree(work, ignore_errors=True)


def run_writers(args, plan, rate, seconds, at_start):
    """One writer process per (base URL, tickets) in `plan`, sharing `rate` writes/s for
    `seconds`, pinned to `--client-cpu` and under SCHED_RR with `--rt`. They all start 3 s from
    now (every writer signed in before the first write); `at_start()` runs then. Returns its
    result and the writers' parts, once every writer is done."""
    results = multiprocessing.Queue()
    start_at = time.monotonic() + 3
    writers = [multiprocessing.Process(target=writer, args=(base, "agent0@bench.test", tickets, rate / len(plan),
                                                            seconds, results, start_at))
               for base, tickets in plan]
    for process in writers:
        process.start()
        if args.client_cpu is not None:
            os.sched_setaffinity(process.pid, {args.client_cpu})
        if args.rt:
            os.sched_setscheduler(process.pid, os.SCHED_RR, os.sched_param(1))
    time.sleep(max(0.0, start_at - time.monotonic()))
    started = at_start()
    parts = [results.get() for _ in writers]
    for process in writers:
        process.join()
    return started, parts


def measure_live_c(args, base, tickets, server, rooms, receiver, ready):
    """Waits for the receiver, runs the writers, then ends the receiver's phase and reads its result."""
    deadline = time.monotonic() + 300
    while not os.path.exists(ready):
        if receiver.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"live_bench: the receiver did not get ready (exit {receiver.poll()})")
        time.sleep(0.1)
    # Each writer owns its share of the tickets: two writers on one ticket would conflict on its version.
    plan = [(base, tickets[k::args.writers]) for k in range(args.writers)]
    (load0, (cpu0, wait0), t0), parts = run_writers(
        args, plan, args.rate, args.seconds, lambda: (os.getloadavg()[0], cpu_sample(server.pid), time.monotonic()))
    time.sleep(1)  # let the last events arrive
    (cpu1, wait1), t1 = cpu_sample(server.pid), time.monotonic()
    receiver.send_signal(signal.SIGUSR1)
    out, _ = receiver.communicate(timeout=300)
    measured = json.loads(out)
    written = summarize_writers(parts)
    expected = expected_deliveries(rooms, written)
    notes, patches = written.pop("_notes"), written.pop("_patches")
    return {
        "client": "c", "sched": "rr" if args.rt else "other", "connections": len(rooms), "tickets": len(tickets), "agents": args.agents,
        "board_connections": min(args.board_tabs, len(rooms)), "feeds": args.feeds, "assigned": args.assign,
        "writers": args.writers, "rate": args.rate, **written,
        "deliveries_expected_without_notifications": expected,
        "deliveries_without_notifications": measured["deliveries"] - measured["notification_deliveries"],
        "deliveries_per_s": round(measured["deliveries"] / (t1 - t0)),
        "server_cpu_pct": round(100 * (cpu1 - cpu0) / (t1 - t0), 1),
        "server_wait_ms": round(1000 * (wait1 - wait0), 1),
        # every event frame, stamped or not (a board tab also gets `ticket.updated` for each note)
        "server_us_per_event_frame": round(1e6 * (cpu1 - cpu0) / max(1, measured["event_frames"]), 1),
        "loadavg_before": round(load0, 2), "loadavg_after": round(os.getloadavg()[0], 2),
        **{k: v for k, v in measured.items() if k != "mode"},
        "writes_notes": sum(notes.values()), "writes_patches": sum(patches.values()),
    }


async def run_live(args, base, port, cookies, tickets):
    rooms = room_plan(args, tickets)
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
    written = summarize_writers([results.get()])

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
        "connect_s": round(connect_s, 2), "duration_s": round(duration, 1),
        **{k: v for k, v in written.items() if not k.startswith("_")},
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
    parser.add_argument("--preset", choices=sorted(PRESETS), help="a named set of the options below (given options win)")
    parser.add_argument("--agents", type=int)
    parser.add_argument("--tabs", type=int)
    parser.add_argument("--tickets", type=int)
    parser.add_argument("--board-tabs", type=int)
    parser.add_argument("--feeds", action="store_true", default=None, help="every tab also follows its agent's notifications")
    parser.add_argument("--assign", action="store_true", default=None, help="assign tickets to agents other than the writer")
    parser.add_argument("--rate", type=float, help="writes per second, all writers together")
    parser.add_argument("--writers", type=int, help="writer processes (one Python writer keeps up with about 50 writes/s)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--server-cpu", type=int)
    parser.add_argument("--client-cpu", type=int, help="CPU for the receiver and writers")
    parser.add_argument("--client", choices=["c", "python"], default="c")
    parser.add_argument("--rt", action="store_true",
                        help="run the server, the receiver and the writers under SCHED_RR (root), so other work on "
                             "a shared machine cannot take their cores")
    args = parser.parse_args()
    for key, value in PRESETS[args.preset or "2000"].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.writers is None or args.writers < 1:
        args.writers = max(1, math.ceil(args.rate / 50))
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    connections = args.agents * args.tabs
    # The server and the receiver each hold one descriptor per connection, plus their own files.
    if hard != resource.RLIM_INFINITY and hard < connections + 200:
        raise SystemExit(f"live_bench: {connections} connections need an open-file limit of at least {connections + 200}; "
                         f"the hard limit is {hard} (raise it, e.g. `ulimit -Hn {connections + 1000}` as root)")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    data = tempfile.mkdtemp(prefix="live-bench-")
    for n in range(args.agents):
        subprocess.run([args.binary, "user", "add", "--data", data, "--email", f"agent{n}@bench.test", "--name", f"Agent {n}",
                        "--role", "Administrator" if n == 0 else "Agent", "--password-stdin"],
                       input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    port = free_port()
    server = start_server(args.binary, data, port, args.server_cpu, args.rt)
    try:
        base = f"http://127.0.0.1:{port}"
        sessions = [login(base, f"agent{n}@bench.test") for n in range(args.agents)]
        cookies = [s.cookies.get("helpdesk_session") for s in sessions]
        agent_ids = {}
        if args.assign:
            listed = sessions[0].get(base + "/api/agents", timeout=30).json()
            agent_ids = {a["email"]: a["id"] for a in (listed["items"] if isinstance(listed, dict) else listed)}
        tickets = []
        for n in range(args.tickets):
            body = {"subject": f"Bench ticket {n}", "description": "load",
                    "requester": {"name": "Load", "email": f"load{n}@bench.test"}}
            if args.assign and args.agents > 1:
                body["assigneeId"] = agent_ids[f"agent{1 + n % (args.agents - 1)}@bench.test"]
            response = sessions[0].post(base + "/api/tickets", json=body, timeout=30)
            response.raise_for_status()
            tickets.append(response.json())
        if args.client == "c":
            result = run_live_c(args, base, port, cookies, tickets, server)
        else:
            result = asyncio.run(run_live(args, base, port, cookies, tickets))
        print(json.dumps(result))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
