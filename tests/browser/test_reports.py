"""Reports in the browser: the Overview headlines with the previous period (the same numbers
as the API), the Trends charts drawn as SVG with an accessible name and the table of the same
numbers, a changed range (custom days) reloading the report and kept in the URL, the
definitions, the CSAT section over the demo data's answered surveys, and an agent without reports.view neither offered nor shown the screen."""
import datetime as dt
import re

from playwright.sync_api import expect

from conftest import AGENT, login, screenshot


def test_overview_trends_and_a_changed_range(page, api_as):
    login(page, path="/reports")
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports")).to_be_visible()
    api = api_as().get("/api/reports/overview", params={"range": "last_30_days"}).json()
    total = page.locator(".headline").filter(has_text="Total tickets")
    expect(total.locator(".headline-value")).to_have_text(f"{api['totalTickets']['current']:,}")
    expect(total.locator(".headline-previous")).to_have_text(f"Previous period: {api['totalTickets']['previous']:,}")
    expect(page.get_by_role("table", name="Overview, this period and the previous one")).to_be_visible()

    page.get_by_role("link", name="Trends").click()
    expect(page).to_have_url(re.compile(r"section=trends"))
    chart = page.get_by_role("img", name="Tickets created and resolved per day")
    expect(chart).to_be_visible()
    expect(page.get_by_role("table", name="Tickets per day").locator("tbody tr")).to_have_count(30)
    expect(page.get_by_role("img", name="Tickets created, by status")).to_be_visible()
    screenshot(page, "reports-trends")

    today = dt.date.today()
    first = today - dt.timedelta(days=9)
    page.get_by_label("Date range", exact=True).select_option("custom")
    page.get_by_label("From", exact=True).fill(first.isoformat())
    page.get_by_label("To", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"section=trends.*from={first.isoformat()}"))
    expect(page.locator(".report-period")).to_contain_text(f"{first.isoformat()} to {today.isoformat()}")
    rows = page.get_by_role("table", name="Tickets per day").locator("tbody tr")
    expect(rows).to_have_count(10)
    api = api_as().get("/api/reports/trends", params={"range": "custom", "from": first.isoformat(), "to": today.isoformat()}).json()
    expect(rows.first.locator("td").first).to_have_text(f"{api['volume'][0]['created']:,}")
    expect(page.get_by_label("Date range", exact=True)).to_have_value("custom")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename == f"report-{first.isoformat()}-to-{today.isoformat()}.csv"
    with page.expect_download() as download:
        page.get_by_role("link", name="Export PDF").click()
    assert download.value.suggested_filename == f"report-{first.isoformat()}-to-{today.isoformat()}.pdf"
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"

    page.get_by_role("link", name="Agent performance").click()
    expect(page.get_by_role("table", name="Agent performance").get_by_role("columnheader", name="Average CSAT")).to_be_visible()
    page.get_by_role("link", name="SLA compliance").click()
    expect(page.get_by_role("img", name="SLA compliance per priority")).to_be_visible()
    page.get_by_text("How these figures are counted").click()
    expect(page.locator(".report-definitions dt", has_text="First response compliance")).to_be_visible()
    screenshot(page, "reports-sla")


def test_the_csat_section_with_a_changed_range(page, api_as):
    """The demo data's answered surveys: headline, distribution chart and table, agents and trend
    match the API, for the default range and after switching to the last 90 days."""
    login(page, path="/reports?section=csat")
    for preset, interval, bars in [("last_30_days", "day", 30), ("last_90_days", "day", 90)]:
        if preset != "last_30_days":
            page.get_by_label("Date range", exact=True).select_option(preset)
            page.get_by_role("button", name="Apply").click()
            expect(page).to_have_url(re.compile(rf"section=csat.*range={preset}"))
        api = api_as().get("/api/reports/csat", params={"range": preset}).json()
        now = api["overall"]["current"]
        assert now["ratings"] > 0, "the demo data answers surveys"
        score = page.locator(".headline").filter(has_text="Average score")
        expect(score.locator(".headline-value")).to_have_text(f"{now['averageScore']:.2f}")
        previous = api["overall"]["previous"]["averageScore"]
        expect(score.locator(".headline-previous")).to_have_text(f"Previous period: {'—' if previous is None else f'{previous:.2f}'}")
        expect(page.get_by_role("img", name="Ratings per score")).to_be_visible()
        rows = page.get_by_role("table", name="Ratings per score").locator("tbody tr")
        expect(rows).to_have_count(5)
        for index, count in enumerate(now["distribution"]):
            expect(rows.nth(index).locator("td").first).to_have_text(f"{count:,}")
        agents = page.get_by_role("table", name="CSAT by agent").locator("tbody tr")
        expect(agents).to_have_count(len(api["agents"]))
        expect(agents.first.locator("th")).to_have_text(api["agents"][0]["name"])
        expect(page.get_by_role("img", name=f"Average score per {interval}")).to_be_visible()
        expect(page.get_by_role("table", name=f"CSAT per {interval}").locator("tbody tr")).to_have_count(bars)
    page.get_by_text("How these figures are counted").click()
    expect(page.locator(".report-definitions dt", has_text="Average CSAT score")).to_be_visible()
    screenshot(page, "reports-csat")


def test_an_agent_without_reports_view_is_not_offered_reports(page):
    login(page, email=AGENT)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports")).to_have_count(0)
    page.goto("/reports")
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_have_count(0)
