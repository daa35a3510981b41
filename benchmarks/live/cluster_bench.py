"""Live benchmarks across server nodes (issue 18 point 3): several `helpdesk serve` processes on
one PostgreSQL database and one data folder.

    python benchmarks/live/cluster_bench.py --binary .build-bench/release/helpdesk \
        --database postgres://helpdesk@127.0.0.1:PORT/ [latency|split|both] [options]

`latency`: cross-node event latency. Nodes A and B; every ticket room is followed by
`--tabs-per-ticket` sockets on A and as many on B; writers change the tickets through B's HTTP
API (notes and status-and-subject changes, each stamped with its send time, as in
live_bench.py). Each arrival is one latency from the start of the HTTP write to the frame:
on A it crossed nodes (B commits, PostgreSQL wakes A, A's relay reads the log and broadcasts),
on B it is the same-node baseline of the same events in the same run.

`split`: the live benchmark (live_bench.py's preset, default 2000: 20 agents x 100 tabs, 200
tickets, 100 board tabs, 50 writes/s) run twice on PostgreSQL in one invocation: every
connection on one node, then the same connections split over two nodes (connection i on node
i % 2, the writers' shares through alternate nodes, as behind a load balancer); the ratios
two / one follow.

`--database` is a PostgreSQL server URL (`scripts/pg-cluster start` prints one); each run
creates a database of its own there and drops it afterwards. Prints one JSON line per run and
a summary line. The receivers are `benchmarks/client/wsload live` (C, one process per node).
Timestamps are CLOCK_MONOTONIC, shared by every process on the machine.

`--rt` (root) runs the nodes, the receivers, the writers and the PostgreSQL server (its
postmaster, so the backends it forks for the nodes' connections) under SCHED_RR, as
live_bench.py does for its one server: on this shared 2-core machine other developers' builds
otherwise take the cores for seconds at a time. Compare only runs with the same flags."""
import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import live_bench as lb  # noqa: E402  (writer, room plan, expected counts, the C receiver)


def psql(server, sql):
    done = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server.rstrip("/") + "/postgres", "-c", sql],
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"cluster_bench: psql {sql!r} failed: {done.stderr.strip()}")


def postmaster_pid(server):
    """The pid of the PostgreSQL server behind `server` when it runs on this machine (the first
    line of `postmaster.pid` in its data directory), else None."""
    done = subprocess.run(["psql", "-X", "-Atq", server.rstrip("/") + "/postgres", "-c", "SHOW data_directory"],
                          capture_output=True, text=True, timeout=60)
    try:
        with open(os.path.join(done.stdout.strip(), "postmaster.pid")) as f:
            return int(f.readline())
    except (ValueError, OSError):
        return None


def postgres_round_robin(server, on):
    """With --rt, PostgreSQL's postmaster under SCHED_RR too (the backends it forks for the nodes'
    connections inherit it): every commit goes through a backend, and on this shared machine
    other work would otherwise take its core. Put back to SCHED_OTHER afterwards."""
    pid = postmaster_pid(server)
    if pid is None:
        raise SystemExit("cluster_bench: --rt needs the PostgreSQL server on this machine")
    subprocess.run(["chrt", "-r", "-p", "1", str(pid)] if on else ["chrt", "-o", "-p", "0", str(pid)], check=True)


