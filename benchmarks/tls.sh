#!/usr/bin/env bash
# HTTPS and WSS against plain HTTP and WS, one server binary, in one run (issue 11 item 9):
# realtime-echo (release, one loop on core 0) measured plain, then with --tls-cert/--tls-key,
# each with the harness steps http (wrk keep-alive GET /hello, 16 and 128 connections),
# fanout (10x100, 1x1000, 100x10 WebSocket rooms) and scan (10x100 with a rising rate until
# loss > 1 % or p99 > 250 ms). Load clients pinned to core 1; loopback only.
# Output: results/realtime-echo-plain.jsonl, results/realtime-echo-tls.jsonl and
# results/tls-summary.md (TLS / plain ratios; goals >= 0.7 for requests, >= 0.8 for fan-out).
# Usage: benchmarks/tls.sh [--only http,fanout,scan] [--duration S] [--no-build]
# Env: SCRATCH_PATH (our build folder, default .build). About 6 minutes.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
ONLY=http,fanout,scan; DUR=8; BUILD=1
while [ $# -gt 0 ]; do
  case $1 in
    --only) ONLY=$2; shift 2;; --duration) DUR=$2; shift 2;; --no-build) BUILD=0; shift;;
    -h|--help) sed -n '2,10p' "$0"; exit 0;;
    *) echo "benchmarks/tls.sh: unknown option $1" >&2; exit 2;;
  esac
done
[ "$(nproc)" -ge 2 ] || { echo "benchmarks/tls.sh: needs 2 cores (server on one, load on the other)" >&2; exit 2; }
for t in gcc taskset python3 swift wrk openssl; do command -v $t >/dev/null || { echo "benchmarks/tls.sh: missing $t" >&2; exit 2; }; done
SCRATCH=${SCRATCH_PATH:-.build}
[ $BUILD -eq 1 ] && (cd "$ROOT" && swift build -c release --product realtime-echo --scratch-path "$SCRATCH")
OURS=$(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/realtime-echo
OUT=$HERE/results; mkdir -p "$OUT"
CERTS=$(mktemp -d); trap 'rm -rf "$CERTS"' EXIT
# An ECDSA P-256 certificate, what a current ACME client issues by default.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$CERTS/key.pem" -out "$CERTS/cert.pem" 2>/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ARGS=(--only "$ONLY" --duration "$DUR" --out "$OUT" --server-cpu 0 --client-cpu 1)
load() { cut -d' ' -f1 /proc/loadavg; }
LOADS=$OUT/tls-loadavg.txt; : > "$LOADS"

P=$(free_port); l0=$(load)
echo "=== realtime-echo, plain, on :$P"
bash "$HERE/lib/harness.sh" --name realtime-echo-plain --port "$P" \
  --server-cmd "$OURS --port $P --host 127.0.0.1 --loops 1" "${ARGS[@]}"
echo "plain $l0 $(load)" >> "$LOADS"
P=$(free_port); l0=$(load)
echo "=== realtime-echo, TLS, on :$P"
bash "$HERE/lib/harness.sh" --name realtime-echo-tls --port "$P" --tls \
  --server-cmd "$OURS --port $P --host 127.0.0.1 --loops 1 --tls-cert $CERTS/cert.pem --tls-key $CERTS/key.pem" "${ARGS[@]}"
echo "tls $l0 $(load)" >> "$LOADS"
python3 "$HERE/lib/tls_summary.py" "$OUT/realtime-echo-plain.jsonl" "$OUT/realtime-echo-tls.jsonl" "$LOADS" | tee "$OUT/tls-summary.md"
