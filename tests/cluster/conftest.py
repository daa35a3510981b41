"""Fixtures for the two-node tests (issue 18 point 3): two `helpdesk serve` processes on two
ports, one PostgreSQL database, one shared data folder.

Needs HELPDESK_TEST_DATABASE, a PostgreSQL server URL (`scripts/pg-cluster start` prints one;
`scripts/test --postgres` sets it); every test is skipped with that reason without it."""
import pathlib
import sys
import tempfile

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from cluster_support import BINARY, Agent, Desk, Mailbin, pg_databases  # noqa: E402

ROLES = {"Administrator": "admin@example.test", "Supervisor": "supervisor@example.test",
         "Agent": "agent@example.test", "Agent 2": "agent2@example.test"}


def new_desk(data_dir):
    """A desk with one person per role, created through the CLI on the shared database."""
    if not pg_databases.SERVER:
        pytest.skip("several nodes need PostgreSQL: set HELPDESK_TEST_DATABASE to a server URL "
                    "(`scripts/pg-cluster start` prints one; `scripts/test --postgres` does it all)")
    assert BINARY.exists(), f"build first: {BINARY} is missing"
    desk = Desk(data_dir)
    for role, email in ROLES.items():
        desk.add_user(email, role.split(" ")[0], name=f"{role} Person")
    return desk


@pytest.fixture(scope="module")
def desk():
    """Nodes A and B, both up, on a database of the module's own."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-cluster-") as data_dir:
        desk = new_desk(data_dir)
        desk.start("A")
        desk.start("B")
        yield desk
        desk.stop()


@pytest.fixture()
def fresh_desk():
    """A desk of the test's own with no node started yet (tests that kill or race nodes)."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-cluster-") as data_dir:
        desk = new_desk(data_dir)
        yield desk
        desk.stop()


@pytest.fixture(scope="module")
def nodes(desk):
    a, b = desk.nodes[:2]
    return a, b


@pytest.fixture()
def sign_in(desk):
    """`sign_in("Agent", node)`: that role's person, signed in on `node` (A by default)."""
    return lambda role, node=None: Agent(node or desk.nodes[0], ROLES[role])


@pytest.fixture()
def mailbin(tmp_path):
    server = Mailbin(tmp_path).start()
    yield server
    server.stop()