class Desk:
    """A database and a data folder of its own, agents added, and the nodes started on it."""

    def __init__(self, args, agents):
        self.args = args
        self.name = "bench_" + uuid.uuid4().hex[:12]
        psql(args.database, f"CREATE DATABASE {self.name}")
        self.url = args.database.rstrip("/") + "/" + self.name
        self.data = tempfile.mkdtemp(prefix="cluster-bench-")
        self.nodes = []  # (process, port)
        for n in range(agents):
            subprocess.run([args.binary, "user", "add", "--database", self.url, "--data", self.data, "--email",
                            f"agent{n}@bench.test", "--name", f"Agent {n}", "--role", "Administrator" if n == 0 else "Agent",
                            "--password-stdin"], input=lb.PASSWORD + "\n", text=True, check=True, capture_output=True)

    def start_node(self):
        port = lb.free_port()
        command = [self.args.binary, "serve", "--database", self.url, "--data", self.data, "--port", str(port),
                   "--trusted-proxy", "127.0.0.1"]
        if self.args.rt:
            command = ["chrt", "-r", "1"] + command
        if self.args.server_cpu is not None:
            command = ["taskset", "-c", str(self.args.server_cpu)] + command
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in process.stdout:
            if "listening on" in line:
                break
        else:
            raise SystemExit(f"cluster_bench: a node did not start (exit {process.wait()})")
        import threading
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
        self.nodes.append((process, port))
        return port

    def close(self):
        for process, _ in self.nodes:
            process.terminate()
        for process, _ in self.nodes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.data, ignore_errors=True)
        psql(self.args.database, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def lb_health(base):
    """A node's /healthz (which node, whether it leads)."""
    import requests
    return requests.get(base + "/healthz", timeout=10).json()


def make_tickets(session, base, count, assign_to=None):
    tickets = []
    for n in range(count):
        body = {"subject": f"Bench ticket {n}", "description": "load",
                "requester": {"name": "Load", "email": f"load{n}@bench.test"}}
        if assign_to:
            body["assigneeId"] = assign_to[n % len(assign_to)]
        response = session.post(base + "/api/tickets", json=body, timeout=30)
        response.raise_for_status()
        tickets.append(response.json())
    return tickets


def start_receiver(args, port, lines, work, label):
    """`wsload live` on `port` holding the connections of `lines` ("COOKIE ROOM[,ROOM]")."""
    spec, ready = os.path.join(work, f"spec-{label}"), os.path.join(work, f"ready-{label}")
    with open(spec, "w") as f:
        f.write("".join(line + "\n" for line in lines))
    command = [lb.WSLOAD, "live", str(port), spec, ready]
    if args.rt:
        command = ["chrt", "-r", "1"] + command
    if args.client_cpu is not None:
        command = ["taskset", "-c", str(args.client_cpu)] + command
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True), ready


def measure(args, receivers, writer_plan, rate, seconds, server_pids):
    """Waits for every receiver, runs the writers (`writer_plan`: (base, tickets) each, sharing
    `rate`), ends the receivers' phase and returns (their results, the writers' summary,
    the servers' CPU %, their run-queue wait ms, load average before)."""
    deadline = time.monotonic() + 300
    for process, ready in receivers:
        while not os.path.exists(ready):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"cluster_bench: a receiver did not get ready (exit {process.poll()})")
            time.sleep(0.1)
    (load0, t0, before), parts = lb.run_writers(
        args, writer_plan, rate, seconds,
        lambda: (os.getloadavg()[0], time.monotonic(), [lb.cpu_sample(pid) for pid in server_pids]))
    time.sleep(1)  # let the last events arrive
    after, t1 = [lb.cpu_sample(pid) for pid in server_pids], time.monotonic()
    measured = []
    for process, _ in receivers:
        process.send_signal(signal.SIGUSR1)
    for process, _ in receivers:
        out, _ = process.communicate(timeout=300)
        measured.append(json.loads(out))
    cpu = [round(100 * (a[0] - b[0]) / (t1 - t0), 1) for a, b in zip(after, before)]
    wait = [round(1000 * (a[1] - b[1]), 1) for a, b in zip(after, before)]
    return measured, parts, cpu, wait, round(load0, 2)


