"""Sign-in attacks against the real binary (issue 11, items 2 and 6): a login flood must not
stall other routes, an unknown email must cost what a known one does, concurrent guesses are
all counted, an attacker cannot lock the owner out, and X-Forwarded-For is believed only
from a configured proxy. Each test runs its own server: throttling state is per server."""
import concurrent.futures
import contextlib
import statistics
import tempfile
import threading
import time

import requests

from conftest import CHECKED_SERVERS, PASSWORD, cli, start_server, stop_server

OWNER = "owner@example.test"
ADMIN = "boss@example.test"


@contextlib.contextmanager
def server_with_accounts(*extra):
    """A fresh server (with `extra` options) holding an Agent `OWNER` and an Administrator `ADMIN`."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-signin-") as data_dir:
        for email, role in ((OWNER, "Agent"), (ADMIN, "Administrator")):
            done = cli("user", "add", "--email", email, "--name", role, "--role", role, "--password-stdin",
                       data_dir=data_dir, input_text=PASSWORD + "\n")
            assert done.returncode == 0, done.stderr
        server = start_server(data_dir, *extra)
        # These tests measure latencies and count answers under a flood: the contract checks
        # of every response (conftest) would run inside the measured time, so they are off
        # here (the same routes are checked in the other files).
        CHECKED_SERVERS.discard(server.base_url)
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        try:
            yield server
        finally:
            stop_server(server)


def sign_in(server, email, password, address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    return requests.post(server.url("/api/session"), json={"email": email, "password": password},
                         headers=headers, timeout=60)


def timed_get(session, url):
    started = time.monotonic()
    response = session.get(url, timeout=10)
    return response.status_code, time.monotonic() - started


def sign_in_until_checked(server, email, password, address, deadline):
    """Signs in, waiting out each 429 "busy" answer's Retry-After, until the password is
    checked (401 or 200). Returns the final response and how many 429s came first."""
    busy = 0
    while True:
        response = sign_in(server, email, password, address)
        if response.status_code != 429 or time.monotonic() > deadline:
            return response, busy
        assert int(response.headers["Retry-After"]) >= 1
        busy += 1
        time.sleep(int(response.headers["Retry-After"]))


def test_a_login_flood_does_not_stall_other_routes():
    """200 failed sign-ins from 10 addresses (within the throttle's limits, every client
    honouring Retry-After): all 200 passwords are checked while /healthz and the ticket list
    keep answering within 100 ms (99% of probes; every one within a second); sign-ins beyond
    the hashing queue get 429 with Retry-After instead of waiting in line."""
    with server_with_accounts("--trusted-proxy", "127.0.0.1") as server:
        agent = requests.Session()
        assert agent.post(server.url("/api/session"), json={"email": ADMIN, "password": PASSWORD}, timeout=30).status_code == 200
        stop = threading.Event()
        latencies = []

        def probe():
            while not stop.is_set():
                for path in ("/healthz", "/api/tickets?limit=20"):
                    status, seconds = timed_get(agent, server.url(path))
                    assert status == 200
                    latencies.append(seconds)
                time.sleep(0.02)

        prober = threading.Thread(target=probe)
        prober.start()
        deadline = time.monotonic() + 240
        attempts = [(f"nobody{i}@example.test", f"10.0.0.{i % 10 + 1}") for i in range(200)]
        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
                results = list(pool.map(lambda a: sign_in_until_checked(server, a[0], "wrong password", a[1], deadline), attempts))
        finally:
            stop.set()
            prober.join()
        statuses = [response.status_code for response, _ in results]
        busy = sum(count for _, count in results)
        assert statuses == [401] * 200, statuses
        assert busy > 0, "20 clients at once must overflow the hashing queue"
        assert len(latencies) >= 20
        print(f"flood: 200 checked after {busy} busy answers; other routes: median "
              f"{statistics.median(latencies) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms over {len(latencies)} requests")
        # Before the hashing executor the slowest probe waited 9.2 s (25 s in the issue). A
        # loaded 2-core machine can delay a single probe for scheduling reasons of its own,
        # so the bound is on 99% of them; none may come near the old stall.
        within = sum(1 for seconds in latencies if seconds < 0.1) / len(latencies)
        assert within >= 0.99, f"only {within:.1%} of probes answered within 100 ms"
        assert max(latencies) < 1.0, f"slowest probe {max(latencies) * 1000:.0f} ms"


def test_an_unknown_email_costs_as_much_as_a_wrong_password():
    """Sign-in time does not reveal whether an account exists: one hash either way (before,
    an unknown email cost two). The fastest of many alternating samples is compared, since
    a shared machine only ever adds delay."""
    with server_with_accounts("--trusted-proxy", "127.0.0.1") as server:
        samples = {OWNER: [], "nobody@example.test": []}
        for i in range(15):
            order = list(samples.items()) if i % 2 == 0 else list(reversed(samples.items()))
            for email, times in order:
                started = time.monotonic()
                assert sign_in(server, email, "wrong password", f"10.1.{i}.{len(times) + 1}").status_code == 401
                times.append(time.monotonic() - started)
        known, unknown = min(samples[OWNER]), min(samples["nobody@example.test"])
        print(f"fastest: known {known * 1000:.0f} ms, unknown {unknown * 1000:.0f} ms")
        assert 0.67 < unknown / known < 1.5


def test_concurrent_guesses_are_all_counted():
    """40 wrong guesses at once for one account from one address: exactly five are checked."""
    with server_with_accounts() as server:
        with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
            statuses = list(pool.map(lambda _: sign_in(server, OWNER, "wrong password").status_code, range(40)))
        assert statuses.count(401) == 5 and statuses.count(429) == 35, statuses


def test_an_attacker_cannot_lock_the_owner_out():
    """Guesses from one address delay only that address; the owner signs in from theirs, and an
    administrator's password reset clears the delay at once."""
    with server_with_accounts("--trusted-proxy", "127.0.0.1") as server:
        assert sign_in(server, OWNER, PASSWORD, "192.0.2.10").status_code == 200
        for _ in range(10):
            assert sign_in(server, OWNER, "wrong password", "203.0.113.66").status_code in (401, 429)
        assert sign_in(server, OWNER, PASSWORD, "203.0.113.66").status_code == 429
        assert sign_in(server, OWNER, PASSWORD, "192.0.2.10").status_code == 200
        assert sign_in(server, OWNER, PASSWORD, "198.51.100.7").status_code == 200
        # Twenty-five guesses from many addresses delay the account for unknown addresses only.
        for i in range(25):
            sign_in(server, OWNER, "wrong password", f"203.0.113.{100 + i}")
        assert sign_in(server, OWNER, PASSWORD, "198.51.100.99").status_code == 429
        assert sign_in(server, OWNER, PASSWORD, "192.0.2.10").status_code == 200
        # The administrator's reset clears every delay of the account.
        admin = requests.Session()
        me = admin.post(server.url("/api/session"), json={"email": ADMIN, "password": PASSWORD}, timeout=30).json()
        owner_id = next(a["id"] for a in admin.get(server.url("/api/agents"), timeout=10).json() if a["email"] == OWNER)
        reset = admin.put(server.url(f"/api/agents/{owner_id}/password"), json={"password": "a fresh passphrase now"},
                          headers={"X-CSRF-Token": me["csrfToken"]}, timeout=30)
        assert reset.status_code == 204
        assert sign_in(server, OWNER, "a fresh passphrase now", "203.0.113.66").status_code == 200


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy():
    """Without --trusted-proxy every request is its socket's address, whatever it claims."""
    with server_with_accounts() as server:
        for i in range(5):
            assert sign_in(server, OWNER, "wrong password", f"10.9.9.{i + 1}").status_code == 401
        assert sign_in(server, OWNER, PASSWORD, "10.9.9.200").status_code == 429
    with server_with_accounts("--trusted-proxy", "127.0.0.1/32,::1") as server:
        for i in range(5):
            assert sign_in(server, OWNER, "wrong password", "10.9.9.1").status_code == 401
        assert sign_in(server, OWNER, PASSWORD, "10.9.9.1").status_code == 429
        # The proxy appends the address it saw; whatever the client wrote before it is ignored.
        assert sign_in(server, OWNER, PASSWORD, "10.9.9.77, 10.9.9.1").status_code == 429
        assert sign_in(server, OWNER, PASSWORD, "10.9.9.1, 10.9.9.2").status_code == 200


def test_password_checks_are_throttled_like_sign_ins():
    """PUT /api/agents/{id}/password checks currentPassword: wrong ones are counted and delayed."""
    with server_with_accounts() as server:
        owner = requests.Session()
        me = owner.post(server.url("/api/session"), json={"email": OWNER, "password": PASSWORD}, timeout=30).json()
        path = server.url(f"/api/agents/{me['agent']['id']}/password")
        headers = {"X-CSRF-Token": me["csrfToken"]}
        statuses = [owner.put(path, json={"currentPassword": f"guess number {i}", "password": "a brand new passphrase"},
                              headers=headers, timeout=30).status_code for i in range(8)]
        assert statuses[:5] == [422] * 5 and statuses[5:] == [429] * 3, statuses


def test_a_bad_trusted_proxy_option_is_a_usage_error(tmp_path):
    done = cli("serve", "--trusted-proxy", "10.0.0.0/40", data_dir=tmp_path)
    assert done.returncode == 2 and "--trusted-proxy" in done.stderr
