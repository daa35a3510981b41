#!/usr/bin/env bash
# Measures our realtime-echo (release) and Hummingbird 2 (hb-bench/) side by side in one run:
# each server pinned to core 0, the load clients (wrk, client/wsload) pinned to core 1, loopback only.
# Steps (lib/harness.sh): keep-alive GET /hello (wrk, 16 and 128 connections); WebSocket fan-out
# 10 rooms x 100, 1 room x 1,000 and 100 rooms x 10; a saturation scan on 10 x 100 with a rising
# rate until loss > 1 % or p99 > 250 ms; 19,000 idle WebSockets and server memory per 1,000.
# Every fan-out step also runs a low-rate latency probe (its own process and connections) and
# samples the server's CPU per delivery, its run-queue wait and the load client's CPU.
# Output: one JSON line per step in results/<server>.jsonl, and a summary table with ours/Hummingbird
# ratios and the scan rate by rate (results/summary.md).
# Usage: benchmarks/run.sh [--only http,fanout,scan,idle] [--servers realtime-echo,hummingbird]
#          [--duration S] [--rates 25,50,...] [--probe-rate N] [--rt] [--idle-conns N] [--no-build]
#   --rt: each server runs under SCHED_FIFO (root), so other work cannot take its core (see README).
# Env: SCRATCH_PATH (our build folder, default .build). Takes about 6-8 minutes plus first builds.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
ONLY=http,fanout,scan,idle; DUR=8; IDLE=19000; BUILD=1; SERVERS=realtime-echo,hummingbird; EXTRA=()
while [ $# -gt 0 ]; do
  case $1 in
    --only) ONLY=$2; shift 2;; --duration) DUR=$2; shift 2;; --idle-conns) IDLE=$2; shift 2;;
    --no-build) BUILD=0; shift;; --servers) SERVERS=$2; shift 2;;
    --rates) EXTRA+=(--rates "$2"); shift 2;; --rt) EXTRA+=(--server-rt); shift;; --probe-rate) EXTRA+=(--probe-rate "$2"); shift 2;;
    -h|--help) sed -n '2,13p' "$0"; exit 0;;
    *) echo "benchmarks/run.sh: unknown option $1" >&2; exit 2;;
  esac
done
[ "$(nproc)" -ge 2 ] || { echo "benchmarks/run.sh: needs 2 cores (server on one, load on the other)" >&2; exit 2; }
for t in gcc taskset python3 swift; do command -v $t >/dev/null || { echo "benchmarks/run.sh: missing $t" >&2; exit 2; }; done
if ! command -v wrk >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "benchmarks/run.sh: missing wrk -> sudo apt-get install -y wrk" >&2; exit 2; }
  apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
SCRATCH=${SCRATCH_PATH:-.build}
with_hb() { [[ ,$SERVERS, == *,hummingbird,* ]]; }
if [ $BUILD -eq 1 ]; then
  echo "building realtime-echo (release) ..."
  (cd "$ROOT" && swift build -c release --product realtime-echo --scratch-path "$SCRATCH")
  if with_hb; then
    echo "building hb-bench (release; first build takes a few minutes) ..."
    (cd "$HERE/hb-bench" && swift build -c release --product HBBench)
  fi
fi
OURS=$(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/realtime-echo
[ -x "$OURS" ] || { echo "benchmarks/run.sh: missing $OURS" >&2; exit 2; }
if with_hb; then
  HB=$(cd "$HERE/hb-bench" && swift build -c release --show-bin-path)/HBBench
  [ -x "$HB" ] || { echo "benchmarks/run.sh: missing $HB" >&2; exit 2; }
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
OUT=$HERE/results; mkdir -p "$OUT"
ARGS=(--only "$ONLY" --duration "$DUR" --idle-conns "$IDLE" --out "$OUT" --server-cpu 0 --client-cpu 1 "${EXTRA[@]}")

# Other work on the machine shares the two cores and skews every figure: record the load.
load() { cut -d' ' -f1 /proc/loadavg; }
LOADS=$OUT/loadavg.txt; : > "$LOADS"
busy=$(load)
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 0.5 else 1)' "$busy" ||
  echo "benchmarks/run.sh: WARNING: load average is $busy before the run; other work will skew the figures" >&2

P=$(free_port)
echo; echo "=== realtime-echo (ours) on :$P, one event loop on core 0"
l0=$(load)
bash "$HERE/lib/harness.sh" --name realtime-echo --port "$P" \
  --server-cmd "$OURS --port $P --host 127.0.0.1 --loops 1" "${ARGS[@]}"
echo "realtime-echo $l0 $(load)" >> "$LOADS"
if with_hb; then
  P=$(free_port)
  echo; echo "=== Hummingbird 2 (hb-bench) on :$P, core 0"
  l0=$(load)
  bash "$HERE/lib/harness.sh" --name hummingbird --port "$P" --server-cmd "$HB $P 127.0.0.1" "${ARGS[@]}"
  echo "hummingbird $l0 $(load)" >> "$LOADS"
else
  : > "$OUT/hummingbird.jsonl"  # not measured in this run: the summary shows "-"
fi

echo
python3 "$HERE/lib/summary.py" "$OUT/realtime-echo.jsonl" "$OUT/hummingbird.jsonl" "$LOADS" | tee "$OUT/summary.md"
