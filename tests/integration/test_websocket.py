"""WebSocket against realtime-echo with the Python `websockets` library (asyncio client) and raw frames."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.extensions.permessage_deflate import PerMessageDeflate

from wire import (OP_BINARY, OP_CLOSE, OP_PING, OP_PONG, OP_TEXT, OP_CONT, Conn, close_code, ws_frame,
                  ws_handshake, ws_read_frame)

T = 10  # seconds: the bound for any single wait on the server


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


def test_upgrade_via_curl_has_rfc_accept_key(echo_server):
    """The handshake answers 101 with the RFC 6455 1.3 example accept value (checked with curl)."""
    r = subprocess.run(["curl", "-sS", "-i", "-N", "--http1.1", "--max-time", "2",
                        "-H", "Connection: Upgrade", "-H", "Upgrade: websocket",
                        "-H", "Sec-WebSocket-Version: 13", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                        echo_server.url("/ws/echo")], capture_output=True, timeout=20)
    assert r.stdout.startswith(b"HTTP/1.1 101"), r.stdout[:200]
    assert b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in r.stdout


def test_echo_text_and_binary(echo_server):
    """Text comes back as text and binary as binary, byte for byte."""
    async def go():
        async with connect(echo_server.ws_url("/ws/echo"), compression=None) as ws:
            await ws.send("héllo wörld ✓")
            assert await asyncio.wait_for(ws.recv(), T) == "héllo wörld ✓"
            blob = os.urandom(70_000)  # 64-bit length path
            await ws.send(blob)
            got = await asyncio.wait_for(ws.recv(), T)
            assert isinstance(got, bytes) and got == blob
            await ws.send("")
            assert await asyncio.wait_for(ws.recv(), T) == ""
    run(go())


def test_fragmented_message_is_reassembled(echo_server):
    """A text message sent in fragments (async iterator) is echoed as the whole message."""
    async def parts():
        for p in ["frag-one ", "frag-two ", "κλμ ", "end"]:
            yield p

    async def go():
        async with connect(echo_server.ws_url("/ws/echo"), compression=None) as ws:
            await ws.send(parts())
            assert await asyncio.wait_for(ws.recv(), T) == "frag-one frag-two κλμ end"
            await ws.send([b"\x00\x01", b"\x02", b"\x03\x04"])
            assert await asyncio.wait_for(ws.recv(), T) == b"\x00\x01\x02\x03\x04"
    run(go())


def test_utf8_split_across_fragments_is_accepted(echo_server):
    """A code point split between two fragments is valid UTF-8 once reassembled."""
    euro = "€".encode()
    with Conn(echo_server.port) as c:
        assert ws_handshake(c, "/ws/echo").status == 101
        c.send(ws_frame(OP_TEXT, b"a" + euro[:1], fin=False) + ws_frame(OP_CONT, euro[1:] + b"b"))
        fin, op, payload = ws_read_frame(c)
        while not fin:  # the server may fragment its echo
            more = ws_read_frame(c)
            fin, payload = more[0], payload + more[2]
        assert (op, payload) == (OP_TEXT, b"a" + euro + b"b")


def test_compression_negotiated_and_large_message_echoed(echo_server):
    """permessage-deflate is negotiated, and a 1 MiB compressible message round-trips."""
    async def go():
        async with connect(echo_server.ws_url("/ws/echo"), compression="deflate", max_size=2**24) as ws:
            assert "permessage-deflate" in ws.response.headers.get("Sec-WebSocket-Extensions", "")
            assert any(isinstance(e, PerMessageDeflate) for e in ws.protocol.extensions)
            text = ("the quick brown fox jumps over the lazy dog " * 25_000)[: 1 << 20]
            await ws.send(text)
            assert await asyncio.wait_for(ws.recv(), T) == text
            await ws.send(b"\x00" * 300_000)
            assert await asyncio.wait_for(ws.recv(), T) == b"\x00" * 300_000
    run(go())


def test_no_compression_when_not_offered(echo_server):
    """Without an offer, the server does not answer with an extension."""
    async def go():
        async with connect(echo_server.ws_url("/ws/echo"), compression=None) as ws:
            assert ws.response.headers.get("Sec-WebSocket-Extensions") is None
            assert ws.protocol.extensions == []
    run(go())


def test_room_broadcast_reaches_all_members_only(echo_server):
    """A text message in a room reaches all 3 members (sender included) and no one in another room."""
    async def go():
        room = echo_server.ws_url("/ws/room/it-alpha")
        other = echo_server.ws_url("/ws/room/it-beta")
        members = [await connect(room, compression=None) for _ in range(3)]
        outsider = await connect(other, compression=None)
        try:
            await members[1].send("to alpha")
            for m in members:
                assert await asyncio.wait_for(m.recv(), T) == "to alpha"
            await outsider.send("beta marker")
            assert await asyncio.wait_for(outsider.recv(), T) == "beta marker", "outsider got alpha's message"
            for m in members:  # and beta's message did not leak into alpha
                await m.send("alpha again")
            for m in members:
                got = [await asyncio.wait_for(m.recv(), T) for _ in range(3)]
                assert got == ["alpha again"] * 3, got
        finally:
            for ws in [*members, outsider]:
                await ws.close()
    run(go())


def test_client_close_1000_is_echoed(echo_server):
    """A client close with 1000 gets a close frame with 1000 back."""
    async def go():
        ws = await connect(echo_server.ws_url("/ws/echo"), compression=None)
        await ws.close(1000, "bye")
        assert ws.protocol.close_rcvd is not None, "server sent no close frame"
        assert ws.protocol.close_rcvd.code == 1000
    run(go())


def test_invalid_utf8_text_closes_1007(echo_server):
    """A text frame that is not UTF-8 is answered with close 1007, then the TCP connection closes."""
    with Conn(echo_server.port) as c:
        assert ws_handshake(c, "/ws/echo").status == 101
        c.send(ws_frame(OP_TEXT, b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited"))
        fin, op, payload = ws_read_frame(c)
        assert op == OP_CLOSE
        assert close_code(payload) == 1007
        c.send(ws_frame(OP_CLOSE, payload[:2]))
        assert c.closed_by_peer()


VIOLATIONS = {
    "unmasked client frame": ws_frame(OP_TEXT, b"hi", mask=False),
    "reserved opcode 3": ws_frame(0x3, b""),
    "RSV2 set": ws_frame(OP_TEXT, b"hi", rsv=2),
    "fragmented ping": ws_frame(OP_PING, b"x", fin=False),
    "ping over 125 bytes": ws_frame(OP_PING, b"x" * 126),
    "continuation without start": ws_frame(OP_CONT, b"x"),
}


@pytest.mark.parametrize("name", list(VIOLATIONS))
def test_protocol_violation_closes_1002(echo_server, name):
    """RFC 6455 framing violations get close 1002."""
    frame = VIOLATIONS[name]
    with Conn(echo_server.port) as c:
        assert ws_handshake(c, "/ws/echo").status == 101
        c.send(frame)
        fin, op, payload = ws_read_frame(c)
        assert op == OP_CLOSE, f"{name}: got opcode {op}"
        assert close_code(payload) == 1002, f"{name}: close code {close_code(payload)}"


def test_ping_gets_pong(echo_server):
    """A ping is answered with a pong carrying the same payload (library and raw)."""
    async def go():
        async with connect(echo_server.ws_url("/ws/echo"), compression=None) as ws:
            waiter = await ws.ping(b"are you there")
            await asyncio.wait_for(waiter, T)
    run(go())
    with Conn(echo_server.port) as c:
        assert ws_handshake(c, "/ws/echo").status == 101
        c.send(ws_frame(OP_PING, b"raw-ping"))
        assert ws_read_frame(c) == (True, OP_PONG, b"raw-ping")


def test_ping_between_fragments_is_answered(echo_server):
    """A control frame interleaved in a fragmented message is answered, and the message still arrives."""
    with Conn(echo_server.port) as c:
        assert ws_handshake(c, "/ws/echo").status == 101
        c.send(ws_frame(OP_TEXT, b"abc", fin=False) + ws_frame(OP_PING, b"mid") + ws_frame(OP_CONT, b"def"))
        assert ws_read_frame(c) == (True, OP_PONG, b"mid")
        fin, op, payload = ws_read_frame(c)
        while not fin:
            more = ws_read_frame(c)
            fin, payload = more[0], payload + more[2]
        assert (op, payload) == (OP_TEXT, b"abcdef")


def test_sigterm_closes_websockets_1001_and_exits_0(fresh_echo_server):
    """SIGTERM: open WebSockets get close 1001 and the process exits 0 within a few seconds."""
    server = fresh_echo_server

    async def go():
        async with connect(server.ws_url("/ws/echo"), compression=None) as ws:
            await ws.send("still here")
            assert await asyncio.wait_for(ws.recv(), T) == "still here"
            os.kill(server.pid, signal.SIGTERM)
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), T)
            assert ws.protocol.close_rcvd is not None, "no close frame before the TCP close"
            assert ws.protocol.close_rcvd.code == 1001
    run(go())
    assert server.proc.wait(timeout=8) == 0, server.log()


@pytest.mark.parametrize("name,extra,expected", [
    ("no key", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n", 400),
    ("version 8", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", 426),
])
def test_bad_handshake_is_refused(echo_server, name, extra, expected):
    """A handshake without a key is 400; an unsupported version is 426 naming version 13 (RFC 6455 4.2.2)."""
    with Conn(echo_server.port) as c:
        c.send(f"GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode())
        resp = c.read_response()
        assert resp.status == expected, f"{name}: {resp.status}"
        if expected == 426:
            assert resp.header("Sec-WebSocket-Version") == "13"


def test_upgrade_on_unknown_path_is_404(echo_server):
    """An upgrade to a path with no WebSocket route is refused with 404, not 101."""
    with Conn(echo_server.port) as c:
        assert ws_handshake(c, "/ws/nowhere").status == 404
