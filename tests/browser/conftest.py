"""Fixtures for browser tests: the real `helpdesk serve` on a temporary data folder with
an Administrator and an Agent (created through `helpdesk user add`) and the demo data,
driven by Playwright through Debian's Chromium."""
import importlib.util
import pathlib
import tempfile
import threading

import pytest
from playwright.sync_api import sync_playwright, expect

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
_spec = importlib.util.spec_from_file_location("api_fixtures", ROOT / "tests" / "api" / "conftest.py")
api_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_fixtures)

PASSWORD = api_fixtures.PASSWORD
ADMIN = "admin@example.test"
AGENT = "agent@example.test"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def server():
    """A running helpdesk with demo data, an Administrator and an Agent."""
    assert api_fixtures.BINARY.exists(), f"build first: {api_fixtures.BINARY} is missing (or set HELPDESK_BIN)"
    with tempfile.TemporaryDirectory(prefix="helpdesk-browser-") as data_dir:
        for role, email, name in (("Administrator", ADMIN, "Ada Admin"), ("Agent", AGENT, "Alex Agent")):
            done = api_fixtures.cli("user", "add", "--email", email, "--name", name, "--role", role,
                                    "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
            assert done.returncode == 0, done.stderr
        done = api_fixtures.cli("demo", data_dir=data_dir)
        assert done.returncode == 0, done.stderr
        running = api_fixtures.start_server(data_dir)
        threading.Thread(target=lambda: [None for _ in running.process.stdout], daemon=True).start()
        yield running
        api_fixtures.stop_server(running)


@pytest.fixture
def api_as(server):
    """`api_as(email)`: a logged-in requests client (cookie + CSRF) for checking results."""
    return lambda email=ADMIN: api_fixtures.Client(server, email)


@pytest.fixture(scope="module")
def module_api_as(server):
    """Like `api_as`, but one signed-in client per agent for the whole module: every sign-in
    from 127.0.0.1 counts against the server's sign-in throttle, and a module that signs in
    for every step reaches it. A module opts in by defining `api_as` from this fixture."""
    clients = {}

    def client(email=ADMIN):
        if email not in clients:
            clients[email] = api_fixtures.Client(server, email)
        return clients[email]
    return client


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def watched_page(browser, server, errors, viewport=None):
    """A page in a fresh context whose script errors and CSP violations land in `errors`."""
    context = browser.new_context(base_url=server.base_url, viewport=viewport or {"width": 1280, "height": 900})
    # Messages post at once unless a test turns "Undo send" on (its own tests do): the
    # window is the agent's preference, and waiting it out in every test proves nothing.
    context.add_init_script("if (localStorage.getItem('hd.undoSendSeconds') === null) localStorage.setItem('hd.undoSendSeconds', '0')")
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    return page


@pytest.fixture
def page(browser, server):
    """A fresh browser context; fails the test on any uncaught script error or CSP violation."""
    errors = []
    page = watched_page(browser, server, errors)
    yield page
    page.context.close()
    assert errors == [], errors


@pytest.fixture
def second_page(browser, server):
    """Another agent's browser: its own context (cookies), checked like `page`."""
    errors = []
    page = watched_page(browser, server, errors)
    yield page
    page.context.close()
    assert errors == [], errors


def without_live(page):
    """Keeps the page's live socket silent (a mock that never says hello): the REST guards alone."""
    page.route_web_socket("**/api/live", lambda ws: None)


def login(page, email=ADMIN, path="/tickets"):
    """Opens `path`, signs in on the login page it leads to, and waits for the app."""
    page.goto(path)
    expect(page.get_by_role("heading", name="Sign in to the help desk")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def app_module(path):
    """A JavaScript expression for the URL of the app's module `path` (below static/) under the
    version the page loaded (its first module script names it), so a test's import() gets the
    page's own module instance, not a second copy from another URL."""
    return f"new URL('../{path}', document.querySelector('script[type=module]').src).href"


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
