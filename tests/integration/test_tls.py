"""HTTPS and WSS served by the binaries themselves (issue 11 item 9), checked with clients
written by others: curl, Python's ssl module, `openssl s_client` and Python `websockets`.

Certificates are made at test time with the openssl command: a CA, and an RSA server
certificate for 127.0.0.1 (RSA, so a refused RSA-key-exchange or CBC suite can only be the
server's policy, not a key-type mismatch).
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import websockets

from conftest import Server, start_server

HOST = "127.0.0.1"


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def issue_server_certificate(d: Path, serial: str, out: str) -> Path:
    """A certificate for 127.0.0.1 signed by the test CA, with the given serial number."""
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", serial,
            "-days", "2", "-extfile", "ext.cnf", "-out", out, cwd=d)
    return d / out


@pytest.fixture(scope="module")
def certs():
    with tempfile.TemporaryDirectory(prefix="helpdesk-tls-") as tmp:
        d = Path(tmp)
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=Helpdesk Test CA", "-keyout", "ca.key", "-out", "ca.pem", cwd=d)
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", "server.key", "-out", "server.csr", cwd=d)
        (d / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                                   "extendedKeyUsage=serverAuth\n")
        issue_server_certificate(d, "0x1001", "serial-1001.pem")
        issue_server_certificate(d, "0x2002", "serial-2002.pem")
        # An intermediate CA and a leaf it signs: fullchain.pem is leaf + intermediate.
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=Helpdesk Test Intermediate",
                "-keyout", "intermediate.key", "-out", "intermediate.csr", cwd=d)
        (d / "ca-ext.cnf").write_text("basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n")
        openssl("x509", "-req", "-in", "intermediate.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "0x77",
                "-days", "2", "-extfile", "ca-ext.cnf", "-out", "intermediate.pem", cwd=d)
        openssl("x509", "-req", "-in", "server.csr", "-CA", "intermediate.pem", "-CAkey", "intermediate.key",
                "-set_serial", "0x3003", "-days", "2", "-extfile", "ext.cnf", "-out", "leaf-3003.pem", cwd=d)
        (d / "fullchain.pem").write_bytes((d / "leaf-3003.pem").read_bytes() + (d / "intermediate.pem").read_bytes())
        yield d


def spawn_tls(bins: Path, certs: Path, name: str, *extra: str) -> tuple[Server, Path]:
    """A server of our own with a private copy of the certificate (replaced by reload tests)."""
    own = Path(tempfile.mkdtemp(prefix="tls-", dir=certs))
    shutil.copy(certs / "serial-1001.pem", own / "cert.pem")
    tls = ["--tls-cert", str(own / "cert.pem"), "--tls-key", str(certs / "server.key")]
    if name == "realtime-echo":
        server = start_server(name, lambda p: [str(bins / name), "--port", str(p), "--host", HOST, "--loops", "2", *tls],
                              r"listening on https://")
    else:
        data = own / "data"
        server = start_server(name, lambda p: [str(bins / name), "serve", "--port", str(p), "--host", HOST,
                                               "--data", str(data), *tls, *extra], r"listening on https://")
    return server, own


@pytest.fixture(scope="module")
def tls_echo(bins, certs):
    server, own = spawn_tls(bins, certs, "realtime-echo")
    yield server, own
    server.terminate()


def client_context(certs: Path, **options) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(certs / "ca.pem"))
    for key, value in options.items():
        setattr(ctx, key, value)
    return ctx


def https_get(port: int, ctx: ssl.SSLContext, path: str = "/hello") -> tuple[bytes, ssl.SSLSocket]:
    raw = socket.create_connection((HOST, port), timeout=10)
    tls = ctx.wrap_socket(raw, server_hostname=HOST)
    tls.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    return read_response(tls), tls


def read_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed after {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def serial_of(port: int, certs: Path) -> int:
    """The serial number of the certificate a new connection is given."""
    with client_context(certs).wrap_socket(socket.create_connection((HOST, port), timeout=10), server_hostname=HOST) as s:
        der = s.getpeercert(binary_form=True)
    out = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-serial"], input=der,
                         capture_output=True, check=True, timeout=10)
    return int(out.stdout.decode().strip().split("=")[1], 16)


def s_client(port: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", "s_client", "-connect", f"{HOST}:{port}", *args], input=b"",
                          capture_output=True, timeout=20)


def wait_for_log(server: Server, text: str, after: int, timeout: float = 10.0) -> None:
    """Waits (polling the pumped output, not a clock) until a log line after index `after` holds `text`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(text in line for line in server.output[after:]):
            return
        time.sleep(0.02)
    raise AssertionError(f"no log line with {text!r}:\n{server.log()}")


