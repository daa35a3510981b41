#!/usr/bin/env bash
# Runs all 517 Autobahn|Testsuite cases against a realtime-echo we start on a free 127.0.0.1 port,
# fails unless every case passes (OK, NON-STRICT or INFORMATIONAL), and stops that server by its pid.
# Usage: scripts/autobahn/run-suite.sh [PATH/TO/realtime-echo]
#   default binary: release build in $SCRATCH_PATH (default .build); 9.* cases move 16 MB messages,
#   which are slow in a debug build.
# Env: AUTOBAHN_CASES (JSON list, default ["*"]), AUTOBAHN_OUT (report dir, default test-output/autobahn)
#      AUTOBAHN_TLS=1: the server gets a fresh self-signed certificate (--tls-cert/--tls-key) and
#      the suite runs over wss:// (the fuzzing client does not verify certificates)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
SCRATCH=${SCRATCH_PATH:-.build}
BIN=${1:-}
if [ -z "$BIN" ]; then
  BIN=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/realtime-echo
fi
[ -x "$BIN" ] || { echo "autobahn: no realtime-echo binary at $BIN (build it: swift build -c release --product realtime-echo)" >&2; exit 2; }
OUT=${AUTOBAHN_OUT:-$ROOT/test-output/autobahn}
mkdir -p "$OUT"
LOG=$OUT/realtime-echo.log
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SCHEME=ws; TLS_ARGS=()
if [ "${AUTOBAHN_TLS:-0}" = 1 ]; then
  CERTS=$(mktemp -d)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$CERTS/key.pem" -out "$CERTS/cert.pem" 2>/dev/null
  SCHEME=wss; TLS_ARGS=(--tls-cert "$CERTS/cert.pem" --tls-key "$CERTS/key.pem")
fi

"$BIN" --port "$PORT" --host 127.0.0.1 "${TLS_ARGS[@]}" > "$LOG" 2>&1 &
PID=$!
stop() {
  if kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"
    for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$PID" 2>/dev/null && kill -KILL "$PID"
  fi
  wait "$PID" 2>/dev/null || true
  [ -z "${CERTS:-}" ] || rm -rf "$CERTS"
}
trap stop EXIT
for _ in $(seq 1 300); do
  grep -q "realtime-echo listening on http" "$LOG" && break
  kill -0 "$PID" 2>/dev/null || { echo "autobahn: realtime-echo exited early:" >&2; cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
grep -q "realtime-echo listening on http" "$LOG" || { echo "autobahn: realtime-echo never printed its listening line" >&2; exit 1; }

start=$(date +%s)
set +e
bash "$HERE/run.sh" "$SCHEME://127.0.0.1:$PORT/ws/echo" realtime-echo "${AUTOBAHN_CASES:-[\"*\"]}" '[]' "$OUT/report"
rc=$?
set -e
echo "autobahn: suite took $(( $(date +%s) - start ))s (report: $OUT/report/index.html)"
kill -0 "$PID" 2>/dev/null || { echo "autobahn: realtime-echo died during the suite:" >&2; tail -20 "$LOG" >&2; rc=1; }
exit $rc