def latency_run(args):
    """Cross-node latency: the same events received on A (across nodes) and on B (same node)."""
    per_node = args.tickets * args.tabs_per_ticket
    # At most 100 live sockets per agent (protocol.md 2.1), on each node: readers enough.
    readers = max(1, math.ceil(per_node / 90))
    desk = Desk(args, agents=1 + readers)
    work = tempfile.mkdtemp(prefix="cluster-bench-work-")
    receivers = []
    try:
        port_a, port_b = desk.start_node(), desk.start_node()
        base_a, base_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        admin = lb.login(base_b, "agent0@bench.test")
        # Sessions are rows in the shared database: one sign-in serves both nodes.
        cookies = [lb.login(base_a, f"agent{n}@bench.test").cookies.get("helpdesk_session") for n in range(1, 1 + readers)]
        tickets = make_tickets(admin, base_b, args.tickets)
        rooms = [[f"ticket:{tickets[i % len(tickets)]['id']}"] for i in range(per_node)]
        lines = [f"{cookies[i % len(cookies)]} {r[0]}" for i, r in enumerate(rooms)]
        receivers = [start_receiver(args, port_a, lines, work, "a"), start_receiver(args, port_b, lines, work, "b")]
        writer_plan = [(base_b, tickets[k::args.writers]) for k in range(args.writers)]
        (on_a, on_b), parts, cpu, wait, load0 = measure(args, receivers, writer_plan, args.rate, args.seconds,
                                                        [desk.nodes[0][0].pid, desk.nodes[1][0].pid])
        written = lb.summarize_writers(parts)
        expected = lb.expected_deliveries(rooms, written)
        written.pop("_notes"), written.pop("_patches")
        pick = lambda m: {k: m[k] for k in ("deliveries", "latency_p50_ms", "latency_p90_ms", "latency_p99_ms",
                                            "latency_p999_ms", "latency_max_ms", "duplicates", "protocol_errors",
                                            "closed_by_server", "client_cpu_pct")}
        return {"run": "latency", "sched": "rr" if args.rt else "other", "tickets": args.tickets,
                "sockets_per_node": per_node, "rate": args.rate, "seconds": args.seconds, **written,
                "deliveries_expected_per_node": expected,
                "cross_node_on_a": pick(on_a), "same_node_on_b": pick(on_b),
                "p99_ratio_cross_over_same": round(on_a["latency_p99_ms"] / max(0.01, on_b["latency_p99_ms"]), 2),
                "leader": {"a": lb_health(base_a).get("leader"), "b": lb_health(base_b).get("leader")},
                "server_cpu_pct": {"a": cpu[0], "b": cpu[1]}, "server_wait_ms": {"a": wait[0], "b": wait[1]},
                "loadavg_before": load0, "loadavg_after": round(os.getloadavg()[0], 2)}
    finally:
        clean_up(receivers, work, desk)


def clean_up(receivers, work, desk):
    """Ends the receivers still running, removes the work folder, stops the nodes and drops the database."""
    for process, _ in receivers:
        if process.poll() is None:
            process.kill()
            process.wait()
    shutil.rmtree(work, ignore_errors=True)
    desk.close()