# ---- curl and Python's ssl module ---------------------------------------------------------------

def test_curl_fetches_over_https_with_the_test_ca(tls_echo, certs):
    """curl verifies our chain against the CA and gets the body; without the CA it refuses."""
    server, _ = tls_echo
    url = f"https://{HOST}:{server.port}/hello"
    ok = subprocess.run(["curl", "-sS", "--cacert", str(certs / "ca.pem"), "-w", "\n%{http_code} %{ssl_verify_result}", url],
                        capture_output=True, text=True, timeout=20)
    assert ok.returncode == 0, ok.stderr
    body, status = ok.stdout.rsplit("\n", 1)
    assert json.loads(body) == {"message": "Hello, world!"}
    assert status == "200 0"
    untrusted = subprocess.run(["curl", "-sS", url], capture_output=True, text=True, timeout=20)
    assert untrusted.returncode == 60  # peer certificate cannot be authenticated


def test_a_pem_chain_is_sent_whole(bins, certs):
    """With fullchain.pem (leaf + intermediate) a client trusting only the root verifies the
    server; with the leaf alone it cannot, so the intermediate came from the chain file."""
    for chain, expected in (("fullchain.pem", 0), ("leaf-3003.pem", 60)):
        server = start_server("realtime-echo", lambda p: [str(bins / "realtime-echo"), "--port", str(p), "--host", HOST,
                                                          "--tls-cert", str(certs / chain), "--tls-key", str(certs / "server.key")],
                              r"listening on https://")
        try:
            out = subprocess.run(["curl", "-sS", "--cacert", str(certs / "ca.pem"), f"https://{HOST}:{server.port}/hello"],
                                 capture_output=True, text=True, timeout=20)
            assert out.returncode == expected, (chain, out.stderr)
        finally:
            server.terminate()


def test_curl_reuses_one_tls_connection_for_many_requests(tls_echo, certs):
    """Keep-alive works over TLS: five requests, one handshake."""
    server, _ = tls_echo
    url = f"https://{HOST}:{server.port}/hello"
    out = subprocess.run(["curl", "-sS", "-v", "--cacert", str(certs / "ca.pem"), url, url, url, url, url],
                         capture_output=True, text=True, timeout=20)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("Hello, world!") == 5
    assert out.stderr.count("Re-using existing connection") == 4


def test_python_ssl_gets_tls13_by_default(tls_echo, certs):
    """A default client negotiates TLS 1.3 with an AEAD suite."""
    server, _ = tls_echo
    response, tls = https_get(server.port, client_context(certs))
    with tls:
        assert response.startswith(b"HTTP/1.1 200 OK")
        assert tls.version() == "TLSv1.3"
        assert tls.cipher()[0] in {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}


def test_python_ssl_tls12_gets_ecdhe_with_aead(tls_echo, certs):
    """A client capped at TLS 1.2 gets forward secrecy and authenticated encryption."""
    server, _ = tls_echo
    ctx = client_context(certs, maximum_version=ssl.TLSVersion.TLSv1_2)
    response, tls = https_get(server.port, ctx)
    with tls:
        assert response.startswith(b"HTTP/1.1 200 OK")
        assert tls.version() == "TLSv1.2"
        name = tls.cipher()[0]
        assert name.startswith("ECDHE-RSA-") and ("GCM" in name or "CHACHA20" in name), name


def test_large_bodies_cross_many_records(tls_echo, certs):
    """A 3 MB WebSocket message in and out crosses hundreds of 16 KiB records intact."""
    server, _ = tls_echo

    async def run():
        async with websockets.connect(f"wss://{HOST}:{server.port}/ws/echo", ssl=client_context(certs),
                                      max_size=8 << 20, compression=None) as ws:
            payload = os.urandom(3 << 20)
            await ws.send(payload)
            assert await ws.recv() == payload

    asyncio.run(run())


# ---- openssl s_client: what is refused ----------------------------------------------------------

@pytest.mark.parametrize("version", ["-tls1", "-tls1_1"])
def test_tls10_and_tls11_are_refused(tls_echo, version):
    """A client offering only TLS 1.0 or 1.1 gets a protocol_version alert and no session."""
    server, _ = tls_echo
    # SECLEVEL=0 so the client really offers the old version (Debian's default would not).
    out = s_client(server.port, version, "-cipher", "DEFAULT@SECLEVEL=0")
    text = out.stdout.decode(errors="replace") + out.stderr.decode(errors="replace")
    assert out.returncode != 0
    assert "alert protocol version" in text, text
    assert "Cipher is (NONE)" in text


