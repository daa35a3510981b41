#!/usr/bin/env bash
# Copied from the team's shared tooling (shared/tools/autobahn/setup.sh, written for this machine kind); CI clones only the repo.
# Installs the Autobahn|Testsuite (`wstest`, Python 2.7 code) under $AUTOBAHN_ROOT without touching the
# system: Debian 12 ships no Python 2, so Debian 11's python2.7 packages are downloaded from the same
# Debian archive the system already uses (a private apt state; nothing is dpkg-installed) and unpacked;
# then pip 20.3.4 and autobahntestsuite come from PyPI. About 1 minute cold.
# Usage: setup.sh            (prints the path of the wstest wrapper on success)
set -euo pipefail
ROOT=${AUTOBAHN_ROOT:-/tmp/autobahn-py27}
WRAP=$ROOT/wstest.sh
if [ -x "$WRAP" ]; then echo "$WRAP"; exit 0; fi
# The archive the system's own apt sources name (deb822 or one-line format).
MIRROR=$(grep -h -m1 -E '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1)
[ -n "$MIRROR" ] || MIRROR=$(grep -h -m1 -E '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -1)
[ -n "$MIRROR" ] || { echo "no Debian archive found in the apt sources" >&2; exit 1; }
A=$ROOT/apt; mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/debs" "$ROOT/whl" "$ROOT/py"; touch "$A/status"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR bullseye main" > "$A/sources.list"
OPTS="-o Dir::Etc::SourceList=$A/sources.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$A/lists
      -o Dir::Cache=$A/cache -o Dir::State::status=$A/status -o APT::Architecture=amd64"
apt-get $OPTS update -qq
( cd "$A/debs" && apt-get $OPTS download -qq python2.7 python2.7-minimal libpython2.7-stdlib libpython2.7-minimal \
    python2.7-dev libpython2.7-dev libpython2.7 libssl1.1 libffi7 )
for d in "$A"/debs/*.deb; do dpkg -x "$d" "$ROOT/py"; done
export LD_LIBRARY_PATH=$ROOT/py/usr/lib/x86_64-linux-gnu
export CFLAGS="-I$ROOT/py/usr/include -I$ROOT/py/usr/include/python2.7" LDFLAGS="-L$ROOT/py/usr/lib/x86_64-linux-gnu"
python3 -m pip download -q --no-deps -d "$ROOT/whl" pip==20.3.4 setuptools==44.1.1 wheel==0.37.1
"$ROOT/py/usr/bin/python2.7" "$ROOT/whl/pip-20.3.4-py2.py3-none-any.whl/pip" install -q --no-index --find-links "$ROOT/whl" pip setuptools wheel
"$ROOT/py/usr/bin/python2.7" -m pip install -q --no-warn-script-location autobahntestsuite==25.10.1
cat > "$WRAP" <<WR
#!/usr/bin/env bash
LD_LIBRARY_PATH=$ROOT/py/usr/lib/x86_64-linux-gnu exec $ROOT/py/usr/local/bin/wstest "\$@"
WR
chmod +x "$WRAP"
"$WRAP" -a >/dev/null 2>&1 || true
echo "$WRAP"
