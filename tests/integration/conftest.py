"""Fixtures that start the REAL built binaries on 127.0.0.1 and stop them by the pid we started.

The binaries come from $HELPDESK_BIN_DIR (scripts/test sets it); otherwise from
`swift build --show-bin-path` with $SCRATCH_PATH (default .build). Nothing is built here.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import pg_databases  # noqa: E402  (HELPDESK_TEST_DATABASE: each data folder's own PostgreSQL database)

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 30.0


def bin_dir() -> Path:
    env = os.environ.get("HELPDESK_BIN_DIR")
    if env:
        return Path(env)
    scratch = os.environ.get("SCRATCH_PATH", ".build")
    out = subprocess.run(["swift", "build", "--show-bin-path", "--scratch-path", scratch],
                         cwd=REPO, capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def free_port() -> int:
    """A port the kernel just handed out on 127.0.0.1 (the CLI does not accept port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    host: str
    port: int
    output: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def ws_url(self, path: str) -> str:
        return f"ws://{self.host}:{self.port}{path}"

    def log(self) -> str:
        return "".join(self.output[-60:])

    def terminate(self, timeout: float = 10.0) -> int:
        """SIGTERM the process we started (by pid), wait; SIGKILL it only if it does not exit."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=timeout)
        return self.proc.returncode


def _pump(proc: subprocess.Popen, output: list[str], ready: threading.Event, pattern: re.Pattern) -> None:
    for line in iter(proc.stdout.readline, ""):
        output.append(line)
        if pattern.search(line):
            ready.set()
    ready.set()  # EOF: the process ended; the waiter checks poll()


def start_server(name: str, argv_for_port, ready_pattern: str, attempts: int = 3) -> Server:
    """Start `argv_for_port(port)` on a free port; wait for its ready line; retry if the port was taken."""
    last = ""
    for _ in range(attempts):
        port = free_port()
        argv = argv_for_port(port)
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                cwd=REPO, start_new_session=True, env=pg_databases.env_for_argv(argv))
        output: list[str] = []
        ready = threading.Event()
        threading.Thread(target=_pump, args=(proc, output, ready, re.compile(ready_pattern, re.I)),
                         daemon=True).start()
        ready.wait(READY_TIMEOUT_S)
        server = Server(name, proc, "127.0.0.1", port, output)
        if proc.poll() is None and ready.is_set():
            return server
        server.terminate()
        last = server.log()
    raise RuntimeError(f"{name} did not print its ready line ({ready_pattern!r}):\n{last}")


@pytest.fixture(scope="session")
def bins() -> Path:
    d = bin_dir()
    for exe in ("realtime-echo", "helpdesk"):
        if not (d / exe).exists():
            pytest.exit(f"missing built binary {d / exe}: run `swift build` first", returncode=2)
    return d


def spawn_echo(bins: Path) -> Server:
    return start_server("realtime-echo",
                        lambda p: [str(bins / "realtime-echo"), "--port", str(p), "--host", "127.0.0.1"],
                        r"realtime-echo listening on http://")


def spawn_helpdesk(bins: Path, data_dir: str) -> Server:
    return start_server("helpdesk",
                        lambda p: [str(bins / "helpdesk"), "serve", "--host", "127.0.0.1",
                                   "--port", str(p), "--data", data_dir],
                        r"listen")


_SESSION_SERVERS: list[Server] = []


@pytest.fixture(scope="session")
def echo_server(bins):
    server = spawn_echo(bins)
    _SESSION_SERVERS.append(server)
    yield server
    server.terminate()


@pytest.fixture(scope="session")
def helpdesk_server(bins):
    with tempfile.TemporaryDirectory(prefix="helpdesk-it-") as data:
        server = spawn_helpdesk(bins, data)
        _SESSION_SERVERS.append(server)
        yield server
        server.terminate()


@pytest.fixture
def fresh_echo_server(bins):
    """A realtime-echo of the test's own (for shutdown tests)."""
    server = spawn_echo(bins)
    yield server
    server.terminate()


@pytest.fixture(params=["realtime-echo", "helpdesk"])
def any_server(request):
    """Both HTTP servers share the Realtime HTTP stack: run the protocol tests against each."""
    return request.getfixturevalue("echo_server" if request.param == "realtime-echo" else "helpdesk_server")


@pytest.fixture(autouse=True)
def _server_still_alive(request):
    """After every test, every shared server started so far must still be running."""
    yield
    for server in _SESSION_SERVERS:
        assert server.proc.poll() is None, f"{server.name} died (rc {server.proc.returncode}):\n{server.log()}"