@pytest.mark.parametrize("cipher", [
    "AES128-SHA",                 # RSA key exchange: no forward secrecy
    "AES256-GCM-SHA384",          # RSA key exchange, even with AEAD
    "ECDHE-RSA-AES128-SHA",       # CBC with SHA-1 MAC
    "ECDHE-RSA-AES256-SHA384",    # CBC
    "DHE-RSA-AES128-GCM-SHA256",  # finite-field DHE
])
def test_weak_tls12_ciphers_are_refused(tls_echo, cipher):
    """TLS 1.2 suites without ECDHE or without AEAD get a handshake_failure alert."""
    server, _ = tls_echo
    out = s_client(server.port, "-tls1_2", "-cipher", f"{cipher}@SECLEVEL=0")
    text = out.stdout.decode(errors="replace") + out.stderr.decode(errors="replace")
    assert out.returncode != 0
    assert "Cipher is (NONE)" in text, text
    assert "alert handshake failure" in text, text


def test_modern_tls12_cipher_is_accepted(tls_echo):
    """The positive control for the refusals above: ECDHE-RSA-AES128-GCM-SHA256 is taken."""
    server, _ = tls_echo
    out = s_client(server.port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")
    assert "Cipher is ECDHE-RSA-AES128-GCM-SHA256" in out.stdout.decode(errors="replace")


def test_plain_http_on_the_tls_port_gets_a_400_naming_https(tls_echo, certs):
    """A cleartext request gets a plain 400 saying to use https:// and is closed; the server
    keeps serving TLS."""
    server, _ = tls_echo
    with socket.create_connection((HOST, server.port), timeout=10) as s:
        s.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while chunk := s.recv(4096):
            data += chunk
    assert data.startswith(b"HTTP/1.1 400 Bad Request\r\n"), data
    assert b"use an https:// URL" in data
    assert b"Hello" not in data
    curl_plain = subprocess.run(["curl", "-sS", f"http://{HOST}:{server.port}/hello"], capture_output=True, text=True, timeout=20)
    assert "This port speaks HTTPS" in curl_plain.stdout
    response, tls = https_get(server.port, client_context(certs))
    tls.close()
    assert response.startswith(b"HTTP/1.1 200 OK")


# ---- WSS with Python websockets -----------------------------------------------------------------

def test_wss_echo_and_rooms_with_python_websockets(tls_echo, certs):
    """Text, binary and compressed messages echo over wss; a room broadcast reaches every member."""
    server, _ = tls_echo
    ctx = client_context(certs)

    async def run():
        base = f"wss://{HOST}:{server.port}"
        async with websockets.connect(f"{base}/ws/echo", ssl=ctx) as ws:
            assert ws.response.headers.get("Sec-WebSocket-Extensions", "").startswith("permessage-deflate")
            for text in ("hello", "é" * 5000, "x" * 200_000):
                await ws.send(text)
                assert await ws.recv() == text
            await ws.send(b"\x00\xff" * 40_000)
            assert await ws.recv() == b"\x00\xff" * 40_000
        members = [await websockets.connect(f"{base}/ws/room/tls", ssl=ctx) for _ in range(5)]
        try:
            await members[0].send("to everyone")
            got = await asyncio.gather(*(asyncio.wait_for(m.recv(), 10) for m in members))
            assert got == ["to everyone"] * 5
        finally:
            for m in members:
                await m.close()

    asyncio.run(run())


# ---- SIGHUP reload ------------------------------------------------------------------------------

def test_sighup_reloads_the_certificate_for_new_connections(bins, certs):
    """After SIGHUP new connections get the new certificate (serial 0x2002); an open
    connection keeps working; an unreadable file keeps the current certificate."""
    server, own = spawn_tls(bins, certs, "realtime-echo")
    try:
        assert serial_of(server.port, certs) == 0x1001
        _, open_conn = https_get(server.port, client_context(certs))
        shutil.copy(certs / "serial-2002.pem", own / "cert.pem")
        mark = len(server.output)
        os.kill(server.pid, signal.SIGHUP)
        wait_for_log(server, "TLS certificate reloaded", mark)
        assert serial_of(server.port, certs) == 0x2002
        open_conn.sendall(f"GET /hello HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        assert read_response(open_conn).startswith(b"HTTP/1.1 200 OK")
        open_conn.close()

        (own / "cert.pem").write_text("not a certificate\n")
        mark = len(server.output)
        os.kill(server.pid, signal.SIGHUP)
        wait_for_log(server, "reload failed, keeping the current one", mark)
        assert serial_of(server.port, certs) == 0x2002
        assert server.proc.poll() is None
    finally:
        server.terminate()


# ---- helpdesk serve: HSTS, Secure cookies, redirect ---------------------------------------------

@pytest.fixture(scope="module")
def tls_helpdesk(bins, certs):
    redirect_port = free_redirect_port()
    server, own = spawn_tls(bins, certs, "helpdesk", "--redirect-http", str(redirect_port))
    done = subprocess.run([str(bins / "helpdesk"), "user", "add", "--email", "tls@example.test", "--name", "TLS Admin",
                           "--role", "Administrator", "--password-stdin", "--data", str(own / "data")],
                          input="correct horse battery staple\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    yield server, redirect_port
    server.terminate()


def free_redirect_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", *args], capture_output=True, text=True, timeout=20)


def test_helpdesk_sends_hsts_and_secure_session_cookies_over_tls(tls_helpdesk, certs):
    """With TLS on, every response carries HSTS and the session cookie is Secure."""
    server, _ = tls_helpdesk
    base = f"https://{HOST}:{server.port}"
    health = curl("-i", "--cacert", str(certs / "ca.pem"), f"{base}/healthz")
    assert health.returncode == 0, health.stderr
    assert "strict-transport-security: max-age=31536000" in health.stdout.lower()
    missing = curl("-i", "--cacert", str(certs / "ca.pem"), f"{base}/api/no-such-thing")
    assert "strict-transport-security: max-age=31536000" in missing.stdout.lower()
    login = curl("-i", "--cacert", str(certs / "ca.pem"), "-H", "Content-Type: application/json",
                 "-d", json.dumps({"email": "tls@example.test", "password": "correct horse battery staple"}),
                 f"{base}/api/session")
    cookie = next(line for line in login.stdout.splitlines() if line.lower().startswith("set-cookie:"))
    assert "; secure" in cookie.lower(), cookie
    assert "httponly" in cookie.lower()
    page = curl("-i", "--cacert", str(certs / "ca.pem"), "-H", "Accept: text/html", f"{base}/tickets/1")
    csp = next(line for line in page.stdout.splitlines() if line.lower().startswith("content-security-policy:"))
    assert f"wss://{HOST}:{server.port}" in csp and "ws://" not in csp.replace("wss://", ""), csp


def test_helpdesk_redirects_plain_http_to_https(tls_helpdesk, certs):
    """`--redirect-http PORT` answers 308 to the same path and query on the HTTPS port."""
    server, redirect_port = tls_helpdesk
    out = curl("-i", f"http://{HOST}:{redirect_port}/tickets/42?tab=thread")
    assert out.stdout.startswith("HTTP/1.1 308 Permanent Redirect"), out.stdout
    assert f"Location: https://{HOST}:{server.port}/tickets/42?tab=thread" in out.stdout
    followed = curl("-L", "--cacert", str(certs / "ca.pem"), f"http://{HOST}:{redirect_port}/healthz")
    assert json.loads(followed.stdout)["status"] == "ok"
    bad_host = curl("-i", "-H", "Host: evil.example/path", f"http://{HOST}:{redirect_port}/")
    assert bad_host.stdout.startswith("HTTP/1.1 400"), bad_host.stdout
    assert "Location" not in bad_host.stdout


def test_helpdesk_live_endpoint_over_wss(tls_helpdesk, certs):
    """The browser's live socket works over wss: refused without a session, open with one."""
    server, _ = tls_helpdesk
    login = curl("-i", "--cacert", str(certs / "ca.pem"), "-H", "Content-Type: application/json",
                 "-d", json.dumps({"email": "tls@example.test", "password": "correct horse battery staple"}),
                 f"https://{HOST}:{server.port}/api/session")
    cookie = next(line for line in login.stdout.splitlines() if line.lower().startswith("set-cookie:"))
    pair = cookie.split(":", 1)[1].strip().split(";")[0]

    async def run():
        url = f"wss://{HOST}:{server.port}/api/live"
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            async with websockets.connect(url, ssl=client_context(certs)):
                pass
        assert refused.value.response.status_code == 401
        # The page's origin is https: an http Origin for the same host and port is another origin.
        with pytest.raises(websockets.exceptions.InvalidStatus) as cross:
            async with websockets.connect(url, ssl=client_context(certs), additional_headers={"Cookie": pair},
                                          origin=f"http://{HOST}:{server.port}"):
                pass
        assert cross.value.response.status_code == 403
        async with websockets.connect(url, ssl=client_context(certs), additional_headers={"Cookie": pair},
                                      origin=f"https://{HOST}:{server.port}") as ws:
            pong = await ws.ping()
            await asyncio.wait_for(pong, 10)

    asyncio.run(run())
