"""Fixtures for API tests: one real `helpdesk serve` on a temporary data folder, with one
agent per built-in role created through the real CLI, and logged-in HTTP clients."""
import itertools
import os
import pathlib
import socket
import subprocess
import tempfile
import time

import sys

import pytest
import requests

# tests/browser and tests/mail load this file by path, so its folder may not be on sys.path yet.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from openapi_util import install_exchange_checks  # noqa: E402
import pg_databases  # noqa: E402  (HELPDESK_TEST_DATABASE: each data folder's own PostgreSQL database)

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("HELPDESK_BIN", ROOT / ".build" / "debug" / "helpdesk"))
PASSWORD = "correct horse battery staple"
# The shared server trusts 127.0.0.1 as a reverse proxy, and each Client presents its own
# X-Forwarded-For address (from 198.18.0.0/15, the benchmarking block), so the hundreds of
# sign-ins of a test run count as many people, as they would behind a real proxy, instead
# of one address flooding the sign-in throttle. Requests without the header are 127.0.0.1.
TRUSTED_PROXY = ("--trusted-proxy", "127.0.0.1")
_client_addresses = itertools.count(1)
# Every response from a server this suite starts is checked against the server's OpenAPI
# document (documented status, body schema, a 422's field in the request schema).
CHECKED_SERVERS = set()
install_exchange_checks(CHECKED_SERVERS)


def client_address():
    """A fresh client address for X-Forwarded-For."""
    n = next(_client_addresses)
    return f"198.18.{n // 256 % 256}.{n % 256}"
ROLES = {"Administrator": "admin@example.test", "Supervisor": "supervisor@example.test", "Agent": "agent@example.test"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Helpdesk:
    """A running server: where it listens, its data folder and its process."""

    def __init__(self, data_dir, port, process):
        self.data_dir = data_dir
        self.port = port
        self.process = process
        self.base_url = f"http://127.0.0.1:{port}"

    def url(self, path):
        return self.base_url + path


def cli(*args, data_dir, input_text=None):
    """Runs `helpdesk ARGS --data DIR` and returns the completed process."""
    return subprocess.run([str(BINARY), *args, "--data", str(data_dir)], input=input_text,
                          capture_output=True, text=True, timeout=60, env=pg_databases.env(data_dir))


def start_server(data_dir, *extra, env=None):
    """Starts `helpdesk serve` on a free port with `extra` options; waits until it listens.
    `env` replaces the environment (default: the data folder's database, see pg_databases)."""
    port = free_port()
    process = subprocess.Popen([str(BINARY), "serve", "--port", str(port), "--data", str(data_dir), *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env or pg_databases.env(data_dir))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if "listening on" in line:
            server = Helpdesk(data_dir, port, process)
            CHECKED_SERVERS.add(server.base_url)
            return server
    process.kill()
    raise RuntimeError("helpdesk did not start")


def stop_server(server):
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def helpdesk():
    """The server, with one agent per built-in role (created with `helpdesk user add`)."""
    assert BINARY.exists(), f"build first: {BINARY} is missing"
    with tempfile.TemporaryDirectory(prefix="helpdesk-api-") as data_dir:
        for role, email in ROLES.items():
            done = cli("user", "add", "--email", email, "--name", f"{role} Person", "--role", role,
                       "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
            assert done.returncode == 0, done.stderr
        server = start_server(data_dir, *TRUSTED_PROXY)
        # Drain the server's log in the background so its pipe never fills.
        import threading
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        yield server
        stop_server(server)


class Client:
    """A logged-in browser-like client: session cookie plus the CSRF header."""

    def __init__(self, server, email, password=PASSWORD):
        self.server = server
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = client_address()
        response = self.http.post(server.url("/api/session"), json={"email": email, "password": password}, timeout=10)
        assert response.status_code == 200, response.text
        self.me = response.json()
        self.http.headers["X-CSRF-Token"] = self.me["csrfToken"]

    def request(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 30)
        return self.http.request(method, self.server.url(path), **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def as_role(helpdesk):
    """`as_role("Agent")` returns a client logged in as that role's agent."""
    return lambda role: Client(helpdesk, ROLES[role])


@pytest.fixture
def admin(as_role):
    return as_role("Administrator")


@pytest.fixture
def anonymous(helpdesk):
    """A client with no session at all."""
    return requests.Session()
