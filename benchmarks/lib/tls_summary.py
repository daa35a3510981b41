"""TLS / plain ratios from two harness result files of benchmarks/tls.sh (JSON lines)."""
import json
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def pick(rows, **match):
    return next((r for r in rows if all(r.get(k) == v for k, v in match.items())), None)


def scan_top(rows):
    """Deliveries/s at the highest scan rate that kept loss <= 1 % and p99 <= 250 ms."""
    ok = [r for r in rows if r.get("mode") == "fanout" and r["rooms"] == 10 and r["clients_per_room"] == 100
          and r["rate_per_room"] >= 25 and r["loss_pct"] <= 1 and r["p99_us"] <= 250000]
    return max((r["delivered_per_s"] for r in ok), default=None)


def main():
    plain, tls = load(sys.argv[1]), load(sys.argv[2])
    print("| figure | plain | TLS | TLS / plain | goal |")
    print("|---|---|---|---|---|")
    for c in (16, 128):
        p, t = pick(plain, mode="http", conns=c), pick(tls, mode="http", conns=c)
        if p and t:
            print(f"| keep-alive GET, {c} conns: req/s (p99 ms) | {p['rps']:,.0f} ({p['p99_ms']}) | "
                  f"{t['rps']:,.0f} ({t['p99_ms']}) | {t['rps'] / p['rps']:.2f} | >= 0.7 |")
    for rooms, per, rate in ((10, 100, 10), (1, 1000, 20), (100, 10, 10)):
        p = pick(plain, mode="fanout", rooms=rooms, clients_per_room=per, rate_per_room=rate)
        t = pick(tls, mode="fanout", rooms=rooms, clients_per_room=per, rate_per_room=rate)
        if p and t:
            print(f"| fan-out {rooms} x {per} at {rate} msg/s per room: deliveries/s, loss, p50 / p99 ms | "
                  f"{p['delivered_per_s']:,.0f}, {p['loss_pct']} %, {p['p50_us'] / 1000:.2f} / {p['p99_us'] / 1000:.2f} | "
                  f"{t['delivered_per_s']:,.0f}, {t['loss_pct']} %, {t['p50_us'] / 1000:.2f} / {t['p99_us'] / 1000:.2f} | "
                  f"{t['delivered_per_s'] / max(p['delivered_per_s'], 1):.2f} | >= 0.8 |")
    p, t = scan_top(plain), scan_top(tls)
    if p and t:
        print(f"| fan-out 10 x 100, most deliveries/s (loss <= 1 %, p99 <= 250 ms) | {p:,.0f} | {t:,.0f} | {t / p:.2f} | >= 0.8 |")
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            print("\nload average before / after each server's steps: "
                  + "; ".join(" ".join(line.split()) for line in f if line.strip()))


main()