def live_run(args, nodes):
    """live_bench.py's load on PostgreSQL with its connections and writers over `nodes` nodes."""
    desk = Desk(args, agents=args.agents)
    work = tempfile.mkdtemp(prefix="cluster-bench-work-")
    receivers = []
    try:
        ports = [desk.start_node() for _ in range(nodes)]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        leaders = [lb_health(base).get("leader") for base in bases]
        sessions = [lb.login(bases[n % nodes], f"agent{n}@bench.test") for n in range(args.agents)]
        cookies = [s.cookies.get("helpdesk_session") for s in sessions]
        tickets = make_tickets(sessions[0], bases[0], args.tickets)
        rooms = lb.room_plan(args, tickets)
        lines = [f"{cookies[i % len(cookies)]} {','.join(r)}" for i, r in enumerate(rooms)]
        # Connection i on node i % nodes: each agent's tabs (i % agents) spread over the nodes too.
        for n in range(nodes):
            receivers.append(start_receiver(args, ports[n], lines[n::nodes], work, str(n)))
        writer_plan = [(bases[k % nodes], tickets[k::args.writers]) for k in range(args.writers)]
        measured, parts, cpu, wait, load0 = measure(args, receivers, writer_plan, args.rate, args.seconds,
                                                    [process.pid for process, _ in desk.nodes])
        written = lb.summarize_writers(parts)
        expected = lb.expected_deliveries(rooms, written)
        written.pop("_notes"), written.pop("_patches")
        # Percentiles over all receivers: each receiver's are of its own arrivals, so the
        # combined figure is the delivery-weighted worst case; report both per node and combined.
        deliveries = sum(m["deliveries"] - m["notification_deliveries"] for m in measured)
        return {"run": f"live-{nodes}-node{'s' if nodes > 1 else ''}", "sched": "rr" if args.rt else "other",
                "connections": len(rooms), "tickets": len(tickets), "board_connections": min(args.board_tabs, len(rooms)),
                "writers": args.writers, "rate": args.rate, "seconds": args.seconds, **written,
                "deliveries_expected": expected, "deliveries": deliveries,
                "latency_p50_ms": max(m["latency_p50_ms"] for m in measured),
                "latency_p99_ms": max(m["latency_p99_ms"] for m in measured),
                "latency_max_ms": max(m["latency_max_ms"] for m in measured),
                "per_node": [{k: m[k] for k in ("connections", "deliveries", "latency_p50_ms", "latency_p99_ms",
                                                "latency_max_ms", "duplicates", "protocol_errors", "closed_by_server",
                                                "client_cpu_pct", "reconnect_storm_s", "reconnect_storm_errors",
                                                "duplicates_after_resume")} for m in measured],
                "leader": leaders, "server_cpu_pct": cpu, "server_cpu_pct_total": round(sum(cpu), 1), "server_wait_ms": wait,
                "loadavg_before": load0, "loadavg_after": round(os.getloadavg()[0], 2)}
    finally:
        clean_up(receivers, work, desk)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="?", choices=["latency", "split", "both"], default="both")
    parser.add_argument("--binary", default=".build/release/helpdesk")
    parser.add_argument("--database", required=True, help="a PostgreSQL server URL (scripts/pg-cluster start)")
    parser.add_argument("--server-cpu", type=int, help="CPU for every node")
    parser.add_argument("--client-cpu", type=int, help="CPU for the receivers and writers")
    parser.add_argument("--rt", action="store_true",
                        help="nodes, receivers, writers and the PostgreSQL server under SCHED_RR (root; the server on this machine)")
    latency = parser.add_argument_group("latency")
    latency.add_argument("--tickets", type=int, default=100)
    latency.add_argument("--tabs-per-ticket", type=int, default=1, help="sockets per ticket room on each node")
    latency.add_argument("--rate", type=float, default=50, help="writes per second through node B")
    latency.add_argument("--seconds", type=float, default=60)
    latency.add_argument("--writers", type=int, default=1)
    split = parser.add_argument_group("split")
    split.add_argument("--preset", choices=sorted(lb.PRESETS), default="2000")
    split.add_argument("--split-seconds", type=float, default=20)
    args = parser.parse_args()
    import resource
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    lb.build_wsload()
    if args.rt:
        postgres_round_robin(args.database, True)
    try:
        run_all(args)
    finally:
        if args.rt:
            postgres_round_robin(args.database, False)


def run_all(args):
    summary = {}
    if args.what in ("latency", "both"):
        result = latency_run(args)
        print(json.dumps(result), flush=True)
        summary["cross_node_p99_ms"] = result["cross_node_on_a"]["latency_p99_ms"]
        summary["same_node_p99_ms"] = result["same_node_on_b"]["latency_p99_ms"]
    if args.what in ("split", "both"):
        live = argparse.Namespace(**vars(args))
        for key, value in lb.PRESETS[args.preset].items():
            setattr(live, key, value)
        live.seconds = args.split_seconds
        # Two writers in both runs (sharing the rate): through the one node, or one per node.
        live.writers = max(live.writers, 2)
        one = live_run(live, 1)
        print(json.dumps(one), flush=True)
        two = live_run(live, 2)
        print(json.dumps(two), flush=True)
        for key in ("latency_p50_ms", "latency_p99_ms", "server_cpu_pct_total"):
            summary[f"{key}_two_over_one"] = round(two[key] / max(0.01, one[key]), 2)
    print(json.dumps({"run": "summary", **summary}))


if __name__ == "__main__":
    main()
