#!/usr/bin/env bash
# Copied from the team's shared load harness (shared/bench/run.sh, measured on this machine kind);
# paths adapted to benchmarks/ (client/wsload.c, results/). Called by benchmarks/run.sh.
# Realtime bench harness: HTTP keep-alive GET, WebSocket room fan-out, idle-connection memory.
# Loopback only (127.0.0.1); every load step is bounded in time and count.
#
# Usage:
#   benchmarks/lib/harness.sh --name NAME --port PORT (--server-cmd "CMD ARGS" | --server-pid PID) [options]
# Options:
#   --server-cmd CMD   start the server (pinned with taskset to --server-cpu); the harness stops it (by PID) at the end
#   --server-pid PID   measure an already running server (RSS/CPU read from /proc/PID)
#   --server-cpu LIST  taskset CPU list for the server   (default 0)
#   --client-cpu LIST  taskset CPU list for the clients  (default 1)   -> 1 core server, 1 core load
#   --only LIST        comma list of: http,fanout,scan,idle   (default all)
#   --http-path PATH   (default /hello)      --room-prefix P (default /ws/room/)
#   --duration S       seconds per fan-out step (default 8)  --idle-conns N (default 19000; RLIMIT_NOFILE hard max here is 20000)
#   --probe-rate N     messages/s of the latency probe beside each fan-out step (default 40; 0: no probe)
#   --rates LIST       per-room rates of the scan (default 25,50,100,200,400,800,1600)
#   --server-rt        run the server under SCHED_FIFO priority 1 (chrt; root): other work on the machine
#                      can no longer take its core, so its latency is its own (Linux still leaves 5 % of
#                      the core to others: kernel.sched_rt_runtime_us)
#   --out DIR          results dir (default benchmarks/results)
#   --tls              the server speaks TLS: wrk uses https://, wsload wss:// (WSLOAD_TLS=1)
# The server must provide: GET <http-path> (keep-alive) and WS <room-prefix><id> broadcasting every text
# message to every socket in the room (sender included).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
NAME=""; PORT=""; SCMD=""; SPID=""; SCPU=0; CCPU=1; ONLY="http,fanout,scan,idle"
HPATH=/hello; PREFIX=/ws/room/; DUR=8; IDLE=19000; OUT=$HERE/../results; PROBE=40; RATES=25,50,100,200,400,800,1600; RT=; SCHEME=http
while [ $# -gt 0 ]; do
  case $1 in
    --name) NAME=$2; shift 2;; --port) PORT=$2; shift 2;; --server-cmd) SCMD=$2; shift 2;;
    --server-pid) SPID=$2; shift 2;; --server-cpu) SCPU=$2; shift 2;; --client-cpu) CCPU=$2; shift 2;;
    --only) ONLY=$2; shift 2;; --http-path) HPATH=$2; shift 2;; --room-prefix) PREFIX=$2; shift 2;;
    --duration) DUR=$2; shift 2;; --idle-conns) IDLE=$2; shift 2;; --out) OUT=$2; shift 2;;
    --probe-rate) PROBE=$2; shift 2;; --rates) RATES=$2; shift 2;; --server-rt) RT="chrt -f 1"; shift;;
    --tls) SCHEME=https; export WSLOAD_TLS=1; shift;;
    *) echo "unknown arg $1"; exit 2;;
  esac
done
[ -n "$NAME" ] && [ -n "$PORT" ] || { echo "need --name and --port"; exit 2; }
mkdir -p "$OUT"; RES=$OUT/$NAME.jsonl; : > "$RES"
WSLOAD=$HERE/../client/wsload
[ -x "$WSLOAD" ] && [ "$WSLOAD" -nt "$HERE/../client/wsload.c" ] && [ "$WSLOAD" -nt "$HERE/../client/wsload_live.c" ] ||
  gcc -O2 -o "$WSLOAD" "$HERE/../client/wsload.c" -lssl -lcrypto
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
ulimit -n "$(ulimit -Hn)"

STARTED=""
cleanup() { if [ -n "$STARTED" ]; then kill "$STARTED" 2>/dev/null || true; wait "$STARTED" 2>/dev/null || true; fi; }
trap cleanup EXIT
if [ -n "$SCMD" ]; then
  # shellcheck disable=SC2086
  taskset -c "$SCPU" $RT $SCMD > "$OUT/$NAME.server.log" 2>&1 &
  STARTED=$!; SPID=$STARTED
