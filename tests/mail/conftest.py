"""Real mail servers for the Mail module's integration tests, all on 127.0.0.1:

- aiosmtpd (in this process) requiring STARTTLS and AUTH, and a second one with implicit TLS;
- a throwaway Dovecot IMAP server (STARTTLS on one port, implicit TLS on another), started
  and stopped by the pid it wrote;
- `mail-probe`, the Mail module's command-line driver, found like the other suites' binaries.

Certificates are made per session with openssl for CN=localhost, IP 127.0.0.1; the probe
trusts them through --ca-file, so certificate verification stays on.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import pg_databases  # noqa: E402  (HELPDESK_TEST_DATABASE: each data folder's own PostgreSQL database)
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

REPO = Path(__file__).resolve().parents[2]
USER, PASSWORD = "desk@example.test", "s3cret"


def bin_dir() -> Path:
    env = os.environ.get("HELPDESK_BIN_DIR")
    if env:
        return Path(env)
    scratch = os.environ.get("SCRATCH_PATH", ".build")
    out = subprocess.run(["swift", "build", "--show-bin-path", "--scratch-path", scratch],
                         cwd=REPO, capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("certs")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")],
                   check=True, capture_output=True)
    return d


class Probe:
    def __init__(self, path: Path):
        self.path = path

    def run(self, *args: str, stdin: bytes = b"", env: dict | None = None, timeout: float = 60):
        """Runs mail-probe; returns (exit code, list of JSON objects it printed)."""
        full_env = {**os.environ, "MAIL_PASSWORD": PASSWORD, **(env or {})}
        p = subprocess.run([str(self.path), *args], input=stdin, capture_output=True, env=full_env, timeout=timeout)
        lines = [json.loads(line) for line in p.stdout.decode().splitlines() if line.startswith("{")]
        return p.returncode, lines, p

    def build(self, *args: str) -> bytes:
        p = subprocess.run([str(self.path), "build", *args], capture_output=True, check=True)
        return p.stdout


@pytest.fixture(scope="session")
def probe() -> Probe:
    path = bin_dir() / "mail-probe"
    assert path.exists(), f"{path} is missing: build the package first"
    return Probe(path)


# ---- SMTP -------------------------------------------------------------------------------------

@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    authenticated_as: str | None


@dataclass
class SMTPServer:
    port: int
    messages: list[Received] = field(default_factory=list)
    auth_attempts: list[tuple[str, bool]] = field(default_factory=list)

    def args(self, security: str, certs: Path, user: str = USER) -> list[str]:
        return ["--host", "127.0.0.1", "--port", str(self.port), "--security", security,
                "--ca-file", str(certs / "cert.pem"), "--user", user, "--password-env", "MAIL_PASSWORD", "--timeout", "10"]


class Handler:
    def __init__(self, server: SMTPServer):
        self.server = server

    async def handle_RCPT(self, srv, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, srv, session, envelope):
        data = session.auth_data
        login = data.login.decode() if session.authenticated and isinstance(data, LoginPassword) else None
        self.server.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content, login))
        return "250 2.0.0 queued as test-1"


def authenticator(server: SMTPServer):
    def check(srv, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
        server.auth_attempts.append((mechanism, ok))
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return check


def start_smtp(certs: Path, implicit: bool):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certs / "cert.pem"), str(certs / "key.pem"))
    server = SMTPServer(port=free_port())
    kwargs = dict(hostname="127.0.0.1", port=server.port, authenticator=authenticator(server), auth_require_tls=True,
                  decode_data=False)
    if implicit:
        # aiosmtpd only counts STARTTLS as TLS for auth_require_tls; this listener is TLS from the first byte.
        kwargs["auth_require_tls"] = False
        controller = Controller(Handler(server), ssl_context=context, **kwargs)
    else:
        controller = Controller(Handler(server), tls_context=context, require_starttls=True, **kwargs)
    controller.start()
    return controller, server


@pytest.fixture()
def smtp_starttls(certs):
    controller, server = start_smtp(certs, implicit=False)
    yield server
    controller.stop()


@pytest.fixture()
def smtp_implicit(certs):
    controller, server = start_smtp(certs, implicit=True)
    yield server
    controller.stop()


# ---- IMAP (Dovecot) ---------------------------------------------------------------------------

DOVECOT_CONF = """protocols = imap
listen = 127.0.0.1
base_dir = {d}/run
state_dir = {d}/state
instance_name = dovecot-mailtest-{p}
log_path = {d}/dovecot.log
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
ssl = yes
ssl_cert = <{certs}/cert.pem
ssl_key = <{certs}/key.pem
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = static
  args = uid=65534 gid=65534 home={d}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {p}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ps}
    ssl = yes
  }}
}}
"""


@dataclass
class IMAPServer:
    port: int
    tls_port: int
    directory: Path
    user: str = USER

    def args(self, security: str, certs: Path) -> list[str]:
        port = self.tls_port if security == "tls" else self.port
        return ["--host", "127.0.0.1", "--port", str(port), "--security", security,
                "--ca-file", str(certs / "cert.pem"), "--user", self.user, "--password-env", "MAIL_PASSWORD",
                "--timeout", "10"]

    def client(self):
        import imaplib
        m = imaplib.IMAP4("127.0.0.1", self.port)
        m.login(self.user, PASSWORD)
        return m

    def append(self, raw: bytes, folder: str = "INBOX", flags: str | None = None) -> None:
        import imaplib
        m = self.client()
        typ, _ = m.append(folder, flags, imaplib.Time2Internaldate(time.time()), raw)
        assert typ == "OK"
        m.logout()


USERS_PER_SERVER = 50


def start_dovecot(certs: Path) -> IMAPServer:
    if shutil.which("dovecot") is None:
        pytest.fail("dovecot is not installed (apt-get install dovecot-imapd); .ci/run installs it")
    # Not pytest's tmp_path: Dovecot's auth process (user dovecot) must traverse it, and pytest's are 0700.
    d = Path(tempfile.mkdtemp(prefix="dovecot-test-"))
    os.chmod(d, 0o755)
    for sub in ("mail", "run", "state"):
        (d / sub).mkdir(parents=True)
    os.chown(d / "mail", 65534, 65534)
    users = [USER] + [f"desk{i}@example.test" for i in range(USERS_PER_SERVER)]
    (d / "users").write_text("".join(f"{u}:{{PLAIN}}{PASSWORD}\n" for u in users))
    server = IMAPServer(port=free_port(), tls_port=free_port(), directory=d)
    (d / "dovecot.conf").write_text(DOVECOT_CONF.format(d=d, p=server.port, ps=server.tls_port, certs=certs))
    subprocess.run(["dovecot", "-c", str(d / "dovecot.conf")], check=True)
    deadline = time.time() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            return server
        except OSError:
            assert time.time() < deadline, (d / "dovecot.log").read_text()
            time.sleep(0.05)


def stop_dovecot(server: IMAPServer) -> None:
    pid = int((server.directory / "run" / "master.pid").read_text().strip())
    os.kill(pid, 15)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
            time.sleep(0.05)
        except ProcessLookupError:
            break
    shutil.rmtree(server.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot_server(certs):
    """One Dovecot for the session; each test gets a user (and so a mailbox) of its own."""
    server = start_dovecot(certs)
    yield server
    stop_dovecot(server)


_next_user = iter(range(USERS_PER_SERVER))


@pytest.fixture()
def dovecot(dovecot_server):
    return IMAPServer(dovecot_server.port, dovecot_server.tls_port, dovecot_server.directory,
                      user=f"desk{next(_next_user)}@example.test")


@pytest.fixture()
def dovecot_alone(certs):
    """A Dovecot of its own, for wrong-password tests: Dovecot slows every login from an
    address after a failure (its anvil penalty), which would slow the shared server's tests."""
    server = start_dovecot(certs)
    yield server
    stop_dovecot(server)


