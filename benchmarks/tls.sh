#!/usr/bin/env bash
# HTTPS and WSS against plain HTTP and WS, one realtime-echo binary (release), in one run
# (issue 11 item 9). Both servers run at once on core 0 (one event loop each), the load clients
# on core 1, loopback only. Rounds alternate plain and TLS so both see the same background load
# (lib/tls_ab.py): keep-alive GET /hello with wrk (16 connections), and a WebSocket fan-out of
# 10 rooms x 100 clients with client/wsload at a fixed offered rate. Printed and written to
# results/tls-summary.md: medians, TLS / plain ratios, and the same work per server CPU-second
# (the capacity ratio, which other processes on the machine barely move).
# Goals: >= 0.7 for requests, >= 0.8 for fan-out.
# Usage: benchmarks/tls.sh [--rounds N] [--seconds S] [--fanout-rate R] [--no-build]
# Env: SCRATCH_PATH (our build folder, default .build). About 1 minute per round.
# The full harness steps (scan, idle) also run over TLS: lib/harness.sh --tls.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=1; AB_ARGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --rounds|--seconds|--fanout-rate) AB_ARGS+=("$1" "$2"); shift 2;;
    --no-build) BUILD=0; shift;;
    -h|--help) sed -n '2,13p' "$0"; exit 0;;
    *) echo "benchmarks/tls.sh: unknown option $1" >&2; exit 2;;
  esac
done
[ "$(nproc)" -ge 2 ] || { echo "benchmarks/tls.sh: needs 2 cores (server on one, load on the other)" >&2; exit 2; }
for t in gcc taskset python3 swift wrk openssl; do command -v $t >/dev/null || { echo "benchmarks/tls.sh: missing $t" >&2; exit 2; }; done
SCRATCH=${SCRATCH_PATH:-.build}
[ $BUILD -eq 1 ] && (cd "$ROOT" && swift build -c release --product realtime-echo --scratch-path "$SCRATCH")
OURS=$(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/realtime-echo
WSLOAD=$HERE/client/wsload
[ -x "$WSLOAD" ] && [ "$WSLOAD" -nt "$HERE/client/wsload.c" ] || gcc -O2 -o "$WSLOAD" "$HERE/client/wsload.c" -lssl -lcrypto
ulimit -n "$(ulimit -Hn)"
OUT=$HERE/results; mkdir -p "$OUT"
CERTS=$(mktemp -d); trap 'rm -rf "$CERTS"' EXIT
# An ECDSA P-256 certificate, what a current ACME client issues by default.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$CERTS/key.pem" -out "$CERTS/cert.pem" 2>/dev/null
python3 "$HERE/lib/tls_ab.py" "$OURS" "$WSLOAD" "$CERTS/cert.pem" "$CERTS/key.pem" "${AB_ARGS[@]}" | tee "$OUT/tls-summary.md"
