"""Issue 16, layouts: every main screen at 1280 and 390 px with no sideways scrolling and no
control off screen (asserted from element boxes), screenshots of each at both sizes, the
list's density toggle and column chooser, cards on a phone, board cards that fit."""
import re

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, SCREENSHOTS, login


@pytest.fixture(scope="module")
def api_as(module_api_as):
    """One signed-in client per agent for the whole module (conftest's `module_api_as`)."""
    return module_api_as


WIDTHS = (1280, 390)

# Every visible control or text block whose box leaves the viewport sideways. Skipped:
# invisible boxes, visually-hidden text, and what a scroller of its own clips on purpose.
OFFSCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
    const s = getComputedStyle(p); if (['auto', 'scroll', 'hidden'].includes(s.overflowX) && p !== document.body && p !== document.documentElement) return true; }
    return false; };
  const out = [];
  for (const el of document.querySelectorAll('main *, header *, dialog *, .undo-bar')) {
    if (!el.matches('a, button, input, select, textarea, h1, h2, h3, p, li, td, th, label, .board-card, .card, article')) continue;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || el.closest('.visually-hidden, [hidden]')) continue;
    if (s.position === 'absolute' && r.right < 0) continue;
    if (clipped(el)) continue;
    if (r.left < -1 || r.right > width + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return { width, scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 10) };
}"""


def assert_fits(page, name):
    result = page.evaluate(OFFSCREEN)
    assert result["scrollWidth"] <= result["width"], f"{name}: scrolls sideways {result}"
    assert result["out"] == [], f"{name}: off screen {result['out']}"


def shoot(page, name, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"day-{name}-{width}.png"), full_page=True)


@pytest.fixture
def sized(browser, server):
    """`sized(width)`: a signed-in Administrator's page at that width (phone height at 390)."""
    contexts = []

    def make(width):
        context = browser.new_context(base_url=server.base_url, viewport={"width": width, "height": 844 if width < 600 else 900})
        context.add_init_script("localStorage.setItem('hd.undoSendSeconds', '0')")
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        login(page, ADMIN, path="/tickets")
        return page
    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_main_screen_fits_its_width(sized, width, api_as):
    """Tickets (filters open), a ticket, new ticket, board, reports, settings and preferences: nothing scrolls sideways or sits off screen."""
    ticket = api_as().post("/api/tickets", json={"subject": "Layout check with a rather long subject line to wrap on a phone",
                                                 "description": "Layout.", "tags": ["layout", "phone"],
                                                 "requester": {"email": "lee@example.org", "name": "Lee Layout"}}).json()
    page = sized(width)
    expect(page.locator("hd-ticket-table tbody tr").first).to_be_visible()
    assert_fits(page, "tickets")
    shoot(page, "tickets", width)
    page.get_by_role("button", name=re.compile(r"^Filters")).click()
    assert_fits(page, "tickets with filters")
    shoot(page, "tickets-filters", width)
    screens = [(f"/tickets/{ticket['id']}", "ticket", lambda: expect(page.locator("hd-timeline li").first).to_be_visible()),
               ("/tickets/new", "new-ticket", lambda: expect(page.get_by_label("Subject")).to_be_visible()),
               ("/board", "board", lambda: expect(page.locator(".board-card").first).to_be_visible()),
               ("/reports", "reports", lambda: expect(page.get_by_role("heading", level=1)).to_be_visible()),
               ("/settings/users", "settings-users", lambda: expect(page.get_by_role("heading", name="Users")).to_be_visible()),
               ("/preferences", "preferences", lambda: expect(page.get_by_role("heading", name="Help Desk")).to_be_visible())]
    for path, name, ready in screens:
        page.goto(path)
        ready()
        page.wait_for_load_state("networkidle")
        assert_fits(page, name)
        shoot(page, name, width)
    assert page.errors == []


def test_list_rows_turn_into_cards_on_a_phone_and_board_cards_fit(sized):
    """At 390 px each ticket is a card as wide as the screen (no table header shown); each board card fits its column."""
    page = sized(390)
    row = page.locator("hd-ticket-table tbody tr").first
    expect(row).to_be_visible()
    assert row.evaluate("r => getComputedStyle(r).display") == "grid"
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.locator("hd-ticket-table thead").bounding_box()["height"] <= 1
    expect(row.locator("td.col-status")).to_contain_text(re.compile(r"\w"))
    page.goto("/board")
    expect(page.locator(".board-card").first).to_be_visible()
    fits = page.evaluate("""() => [...document.querySelectorAll('.board-card')].slice(0, 40).every((card) => {
      const c = card.getBoundingClientRect(); const col = card.closest('.board-column').getBoundingClientRect();
      return c.left >= col.left - 1 && c.right <= col.right + 1 && c.right <= innerWidth + 1; })""")
    assert fits


def test_density_toggle_and_column_chooser_are_kept(sized):
    """Comfortable rows are taller than compact ones; adding the Category column shows it; both survive a reload; 1280 px still fits."""
    page = sized(1280)
    row = page.locator("hd-ticket-table tbody tr").first
    expect(row).to_be_visible()
    compact = row.bounding_box()["height"]
    page.get_by_role("button", name="Comfortable").click()
    expect(page.get_by_role("button", name="Comfortable")).to_have_attribute("aria-pressed", "true")
    assert page.locator("hd-ticket-table tbody tr").first.bounding_box()["height"] > compact
    expect(page.get_by_role("columnheader", name="Category")).to_have_count(0)
    page.get_by_role("button", name="Columns").click()
    page.get_by_label("Category column").check()
    expect(page.get_by_role("columnheader", name="Category")).to_be_visible()
    page.keyboard.press("Escape")
    page.reload()
    expect(page.get_by_role("columnheader", name="Category")).to_be_visible()
    expect(page.get_by_role("button", name="Comfortable")).to_have_attribute("aria-pressed", "true")
    assert_fits(page, "tickets with the category column")
    page.get_by_role("button", name="Compact").click()
    page.get_by_role("button", name="Columns").click()
    page.get_by_label("Category column").uncheck()


def test_filters_collapse_behind_a_button_with_chips(sized):
    """A filter from the panel shows as a chip; the chip's × removes it; the panel starts closed after a reload."""
    page = sized(1280)
    page.get_by_role("button", name=re.compile(r"^Filters")).click()
    page.get_by_label("Priority", exact=True).select_option("high")
    chips = page.get_by_role("list", name="Active filters")
    expect(chips).to_contain_text("Priority: High")
    page.reload()
    expect(page.locator("#list-filters")).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile(r"^Filters"))).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("button", name=re.compile("Filters"))).to_contain_text("1")
    page.get_by_role("button", name="Remove the filter Priority: High").click()
    expect(page).to_have_url(re.compile(r"/tickets$"))
    expect(chips.get_by_role("listitem")).to_have_count(0)
