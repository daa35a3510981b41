#!/usr/bin/env bash
# Copied from the team's shared tooling (shared/tools/autobahn/run.sh, written for this machine kind); CI clones only the repo.
# Runs the Autobahn|Testsuite fuzzing client against a WebSocket echo endpoint and prints a verdict.
# Usage: run.sh ws://127.0.0.1:PORT/PATH [AGENT] [CASES_JSON] [EXCLUDE_JSON] [OUTDIR]
#   CASES_JSON default '["*"]' (all 517 cases, permessage-deflate 12.*/13.* included)
# Exit status 0 only if no case FAILED and none is UNIMPLEMENTED (so deflate must be offered).
# The full report is OUTDIR/index.html (default /tmp/autobahn-reports/AGENT).
set -euo pipefail
URL=${1:?ws url}; AGENT=${2:-testee}; CASES=${3:-'["*"]'}; EXCL=${4:-'[]'}
OUT=${5:-/tmp/autobahn-reports/$AGENT}
WSTEST=$(bash "$(dirname "$0")/setup.sh" | tail -1)
rm -rf "$OUT"; mkdir -p "$OUT"
cat > "$OUT/fuzzingclient.json" <<JSON
{ "outdir": "$OUT", "servers": [ { "agent": "$AGENT", "url": "$URL" } ],
  "cases": $CASES, "exclude-cases": $EXCL, "exclude-agent-cases": {} }
JSON
start=$(date +%s)
timeout "${AUTOBAHN_TIMEOUT:-1800}" "$WSTEST" -m fuzzingclient -s "$OUT/fuzzingclient.json" > "$OUT/wstest.log" 2>&1 || echo "wstest exit $?"
echo "elapsed $(( $(date +%s) - start ))s; report: $OUT/index.html"
python3 - "$OUT/index.json" "$AGENT" <<'PY'
import json, sys, collections
d = json.load(open(sys.argv[1]))[sys.argv[2]]
beh = collections.Counter(v["behavior"] for v in d.values())
bad = sorted((k for k, v in d.items() if v["behavior"] not in ("OK", "INFORMATIONAL", "NON-STRICT")),
             key=lambda s: [int(x) for x in s.split(".")])
print("cases:", len(d), "behavior:", dict(beh))
if bad:
    print("not passing:", " ".join(bad[:40]) + (" ..." if len(bad) > 40 else ""))
    sys.exit(1)
print("autobahn: all %d cases pass" % len(d))
PY
