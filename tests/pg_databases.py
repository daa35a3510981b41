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


def connect(data_dir, readonly=True):
    """A connection for reading `data_dir`'s database in a test: `sqlite3` on the SQLite file,
    or, with a PostgreSQL server, a small psql-backed stand-in with the same `execute(sql,
    params).fetchone()/fetchall()`, iteration and `with`. Portable SQL only; `?` parameters."""
    if not SERVER:
        import sqlite3
        mode = "?mode=ro" if readonly else ""
        return sqlite3.connect(f"file:{os.path.join(str(data_dir), 'helpdesk.sqlite')}{mode}", uri=True)
    return _PsqlConnection(database_url(data_dir))


def is_postgres():
    return SERVER is not None


class _PsqlConnection:
    """Runs each statement with psql (-At, unit/record separators); integers come back as int,
    BYTEA (psql's `\\x...`) as bytes, NULL as None, everything else as text."""

    def __init__(self, url):
        self.url = url

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def close(self):
        pass

    def execute(self, sql, params=()):
        return _Rows(self._run(_inline(sql, params)))

    def iterdump(self):
        """The database's rows as SQL text (pg_dump), like sqlite3's `iterdump`."""
        done = subprocess.run(["pg_dump", "--data-only", "--inserts", self.url], capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"pg_dump failed: {done.stderr.strip()}")
        return iter(done.stdout.splitlines())

    def _run(self, sql):
        done = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-F", "\x1f", "-R", "\x1e",
                               "-P", "null=\x1c", self.url, "-c", sql], capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr.strip()} [{sql}]")
        out = done.stdout[:-1] if done.stdout.endswith("\n") else done.stdout
        if out == "":
            return []
        return [tuple(_value(field) for field in record.split("\x1f")) for record in out.split("\x1e")]


class _Rows(list):
    def fetchone(self):
        return self[0] if self else None

    def fetchall(self):
        return list(self)


def _value(field):
    if field == "\x1c":
        return None
    if field.lstrip("-").isdigit() and len(field) < 20:
        return int(field)
    if field.startswith("\\x") and all(c in "0123456789abcdef" for c in field[2:]) and len(field) % 2 == 0:
        return bytes.fromhex(field[2:])
    return field


def _inline(sql, params):
    """`sql` with each `?` outside quotes replaced by the literal of the next parameter."""
    params = list(params)
    out, quote = [], None
    for ch in sql:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            value = params.pop(0)
            if value is None:
                ch = "NULL"
            elif isinstance(value, bool) or isinstance(value, int):
                ch = str(int(value))
            else:
                ch = "'" + str(value).replace("'", "''") + "'"
        out.append(ch)
    return "".join(out)
