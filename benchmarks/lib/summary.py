"""Summary table of two harness result files (JSON lines): ours vs Hummingbird, with ratios."""
import json
import sys


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def pick(rows, **match):
    for r in rows:
        if all(r.get(k) == v for k, v in match.items()):
            return r
    return None


def figures(rows):
    f = {}
    for c in (16, 128):
        r = pick(rows, mode="http", conns=c)
        if r:
            f[f"HTTP GET /hello keep-alive, {c} conns: req/s"] = (r["rps"], "higher")
            f[f"HTTP GET /hello keep-alive, {c} conns: p99 ms"] = (r["p99_ms"], "lower")
    fan = [r for r in rows if r.get("mode") == "fanout"]
    r = next((r for r in fan if (r["rooms"], r["clients_per_room"], r["rate_per_room"]) == (1, 1000, 20)), None)
    if r:
        f["1 room x 1,000 clients, 20 msg/s: p50 ms"] = (r["p50_us"] / 1000, "lower")
        f["1 room x 1,000 clients, 20 msg/s: p99 ms"] = (r["p99_us"] / 1000, "lower")
    scan = [r for r in fan if (r["rooms"], r["clients_per_room"]) == (10, 100) and r["rate_per_room"] >= 25]
    if scan:
        ok = [r for r in scan if r["loss_pct"] <= 1 and r["p99_us"] <= 250_000]
        f["fan-out 10x100: max deliveries/s (loss<=1%, p99<=250ms)"] = (
            max((r["delivered_per_s"] for r in ok), default=None), "higher")
        at100k = next((r for r in scan if r["rate_per_room"] == 100), None)
        if at100k:
            f["fan-out 10x100 at 100k deliveries/s: load client's p99 ms"] = (at100k["p99_us"] / 1000, "lower")
            if "probe_p99_us" in at100k:
                f["fan-out 10x100 at 100k deliveries/s: probe's p99 ms"] = (at100k["probe_p99_us"] / 1000, "lower")
            if "server_us_per_delivery" in at100k:
                f["fan-out 10x100 at 100k deliveries/s: server CPU us per delivery"] = (at100k["server_us_per_delivery"], "lower")
            f["fan-out 10x100 at 100k deliveries/s: loss %"] = (at100k["loss_pct"], "lower")
    r = pick(rows, mode="idle")
    if r:
        f["idle WebSockets held"] = (r["connected"], "higher")
        f["memory per 1,000 idle WebSockets, MB"] = (r["rss_per_1k_conns_mb"], "lower")
    return f


def ms(us):
    return "-" if us is None else f"{us / 1000:.2f}"


def scan_table(name, rows):
    """The scan rate by rate: the load client's latency, the probe's, and what each process spent.
    A step whose server waited for its core more than 5 % of the window is marked: other work
    shared the server's core, and its latency says more about that than about the server."""
    scan = [r for r in rows if r.get("mode") == "fanout" and (r["rooms"], r["clients_per_room"]) == (10, 100)]
    if not scan:
        return
    print(f"\n{name}, fan-out 10 x 100 scan (latencies in ms; probe: own messages / the load's at the probe)\n")
    print("| deliveries/s | loss % | load client p50 / p99 | probe p50 / p99 | probe passive p99 | server CPU % | "
          "server us/delivery | server run-queue wait ms | load client CPU % | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in scan:
        window_ms = 1000 * r.get("window_s", r["duration_s"])
        contended = " (contended)" if r.get("server_wait_ms", 0) > 0.05 * window_ms else ""
        print(f"| {r['delivered_per_s']:,} | {r['loss_pct']:.2f} | {ms(r['p50_us'])} / {ms(r['p99_us'])} | "
              f"{ms(r.get('probe_p50_us'))} / {ms(r.get('probe_p99_us'))} | {ms(r.get('probe_passive_p99_us'))} | "
              f"{r.get('server_cpu_pct', '-')} | {r.get('server_us_per_delivery', '-')} | "
              f"{r.get('server_wait_ms', '-')}{contended} | {r.get('client_cpu_pct', '-')} | "
              f"{r.get('loadavg_before', '-')} -> {r.get('loadavg_after', '-')} |")


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float) and abs(v) < 100:
        return f"{v:.2f}"
    return f"{v:,.0f}"


def main():
    ours_rows, hb_rows = load(sys.argv[1]), load(sys.argv[2])
    ours, hb = figures(ours_rows), figures(hb_rows)
    print("| figure | ours (realtime-echo) | Hummingbird 2 | ours / HB | better is |")
    print("|---|---|---|---|---|")
    keys = list(ours) + [k for k in hb if k not in ours]
    for k in keys:
        a = ours.get(k, (None, ""))[0]
        b, better = hb.get(k, (None, ours.get(k, (None, ""))[1]))
        ratio = f"{a / b:.2f}x" if a is not None and b else "-"
        print(f"| {k} | {fmt(a)} | {fmt(b)} | {ratio} | {better} |")
    scan_table("realtime-echo", ours_rows)
    scan_table("Hummingbird 2", hb_rows)
    if len(sys.argv) > 3:
        print()
        with open(sys.argv[3]) as f:
            for line in f:
                name, before, after = line.split()
                print(f"load average (1 min) around the {name} run: {before} -> {after}"
                      " (the harness itself adds about 1-2; much more means other work shared the cores)")


if __name__ == "__main__":
    main()
