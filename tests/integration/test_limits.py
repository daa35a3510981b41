"""Resource exhaustion against the real realtime-echo: running out of file descriptors,
and WebSocket limits seen by a real client library (Python `websockets`)."""
from __future__ import annotations

import os
import time
import zlib

from conftest import start_server
from wire import OP_CLOSE, OP_TEXT, Conn, close_code, get, ws_frame, ws_handshake, ws_read_frame

FD_LIMIT = 48


def test_accepting_resumes_after_running_out_of_descriptors(bins):
    """EMFILE pauses accepting (logged), and accepting resumes once descriptors are free again."""
    server = start_server(
        "realtime-echo",
        lambda p: ["prlimit", f"--nofile={FD_LIMIT}:{FD_LIMIT}", "--",
                   str(bins / "realtime-echo"), "--port", str(p), "--host", "127.0.0.1", "--loops", "1"],
        r"realtime-echo listening on http://")
    conns: list[Conn] = []
    try:
        # prlimit execs the server in place, so the pid we hold is the server's.
        base = len(os.listdir(f"/proc/{server.pid}/fd"))
        capacity = FD_LIMIT - base
        assert capacity > 10
        # The kernel completes every handshake into the listen backlog; the server accepts
        # them in order until it runs out of descriptors.
        conns = [Conn(server.port) for _ in range(capacity + 10)]
        for c in conns:
            c.send(get("/hello"))
        # (A few below the capacity: the runtime may open a descriptor of its own meanwhile.)
        for c in conns[:capacity - 5]:
            assert c.read_response().status == 200
        deadline = time.monotonic() + 10  # watchdog for the log line, not a wait for time to pass
        while "accept failed" not in server.log() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "Too many open files" in server.log(), server.log()
        # Free 15 descriptors: the connections still in the backlog get accepted and answered.
        for c in conns[:15]:
            c.close()
        for c in conns[capacity - 5:]:
            assert c.read_response().status == 200
    finally:
        for c in conns:
            c.close()
        server.terminate()


def _status_kib(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def test_unfinished_compressed_messages_hold_bounded_memory(bins):
    """Issue 11 item 3: 20 unfinished 15 KB compressed messages that would inflate to 15 MiB
    each are failed with 1009 at the inflated limit; the server's peak RSS stays far below 300 MB."""
    server = start_server(
        "realtime-echo",
        lambda p: [str(bins / "realtime-echo"), "--port", str(p), "--host", "127.0.0.1", "--loops", "1"],
        r"realtime-echo listening on http://")
    conns: list[Conn] = []
    try:
        before = _status_kib(server.pid, "VmHWM")
        deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
        bomb = deflater.compress(b"\0" * (15 << 20)) + deflater.flush(zlib.Z_SYNC_FLUSH)
        assert bomb.endswith(b"\x00\x00\xff\xff") and len(bomb) < 20_000
        frame = ws_frame(OP_TEXT, bomb[:-4], fin=False, rsv=4)  # RSV1: compressed (RFC 7692)
        for _ in range(20):
            c = Conn(server.port)
            assert ws_handshake(c, "/ws/echo", "Sec-WebSocket-Extensions: permessage-deflate\r\n").status == 101
            c.send(frame)
            conns.append(c)
        for c in conns:
            fin, opcode, payload = ws_read_frame(c)
            assert (opcode, close_code(payload)) == (OP_CLOSE, 1009)
        grown_mib = (_status_kib(server.pid, "VmHWM") - before) / 1024
        assert grown_mib < 100, f"peak RSS grew by {grown_mib:.0f} MiB"
    finally:
        for c in conns:
            c.close()
        server.terminate()
