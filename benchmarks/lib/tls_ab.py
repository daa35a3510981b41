"""Interleaved A/B of one realtime-echo binary, plain and TLS, for a machine other work shares.

Both servers run at once, each pinned to core 0 with one event loop; the load clients run on
core 1. Each round measures plain then TLS back to back (keep-alive GET with wrk; a WebSocket
fan-out with wsload), so both see the same background load; the medians over the rounds and
their TLS / plain ratios are printed as a Markdown table. Besides the throughput, each run
records the server's CPU time, and "per server CPU-second" figures divide the work done by it:
that is the capacity ratio a quiet machine would show, and other processes barely move it.

Usage: python3 tls_ab.py REALTIME_ECHO WSLOAD CERT KEY [--rounds N] [--seconds S]
"""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(binary, extra):
    port = free_port()
    proc = subprocess.Popen(["taskset", "-c", "0", binary, "--port", str(port), "--host", "127.0.0.1", "--loops", "1", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        if "listening" in line:
            break
    else:
        raise RuntimeError(f"{binary} did not start")
    return proc, port


def wrk(scheme, port, conns, seconds):
    out = subprocess.run(["taskset", "-c", "1", "wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--latency",
                          f"{scheme}://127.0.0.1:{port}/hello"], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Socket errors: (.*)", out)
    assert not errors, out
    return rps


def fanout(wsload, port, tls, rate, seconds, pid):
    """One fan-out run; returns wsload's figures and the server's CPU seconds after every
    client connected (so TLS handshakes are not counted against message delivery)."""
    env = dict(os.environ, WSLOAD_TLS="1" if tls else "0", WSLOAD_READY="1")
    proc = subprocess.Popen(["taskset", "-c", "1", wsload, "fanout", str(port), "10", "100", str(rate), str(seconds), "1", "64"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    for line in proc.stderr:
        if line.strip() == "ready":
            break
    c0 = cpu_seconds(pid)
    out, _ = proc.communicate(timeout=seconds + 120)
    result = json.loads(out.strip().splitlines()[-1])
    return result, cpu_seconds(pid) - c0


def measure(proc, run):
    c0 = cpu_seconds(proc.pid)
    result = run()
    return result, cpu_seconds(proc.pid) - c0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("wsload")
    parser.add_argument("cert")
    parser.add_argument("key")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--fanout-rate", type=int, default=200, help="messages/s per room (10 rooms x 100 clients)")
    args = parser.parse_args()
    plain, plain_port = start(args.binary, [])
    tls, tls_port = start(args.binary, ["--tls-cert", args.cert, "--tls-key", args.key])
    rows = {key: [] for key in ("http_plain", "http_tls", "http_cpu_plain", "http_cpu_tls",
                                "fan_plain", "fan_tls", "fan_cpu_plain", "fan_cpu_tls", "p99_plain", "p99_tls")}
    loads = []
    try:
        for _ in (1, 2):  # warm-up: handshakes, allocator, page cache
            wrk("http", plain_port, 16, 1)
            wrk("https", tls_port, 16, 1)
        for _ in range(args.rounds):
            loads.append(os.getloadavg()[0])
            for name, proc, scheme, port in (("plain", plain, "http", plain_port), ("tls", tls, "https", tls_port)):
                rps, cpu = measure(proc, lambda: wrk(scheme, port, 16, args.seconds))
                rows[f"http_{name}"].append(rps)
                rows[f"http_cpu_{name}"].append(rps * args.seconds / max(cpu, 1e-3))
            for name, proc, port, is_tls in (("plain", plain, plain_port, False), ("tls", tls, tls_port, True)):
                result, cpu = fanout(args.wsload, port, is_tls, args.fanout_rate, args.seconds, proc.pid)
                rows[f"fan_{name}"].append(result["delivered_per_s"])
                # The CPU covers the warm-up second too (the final drain is idle): count its deliveries.
                total = result["delivered"] * (args.seconds + 1) / args.seconds
                rows[f"fan_cpu_{name}"].append(total / max(cpu, 1e-3))
                rows[f"p99_{name}"].append(result["p99_us"] / 1000)
    finally:
        for proc in (plain, tls):
            proc.terminate()
            proc.wait(timeout=10)
    med = {key: statistics.median(values) for key, values in rows.items()}
    offered = args.fanout_rate * 1000
    print(f"{args.rounds} interleaved rounds of {args.seconds} s; load average at each round's start: "
          + ", ".join(f"{load:.1f}" for load in loads))
    print()
    print("| figure (median of the rounds) | plain | TLS | TLS / plain | goal |")
    print("|---|---|---|---|---|")
    print(f"| keep-alive GET /hello, 16 conns: req/s | {med['http_plain']:,.0f} | {med['http_tls']:,.0f} | "
          f"{med['http_tls'] / med['http_plain']:.2f} | >= 0.7 |")
    print(f"| keep-alive GET /hello: requests per server CPU-second | {med['http_cpu_plain']:,.0f} | {med['http_cpu_tls']:,.0f} | "
          f"{med['http_cpu_tls'] / med['http_cpu_plain']:.2f} | >= 0.7 |")
    print(f"| fan-out 10 rooms x 100 clients, {offered:,} deliveries/s offered: delivered/s | {med['fan_plain']:,.0f} | "
          f"{med['fan_tls']:,.0f} | {med['fan_tls'] / med['fan_plain']:.2f} | >= 0.8 |")
    print(f"| fan-out: deliveries per server CPU-second | {med['fan_cpu_plain']:,.0f} | {med['fan_cpu_tls']:,.0f} | "
          f"{med['fan_cpu_tls'] / med['fan_cpu_plain']:.2f} | >= 0.8 |")
    print(f"| fan-out: p99 latency ms | {med['p99_plain']:.1f} | {med['p99_tls']:.1f} | | |")
    print()
    print("raw: " + json.dumps({key: [round(v, 1) for v in values] for key, values in rows.items()}))


main()
