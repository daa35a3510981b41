"""PostgreSQL databases for the Python suites, one per data folder.

With HELPDESK_TEST_DATABASE=postgres://user@host:port/ (a server URL; `scripts/pg-cluster
start` prints one), every `helpdesk` command a suite runs on a data folder gets
HELPDESK_DATABASE set to a database of that folder's own: created with psql the first time
the folder is used (so `user add` before `serve`, and a restart after kill -9, share it) and
dropped when the test process exits. Without the variable nothing changes: SQLite in the
data folder.
"""
import atexit
import os
import subprocess
import uuid

SERVER = os.environ.get("HELPDESK_TEST_DATABASE") or None
_databases = {}  # realpath of the data folder -> database name


def _psql(sql):
    done = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", SERVER.rstrip("/") + "/postgres", "-c", sql],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"psql {sql!r} failed: {done.stderr.strip()}")


def database_url(data_dir):
    """The URL of `data_dir`'s database, creating it on first use (None without a server)."""
    if not SERVER:
        return None
    key = os.path.realpath(str(data_dir))
    if key not in _databases:
        name = "hd_py_" + uuid.uuid4().hex
        _psql(f"CREATE DATABASE {name}")
        _databases[key] = name
    return SERVER.rstrip("/") + "/" + _databases[key]


def env(data_dir, base=None):
    """The environment for a `helpdesk` command on `data_dir`."""
    result = dict(os.environ if base is None else base)
    url = database_url(data_dir)
    if url:
        result["HELPDESK_DATABASE"] = url
    return result


def env_for_argv(argv, base=None):
    """`env` for a command line that names its data folder with `--data DIR` (else unchanged)."""
    args = [str(a) for a in argv]
    if SERVER and "--data" in args[:-1]:
        return env(args[args.index("--data") + 1], base)
    return dict(os.environ if base is None else base)


@atexit.register
def _drop_all():
    for name in _databases.values():
        try:
            _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        except Exception:  # the cluster may be gone already; it is throwaway
            pass
    _databases.clear()