fi
[ -n "$SPID" ] || { echo "need --server-cmd or --server-pid"; exit 2; }
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done

rss_kb() { awk '/VmRSS/{print $2}' /proc/"$SPID"/status; }
threads() { awk '/Threads/{print $2}' /proc/"$SPID"/status; }
cpu_ticks() { awk '{print $14+$15}' /proc/"$SPID"/stat; }
TCK=$(getconf CLK_TCK)
emit() { echo "$1" | tee -a "$RES"; }
with_cpu() {  # run "$@" (prints one JSON object), append server_cpu_pct + rss
  local c0 t0 c1 t1 js
  c0=$(cpu_ticks); t0=$(date +%s.%N)
  js=$("$@")
  c1=$(cpu_ticks); t1=$(date +%s.%N)
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["server_cpu_pct"]=round(100*(int(sys.argv[2])/int(sys.argv[5]))/(float(sys.argv[4])-float(sys.argv[3])),1); d["server_rss_mb"]=round(int(sys.argv[6])/1024,1); d["server"]=sys.argv[7]; print(json.dumps(d))' \
    "$js" "$((c1-c0))" "$t0" "$t1" "$TCK" "$(rss_kb)" "$NAME"
}
emit "{\"server\":\"$NAME\",\"sched\":\"${RT:-other}\",\"pid\":$SPID,\"rss_start_mb\":$(( $(rss_kb)/1024 )),\"threads\":$(threads),\"server_cpu\":\"$SCPU\",\"client_cpu\":\"$CCPU\"}"

