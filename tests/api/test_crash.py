"""kill -9 during writes: the database stays intact and every acknowledged write survives."""
import signal
import tempfile
import threading
import time

import requests

from conftest import PASSWORD, cli, start_server, pg_databases

ROUNDS = 4


def hammer(server, acknowledged, stop):
    """Creates API tokens until the server dies; records the id of every 201."""
    session = requests.Session()
    try:
        login = session.post(server.url("/api/session"), json={"email": "crash@example.test", "password": PASSWORD}, timeout=10)
    except requests.RequestException:
        return  # killed before this writer signed in
    session.headers["X-CSRF-Token"] = login.json()["csrfToken"]
    n = 0
    while not stop.is_set():
        n += 1
        try:
            response = session.post(server.url("/api/tokens"), json={"name": f"write {n}"}, timeout=5)
        except requests.RequestException:
            return
        if response.status_code == 201:
            acknowledged.append(response.json()["token"]["id"])


def test_kill_9_during_writes_loses_nothing_acknowledged():
    with tempfile.TemporaryDirectory(prefix="helpdesk-crash-") as data_dir:
        assert cli("user", "add", "--email", "crash@example.test", "--name", "Crash", "--role", "Agent", "--password-stdin",
                   data_dir=data_dir, input_text=PASSWORD + "\n").returncode == 0
        acknowledged = []
        for round_number in range(ROUNDS):
            server = start_server(data_dir)
            threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
            stop = threading.Event()
            writers = [threading.Thread(target=hammer, args=(server, acknowledged, stop)) for _ in range(3)]
            for writer in writers:
                writer.start()
            time.sleep(0.4 + 0.2 * round_number)  # let writes pile up, at a different moment each round
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(timeout=10)
            stop.set()
            for writer in writers:
                writer.join(timeout=10)
            database = pg_databases.connect(data_dir, readonly=False)
            try:
                if not pg_databases.is_postgres():  # PostgreSQL has no file check to ask for
                    assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                stored = {row[0] for row in database.execute("SELECT id FROM api_tokens")}
            finally:
                database.close()
            lost = set(acknowledged) - stored
            assert not lost, f"round {round_number}: acknowledged writes lost: {sorted(lost)[:10]}"
        assert len(acknowledged) > ROUNDS * 5, "too few writes to prove anything"
        # The server starts again on the same data and serves the survivors.
        server = start_server(data_dir)
        try:
            session = requests.Session()
            login = session.post(server.url("/api/session"), json={"email": "crash@example.test", "password": PASSWORD}, timeout=10)
            assert login.status_code == 200
            listed = {t["id"] for t in session.get(server.url("/api/tokens"), timeout=10).json()}
            assert set(acknowledged) <= listed
        finally:
            server.process.kill()
            server.process.wait()
