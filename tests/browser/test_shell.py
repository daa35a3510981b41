"""Sign-in, the app shell, routing, security headers and escaping."""
import re

import requests
from playwright.sync_api import expect

from conftest import app_module, login, screenshot, watched_page, ADMIN, PASSWORD


def test_app_urls_serve_the_app_with_a_strict_content_security_policy(server):
    """Any app URL answers index.html with CSP, nosniff and referrer policy; unknown API paths stay JSON 404s."""
    page = requests.get(server.url("/tickets/42?status=open"), headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assert re.search(r'<script type="module" src="/assets/[0-9a-f]{16}/app/main.js">', page.text)
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    missing = requests.get(server.url("/api/no-such-thing"), headers={"Accept": "text/html"}, timeout=10)
    assert missing.status_code == 404 and missing.headers["Content-Type"].startswith("application/problem+json")
    assert requests.get(server.url("/healthz"), timeout=10).headers["Content-Type"].startswith("application/json")


def test_signing_in_leads_to_the_page_asked_for(page):
    """An anonymous visit goes to the login page, a wrong password is refused, then the agent lands where they were going."""
    page.goto("/tickets?priority=urgent")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    screenshot(page, "login")
    page.get_by_label("Email").fill(ADMIN)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/tickets\?priority=urgent$"))
    expect(page.get_by_label("Priority", exact=True)).to_have_value("urgent")


def test_shell_offers_navigation_search_notifications_and_sign_out(page):
    """The shell has the nav, an honest empty notification area, keyboard shortcuts and a working sign-out."""
    login(page)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Tickets")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Settings")).to_be_visible()
    page.get_by_role("button", name="Notifications").click()
    expect(page.get_by_role("region", name="Notifications")).to_contain_text("No notifications")
    page.keyboard.press("Escape")
    expect(page.get_by_role("region", name="Notifications")).to_be_hidden()
    page.locator("body").press("/")
    expect(page.get_by_role("combobox", name="Search tickets")).to_be_focused()
    page.get_by_role("combobox", name="Search tickets").press("Escape")
    page.locator("h1").click()
    page.keyboard.press("c")
    expect(page).to_have_url(re.compile(r"/tickets/new$"))
    page.get_by_role("button", name="Ada Admin").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/tickets")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_the_html_template_escapes_every_interpolated_value(page):
    """`html` escapes text and attributes; nested templates stay markup; user text never becomes an element."""
    login(page)
    result = page.evaluate("""async () => {
        const { html, escape } = await import(""" + app_module("app/html.js") + """);
        const evil = `<img src=x onerror="alert(1)">'&`;
        return {
            text: html`<p>${evil}</p>`.toString(),
            attribute: html`<a title="${evil}">x</a>`.toString(),
            nested: html`<ul>${[1, 2].map((n) => html`<li>${n}</li>`)}</ul>`.toString(),
            empty: html`<b>${null}${undefined}${false}</b>`.toString(),
            escape: escape('"`'),
        };
    }""")
    assert result["text"] == "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;</p>"
    assert result["attribute"] == '<a title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;">x</a>'
    assert result["nested"] == "<ul><li>1</li><li>2</li></ul>"
    assert result["empty"] == "<b></b>"
    assert result["escape"] == "&quot;&#96;"


def test_a_hostile_subject_is_shown_as_text(page, api_as):
    """A ticket whose subject is markup shows the literal text in the list and on the ticket page."""
    evil = '<img src=x onerror="window.pwned=1">Printer on fire'
    created = api_as().post("/api/tickets", json={"subject": evil, "requester": {"email": "mallory@example.org", "name": "<b>Mallory</b>"}})
    assert created.status_code == 201, created.text
    ticket = created.json()
    login(page, path=f"/tickets?q=Printer")
    row = page.get_by_role("row").filter(has_text=ticket["reference"])
    expect(row.get_by_role("link", name=evil)).to_be_visible()
    expect(row).to_contain_text("<b>Mallory</b>")
    assert row.locator("img").count() == 0
    row.get_by_role("link", name=ticket["reference"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(evil)
    assert page.evaluate("window.pwned") is None


def test_a_warm_load_asks_for_no_module_stylesheet_or_icon(page):
    """The second load of a page takes every versioned file from the browser's cache (no request,
    not even a 304) and asks the server only for the page and its data."""
    login(page)
    page.goto("/tickets")
    expect(page.locator("hd-ticket-table tbody tr").first).to_be_visible()
    resources = page.evaluate("""() => performance.getEntriesByType('resource')
        .map((entry) => ({ path: new URL(entry.name).pathname, transferred: entry.transferSize }))""")
    assets = [r for r in resources if r["path"].startswith("/assets/")]
    assert len(assets) >= 40, resources
    assert [r for r in assets if r["transferred"] != 0] == []
    assert not [r for r in resources if r["path"].startswith("/static/")]
    assert [r for r in resources if r["path"].startswith("/api/tickets") and r["transferred"] > 0]


def test_a_page_of_a_replaced_version_reloads_when_it_opens_a_screen_it_had_not_loaded(page):
    """After a deploy the old version's files answer 404: a screen loaded on first use then reloads
    the page, which comes back whole in the version the server serves, at the same address."""
    login(page)
    page.evaluate("window.beforeTheDeploy = true")
    gone = lambda route: route.fulfill(status=404, headers={"Cache-Control": "no-store"}, body="")
    page.route("**/assets/*/components/hd-board.js", gone, times=1)
    page.route("**/assets/*/app/app-version.js", gone, times=1)
    with page.expect_event("load"):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Board").click()
    expect(page).to_have_url(re.compile(r"/board$"))
    expect(page.locator("hd-board")).to_be_visible()
    assert page.evaluate("window.beforeTheDeploy") is None


def test_a_page_reloads_once_per_version_and_then_shows_the_refusal(browser, server):
    """Should the reloaded page meet the same 404 (two versions behind one balancer), it reports
    the error instead of reloading again."""
    errors = []
    page = watched_page(browser, server, errors)
    login(page)
    gone = lambda route: route.fulfill(status=404, headers={"Cache-Control": "no-store"}, body="")
    page.route("**/assets/*/components/hd-board.js", gone)
    # Its HEAD only: the reloaded page imports the module itself again.
    page.route("**/assets/*/app/app-version.js", lambda route: gone(route) if route.request.method == "HEAD" else route.continue_())
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    with page.expect_event("pageerror"):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Board").click()
    assert len(loads) == 1 and loads[0].endswith("/board")
    page.context.close()


def test_the_guide_shows_its_screenshots_from_the_app_version(page):
    """A guide article's images load from beside the guide's module, under the page's version."""
    login(page)
    page.goto("/help/auto-assignment")
    image = page.locator("hd-help img").first
    expect(image).to_be_visible()
    assert re.match(r"/assets/[0-9a-f]{16}/guide/images/assignment-rules\.png$", image.get_attribute("src"))
    page.wait_for_function("document.querySelector('hd-help img').naturalWidth > 0")