wrk_json() {  # conns
  local out; out=$(taskset -c "$CCPU" timeout 30 /usr/bin/time -f "WRKCPU %P" wrk -t1 -c"$1" -d10s --latency "$SCHEME://127.0.0.1:$PORT$HPATH" 2>&1)
  python3 - "$1" "$out" <<'PY'
import re, sys, json
c, out = sys.argv[1], sys.argv[2]
m = re.search(r"WRKCPU (\d+)%", out); wrk_cpu = int(m.group(1)) if m else None
def ms(s):
    v, u = re.match(r"([\d.]+)(\w+)", s).groups(); return round(float(v) * {"us": 1e-3, "ms": 1, "s": 1e3}[u], 3)
d = {"mode": "http", "conns": int(c), "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
for p in ("50", "90", "99"):
    m = re.search(r"\s%s%%\s+(\S+)" % p, out); d["p%s_ms" % p] = ms(m.group(1)) if m else None
m = re.search(r"Non-2xx or 3xx responses: (\d+)", out); d["non2xx"] = int(m.group(1)) if m else 0
m = re.search(r"Socket errors: (.*)", out); d["socket_errors"] = m.group(1) if m else ""
d["client_cpu_pct"] = wrk_cpu
print(json.dumps(d))
PY
}
fan() { taskset -c "$CCPU" timeout $(( ${DUR%.*} + 60 )) "$WSLOAD" fanout "$PORT" "$@"; }

# One fan-out step: ROOMS CLIENTS RATE. The load client (wsload fanout) measures its own deliveries and
# samples the server's CPU (/proc/PID/stat) and run-queue wait over its measurement window; beside it a
# probe (wsload probe, its own process, one connection per room, SCHED_FIFO when root) sends a few
# messages of its own and times them, so the latency figure does not depend on the load client keeping
# up. The probe sends at most a tenth of the load's message rate. Prints one merged JSON line: the load's
# fields, probe_* (the probe's), server_us_per_delivery, and the 1-minute load average before/after.
fanstep() {
  local rooms=$1 clients=$2 rate=$3 la0 wf pf js pjs="" pp="" prate
  la0=$(cut -d' ' -f1 /proc/loadavg)
  wf=$(mktemp -u "${TMPDIR:-/tmp}/wsload-window.XXXXXX"); pf=$(mktemp)
  prate=$(python3 -c 'import sys; p,r,m=map(float,sys.argv[1:]); print(round(min(p, r*m/10), 2))' "$PROBE" "$rooms" "$rate")
  if [ "$PROBE" != 0 ]; then
    taskset -c "$CCPU" timeout $(( ${DUR%.*} + 180 )) "$WSLOAD" probe "$PORT" "$rooms" "$prate" "$wf" 64 "$PREFIX" > "$pf" &
    pp=$!
  fi
  js=$(WSLOAD_SERVER_PID=$SPID WSLOAD_WINDOW_FILE=$wf fan "$rooms" "$clients" "$rate" "$DUR" 2 64 "$PREFIX")
  if [ -n "$pp" ]; then wait "$pp" || true; pjs=$(cat "$pf"); fi
  rm -f "$wf" "$pf"
  python3 - "$js" "$pjs" "$NAME" "$la0" "$(cut -d' ' -f1 /proc/loadavg)" "$(rss_kb)" <<'PY'
import json, sys
d = json.loads(sys.argv[1]); probe = json.loads(sys.argv[2]) if sys.argv[2].strip() else None
d.update(server=sys.argv[3], loadavg_before=float(sys.argv[4]), loadavg_after=float(sys.argv[5]),
         server_rss_mb=round(int(sys.argv[6]) / 1024, 1))
# Frames the server wrote in the window: the load's to its own clients and to the probe's one
# connection per room, and the probe's messages to everyone in its room.
deliveries = d["delivered"]
if probe:
    deliveries += d["sent"] + probe["sent"] * (d["clients_per_room"] + 1)
    d.update({"probe_" + k: v for k, v in probe.items() if k != "mode"})
d["server_deliveries"] = deliveries
if "server_cpu_s" in d and deliveries:
    d["server_us_per_delivery"] = round(d["server_cpu_s"] * 1e6 / deliveries, 2)
print(json.dumps(d))
PY
}

if [[ $ONLY == *http* ]]; then
  taskset -c "$CCPU" timeout 10 wrk -t1 -c16 -d2s "$SCHEME://127.0.0.1:$PORT$HPATH" >/dev/null 2>&1 || true  # warm-up
  for c in 16 128; do emit "$(with_cpu wrk_json $c)"; done
fi
if [[ $ONLY == *fanout* ]]; then
  # rooms clients rate/room  -> offered deliveries/s = rooms*clients*rate
  emit "$(fanstep 10 100 10)"    #  10k deliveries/s, 1k sockets
  emit "$(fanstep 1 1000 20)"    #  20k/s, one big room
  emit "$(fanstep 100 10 10)"    #  10k/s, many small rooms
fi
if [[ $ONLY == *scan* ]]; then
  # Saturation scan: 10 rooms x 100 clients, raise per-room rate until loss>1% or p99>250ms.
  for rate in ${RATES//,/ }; do
    js=$(fanstep 10 100 "$rate"); emit "$js"
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(1 if d["loss_pct"]>1 or d["p99_us"]>250000 else 0)' "$js" || break
  done
fi
if [[ $ONLY == *idle* ]]; then
  if [ -n "$STARTED" ]; then  # measure idle-connection memory on a fresh process (heap not grown by the load steps)
    cleanup; sleep 1
    # shellcheck disable=SC2086
    taskset -c "$SCPU" $RT $SCMD >> "$OUT/$NAME.server.log" 2>&1 &
    STARTED=$!; SPID=$STARTED
    for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done
    # one tiny fan-out so lazily-initialised paths (upgrade, WS handler, rooms) are warm before the baseline
    fan 1 10 10 1 0 64 "$PREFIX" > /dev/null
  fi
  sleep 2; r0=$(rss_kb); rf=$(mktemp); rm -f "$rf"
  taskset -c "$CCPU" timeout 300 "$WSLOAD" idle "$PORT" "$IDLE" 12 "${PREFIX}idle" "$rf" > "$OUT/$NAME.idle.json" &
  ip=$!
  for _ in $(seq 1 2400); do [ -s "$rf" ] && break; sleep 0.1; done
  sleep 4; r1=$(rss_kb); n=$(cat "$rf" 2>/dev/null || echo 0)
  wait $ip || true; rm -f "$rf"
  emit "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r0,r1,n=int(sys.argv[2]),int(sys.argv[3]),int(sys.argv[4]); d.update(server=sys.argv[5], rss_before_mb=round(r0/1024,1), rss_after_mb=round(r1/1024,1), rss_per_1k_conns_mb=round((r1-r0)/1024/max(n,1)*1000,2)); print(json.dumps(d))' "$OUT/$NAME.idle.json" "$r0" "$r1" "$n" "$NAME")"
fi
echo "results: $RES"
