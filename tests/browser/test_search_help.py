"""The search box (results as you type, an exact reference opens its ticket), the user guide at
/help (its search, the "?" links from the screens) and the guide's screenshots, which
`test_guide_screenshots_are_taken_from_the_running_app` writes into static/guide/images/ so
they never go stale (commit the changed images); the last test fails when an article shows
an image that is not in the repository."""
import json
import re
import tempfile
import threading
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, PASSWORD, api_fixtures, login, screenshot, watched_page

GUIDE = Path(__file__).resolve().parents[2] / "static" / "guide"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def guide_articles():
    return json.loads((GUIDE / "articles.json").read_text())["articles"]


def referenced_images():
    """{image path: [article slugs]} for every image an article shows."""
    images = {}
    for article in guide_articles():
        for path in IMAGE.findall((GUIDE / f"{article['slug']}.md").read_text()):
            images.setdefault(path, []).append(article["slug"])
    return images


def new_ticket(api_as, subject, **fields):
    made = api_as().post("/api/tickets", json={"subject": subject, "requester": {"email": f"{uuid.uuid4().hex[:8]}@example.test",
                                                                                  "name": "Wilhelmina Quartermaine"}, **fields})
    assert made.status_code == 201, made.text
    return made.json()


def test_search_box_shows_results_as_you_type_and_an_exact_reference_opens_the_ticket(page, api_as):
    """Typing a requester's name lists their ticket at once; a reference (TKT-n or n) pressed Enter opens it."""
    word = f"zq{uuid.uuid4().hex[:6]}"
    ticket = new_ticket(api_as, f"Scanner {word} offline")
    login(page)
    box = page.get_by_role("combobox", name="Search tickets")
    box.click()
    box.press_sequentially("Wilhelmina Quarterm")
    results = page.get_by_role("listbox", name="Search results")
    expect(results.get_by_role("option").filter(has_text=ticket["reference"])).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.fill("")
    box.press_sequentially(word[:5])
    expect(results.get_by_role("option").first).to_contain_text(ticket["subject"])
    box.press("ArrowDown")
    expect(results.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(results).to_be_hidden()

    box.fill(ticket["reference"].lower())
    expect(results.locator(".exact")).to_contain_text(ticket["reference"])
    expect(results.locator(".exact")).to_contain_text("Exact reference")
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/tickets/{ticket['id']}$"))
    expect(page.get_by_role("heading", name=re.compile(re.escape(ticket["subject"])))).to_be_visible()

    box.fill(str(int(ticket["reference"].split("-")[1])))
    box.press("Enter")  # Enter before the answer arrives: the search finishes, then opens
    expect(page).to_have_url(re.compile(rf"/tickets/{ticket['id']}$"))

    box.fill(f"{word} offline")
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/tickets\?q={word}%20offline$"))
    expect(page.locator("tbody tr").first).to_contain_text(ticket["reference"])


def test_search_box_and_its_results_fit_a_phone_screen(browser, server):
    """At 390 px the search box takes its own row and its results stay on screen, with no sideways scrolling."""
    errors = []
    page = watched_page(browser, server, errors, viewport={"width": 390, "height": 844})
    login(page)
    box = page.get_by_role("combobox", name="Search tickets")
    box.press_sequentially("invoice")
    results = page.get_by_role("listbox", name="Search results")
    expect(results.get_by_role("option").first).to_be_visible()
    for element in (box, results):
        area = element.bounding_box()
        assert area["x"] >= 0 and area["x"] + area["width"] <= 390, area
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()
    assert errors == [], errors


@pytest.fixture(scope="module")
def guide_page(browser):
    """A page on a server of its own holding only an Administrator and the demo data, so the
    guide's screenshots never show what other tests created."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-guide-") as data_dir:
        done = api_fixtures.cli("user", "add", "--email", ADMIN, "--name", "Ada Admin", "--role", "Administrator",
                                "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        done = api_fixtures.cli("demo", data_dir=data_dir)
        assert done.returncode == 0, done.stderr
        running = api_fixtures.start_server(data_dir)
        threading.Thread(target=lambda: [None for _ in running.process.stdout], daemon=True).start()
        errors = []
        page = watched_page(browser, running, errors)
        yield page, (lambda: api_fixtures.Client(running, ADMIN))
        page.context.close()
        api_fixtures.stop_server(running)
        assert errors == [], errors


def test_guide_screenshots_are_taken_from_the_running_app(guide_page):
    """Writes every screenshot the guide shows from the live app (demo data), then checks none is missing."""
    page, api_as = guide_page
    ticket = new_ticket(api_as, "Printer prints blank pages", priority="high")
    api_as().post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "Could you send a photo of a printed page?"})
    images = GUIDE / "images"
    images.mkdir(exist_ok=True)

    def shot(name, target=None):
        (target or page).screenshot(path=str(images / f"{name}.png"))

    login(page)
    expect(page.locator("tbody tr").first).to_be_visible()
    shot("ticket-list")
    box = page.get_by_role("combobox", name="Search tickets")
    box.press_sequentially("printer")
    expect(page.get_by_role("listbox", name="Search results").get_by_role("option").first).to_be_visible()
    shot("search-results")
    box.press("Escape")
    page.goto(f"/tickets/{ticket['id']}")
    expect(page.get_by_text("Could you send a photo of a printed page?")).to_be_visible()
    shot("ticket-page")
    link_card = page.locator("hd-access-link")
    if link_card.get_by_role("button", name="Create link").count():
        link_card.get_by_role("button", name="Create link").click()
    expect(link_card.get_by_role("button", name="Copy")).to_be_visible()
    shot("access-link", link_card)
    page.get_by_role("button", name="Merge…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Find tickets by reference, requester or words").fill("invoice")
    expect(dialog.locator("#merge-results li").first).to_contain_text("Invoice")
    shot("merge-dialog", dialog)
    dialog.get_by_role("button", name="Cancel").click()
    for name, path, ready in [("board", "/board", ".column-title"), ("sla-policies", "/settings/sla", "#sla-settings-title"),
                              ("assignment-rules", "/settings/rules", "li.rule"), ("canned-responses", "/settings/canned", ".canned-list li"),
                              ("roles", "/settings/roles", "#roles-title"), ("mailboxes", "/settings/mailboxes", "#mailboxes-title"),
                              ("surveys", "/settings/surveys", "#surveys-title"), ("reports", "/reports", "table.report-table")]:
        page.goto(path)
        expect(page.locator(ready).first).to_be_visible()
        shot(name)
    missing = [path for path in referenced_images() if not (GUIDE / path).is_file()]
    assert missing == []


def test_the_guide_is_searchable_and_a_question_mark_leads_from_a_setting_to_its_article(page):
    """/help lists the eleven articles, finds one by its words as you type, and Settings › SLA policies' "?" opens its article."""
    login(page)
    page.get_by_role("button", name="Ada Admin").click()
    page.get_by_role("link", name="User guide", exact=True).click()
    expect(page).to_have_url(re.compile(r"/help$"))
    expect(page.get_by_role("heading", name="User guide", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Articles").get_by_role("link")).to_have_count(11)
    search = page.get_by_role("searchbox", name="Search the guide")
    search.press_sequentially("holidays business")
    found = page.locator("#help-results li")
    expect(found.first).to_contain_text("Configuring SLA policies")
    search.fill("no-such-word-anywhere")
    expect(page.locator("#help-results")).to_contain_text("No article mentions")
    search.fill("round robin")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/help/auto-assignment$"))
    expect(page.get_by_role("heading", name="Setting up auto-assignment rules", level=1)).to_be_visible()
    expect(page.locator(".help-article img").first).to_have_js_property("complete", True)
    assert page.locator(".help-article img").first.evaluate("img => img.naturalWidth") > 0
    screenshot(page, "help-article")

    page.goto("/settings/sla")
    page.get_by_role("link", name="User guide for this screen").click()
    expect(page).to_have_url(re.compile(r"/help/sla-policies$"))
    expect(page.get_by_role("heading", name="Configuring SLA policies", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Configuring SLA policies")).to_have_attribute("aria-current", "page")


def test_every_article_exists_and_every_image_it_shows_is_in_the_repository():
    """Each listed article has its Markdown file, and no article points at a missing screenshot."""
    articles = guide_articles()
    assert len(articles) == 11
    for article in articles:
        assert (GUIDE / f"{article['slug']}.md").is_file(), article["slug"]
    missing = {path: slugs for path, slugs in referenced_images().items() if not (GUIDE / path).is_file()}
    assert missing == {}, f"articles show images that do not exist (run this file's screenshot test): {missing}"
