"""Issue 16, first run, on a server of its own with no agent at all: visitors land on the setup
page, which says where its link is; the new administrator is signed in and sees the
getting-started checklist; empty presets say something positive; the account's name is the
tab title and its logo shows in the header."""
import re
import struct
import tempfile
import threading
import zlib

import pytest
from playwright.sync_api import expect

from conftest import api_fixtures, screenshot


def png(width=40, height=20, rgb=(200, 40, 40)):
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture
def fresh_server():
    """A server on an empty data folder: no agent, so it logs a one-time setup link."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-first-run-") as data_dir:
        running = api_fixtures.start_server(data_dir)
        link = ""
        for _ in range(5):  # the link is logged right after "listening on"
            link = running.process.stdout.readline()
            if "no administrator yet" in link:
                break
        running.setup_token = re.search(r"/setup\?token=([0-9a-f]+) ", link).group(1)
        threading.Thread(target=lambda: [None for _ in running.process.stdout], daemon=True).start()
        yield running
        api_fixtures.stop_server(running)


def test_a_server_without_an_administrator_leads_to_setup_then_a_signed_in_welcome(browser, fresh_server):
    """/tickets on an empty server shows the setup page; the token from the log creates the administrator, who lands signed in on the checklist."""
    context = browser.new_context(base_url=fresh_server.base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto("/tickets")
        expect(page.get_by_role("heading", name="Set up the help desk")).to_be_visible()
        expect(page).to_have_url(re.compile(r"/setup$"))
        expect(page.locator(".setup-where")).to_contain_text("server's log")
        expect(page.locator(".setup-where")).to_contain_text("no administrator yet")
        screenshot(page, "day-setup")
        page.get_by_label("Setup token").fill(fresh_server.setup_token)
        page.get_by_label("Your name").fill("Fran First")
        page.get_by_label("Email").fill("fran@example.test")
        page.get_by_label(re.compile("^Password")).fill("a long enough password")
        page.get_by_role("button", name="Create administrator").click()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        expect(page).to_have_url(re.compile(r"/tickets$"))
        welcome = page.locator(".getting-started")
        expect(welcome).to_contain_text("Welcome! Your help desk has no tickets yet")
        expect(welcome.get_by_role("link", name="Create your first ticket")).to_have_attribute("href", "/tickets/new")
        expect(welcome.get_by_role("link", name="Invite your team")).to_have_attribute("href", "/settings/users")
        expect(page.get_by_text("No tickets match this view")).to_have_count(0)
        screenshot(page, "day-getting-started")

        page.get_by_role("link", name="My open tickets").click()
        expect(page.locator(".good-news")).to_contain_text("Nothing open on your plate")
        page.get_by_role("link", name="SLA breaching").click()
        expect(page.locator(".good-news")).to_contain_text("Every SLA target is on track")

        client = api_fixtures.Client(fresh_server, "fran@example.test", "a long enough password")
        assert client.patch("/api/account", json={"name": "Acme Support"}).status_code == 200
        logo = client.put("/api/account/logo", data=png(), headers={"Content-Type": "image/png"})
        assert logo.status_code == 200, logo.text
        page.reload()
        expect(page).to_have_title("Tickets · Acme Support")
        brand = page.locator(".topbar .brand")
        expect(brand).to_contain_text("Acme Support")
        expect(brand.locator("img.brand-logo")).to_have_attribute("src", re.compile(r"^/api/account/logo\?v=\d+$"))
        page.wait_for_function("document.querySelector('.brand-logo').naturalWidth === 40")
        screenshot(page, "day-brand-and-title")
        assert errors == []
    finally:
        context.close()