# ---- the help desk server ---------------------------------------------------------------------

ADMIN_EMAIL, AGENT_EMAIL, AGENT_PASSWORD = "admin@example.test", "agent@example.test", "correct horse battery staple"


@dataclass
class Helpdesk:
    data_dir: Path
    port: int
    process: subprocess.Popen
    output: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def client(self, email: str):
        import requests
        http = requests.Session()
        r = http.post(self.url("/api/session"), json={"email": email, "password": AGENT_PASSWORD}, timeout=10)
        assert r.status_code == 200, r.text
        http.headers["X-CSRF-Token"] = r.json()["csrfToken"]
        return http


def add_agents(data: Path) -> None:
    binary = bin_dir() / "helpdesk"
    for email, role in ((ADMIN_EMAIL, "Administrator"), (AGENT_EMAIL, "Agent")):
        done = subprocess.run([str(binary), "user", "add", "--email", email, "--name", role, "--role", role,
                               "--password-stdin", "--data", str(data)], input=AGENT_PASSWORD + "\n",
                              capture_output=True, text=True, timeout=60, env=pg_databases.env(data))
        assert done.returncode == 0, done.stderr


def add_support_mailbox(server: Helpdesk, dovecot, smtp):
    """Adds the "support" mailbox (desk@example.test) reading `dovecot` over TLS and sending
    through `smtp` with STARTTLS; returns the administrator's client."""
    admin = server.client(ADMIN_EMAIL)
    r = admin.post(server.url("/api/mailboxes"), json={
        "name": "support", "address": "desk@example.test", "displayName": "ACME Support", "verifyCertificates": False,
        "imap": {"host": "127.0.0.1", "port": dovecot.tls_port, "security": "tls", "username": dovecot.user, "password": PASSWORD},
        "smtp": {"host": "127.0.0.1", "port": smtp.port, "security": "starttls", "username": "desk@example.test",
                 "password": PASSWORD}})
    assert r.status_code == 201, r.text
    return admin


def start_helpdesk(data: Path, *extra: str) -> Helpdesk:
    """Starts `helpdesk serve` on `data` and a free port (with `extra` options, e.g.
    `--test-clock`); returns once it listens. Its log lines are collected in `output` by a
    reader thread."""
    import threading
    port = free_port()
    proc = subprocess.Popen([str(bin_dir() / "helpdesk"), "serve", "--port", str(port), "--data", str(data), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=pg_databases.env(data))
    server = Helpdesk(data, port, proc)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        server.output.append(line)
        if "listening on" in line:
            break
    else:
        proc.kill()
        raise RuntimeError("helpdesk did not start: " + "".join(server.output))
    threading.Thread(target=lambda: [server.output.append(l) for l in proc.stdout], daemon=True).start()
    return server


def stop_helpdesk(server: Helpdesk, hard: bool = False) -> None:
    """SIGTERM (or SIGKILL when `hard`) to the pid we started, then wait for it."""
    if hard:
        server.process.kill()
    else:
        server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=15)


@pytest.fixture(scope="session")
def helpdesk(tmp_path_factory):
    """A real `helpdesk serve` with an administrator and an agent; its log kept in `output`."""
    data = tmp_path_factory.mktemp("helpdesk-data")
    add_agents(data)
    server = start_helpdesk(data)
    yield server
    stop_helpdesk(server)
