"""The binary alone is an install: copied to an empty folder and started from another
working directory (no source tree, no static/ folder anywhere near it), it reports its
version, says what it serves the app from, and Chromium loads and signs in to the app."""
import pathlib
import shutil
import subprocess
import tempfile
import threading
import time

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, api_fixtures

EMAIL = "installed@example.test"


def test_the_binary_alone_serves_the_app_from_any_folder(browser):
    with tempfile.TemporaryDirectory(prefix="helpdesk-install-") as root:
        root = pathlib.Path(root)
        (root / "bin").mkdir()
        (root / "elsewhere").mkdir()
        binary = root / "bin" / "helpdesk"
        shutil.copy2(api_fixtures.BINARY, binary)
        assert sorted(p.name for p in (root / "bin").iterdir()) == ["helpdesk"]
        cwd, data = root / "elsewhere", root / "data"

        version = subprocess.run([str(binary), "--version"], cwd=cwd, capture_output=True, text=True, timeout=30)
        assert version.returncode == 0, version.stderr
        assert version.stdout.startswith("helpdesk ") and "database schema version " in version.stdout

        added = subprocess.run([str(binary), "user", "add", "--email", EMAIL, "--name", "Ines Installed", "--role",
                                "Administrator", "--password-stdin", "--data", str(data)],
                               cwd=cwd, input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
        assert added.returncode == 0, added.stderr

        port = api_fixtures.free_port()
        process = subprocess.Popen([str(binary), "serve", "--port", str(port), "--data", str(data)], cwd=cwd,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            lines = []
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not any("browser app served from" in line for line in lines):
                line = process.stdout.readline()
                if not line:
                    break
                lines.append(line)
            assert any("listening on" in line for line in lines), lines
            assert any("browser app served from the copy built into this binary" in line for line in lines), lines
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()

            context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto("/tickets")
            expect(page.get_by_role("heading", name="Sign in to the help desk")).to_be_visible()
            page.get_by_label("Email").fill(EMAIL)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("navigation", name="Main")).to_be_visible()
            expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Tickets")).to_be_visible()
            context.close()
            assert errors == [], errors
        finally:
            process.terminate()
            process.wait(timeout=15)


def test_the_shipped_systemd_unit_verifies():
    """packaging/helpdesk.service passes `systemd-analyze verify` (its ExecStart pointed at this build)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    unit = (pathlib.Path(__file__).resolve().parents[2] / "packaging" / "helpdesk.service").read_text()
    assert "ExecStart=/usr/local/bin/helpdesk serve" in unit and "ProtectSystem=strict" in unit
    with tempfile.TemporaryDirectory(prefix="helpdesk-unit-") as folder:
        path = pathlib.Path(folder) / "helpdesk.service"
        path.write_text(unit.replace("/usr/local/bin/helpdesk", str(api_fixtures.BINARY)))
        verified = subprocess.run([analyze, "verify", str(path)], capture_output=True, text=True, timeout=60)
        assert verified.returncode == 0 and verified.stderr.strip() == "", verified.stderr
