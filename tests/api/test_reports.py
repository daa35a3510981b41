"""Reports over real HTTP on a server of their own whose clock the test moves: a small data
set built through the API, every figure worked out independently below (calendar arithmetic
in Python on the server's own timestamps), the range parameters, the OpenAPI shapes, and the
reports.view permission.

The default policy is replaced by a 24/7 UTC one, so business time is calendar time minus
pauses and the SLA figures do not depend on the weekday the test runs on."""
import csv
import datetime as dt
import io
import pathlib
import subprocess
import tempfile
import threading
from collections import Counter

import pytest

from conftest import PASSWORD, TRUSTED_PROXY, Client, cli, start_server, stop_server
from openapi_util import check
from logo_support import ALPHA_PNG, JPEG, gray_samples, images_on_first_page, png_alpha
from test_surveys import answer, survey_token, wait_for_survey
from tickets_support import new_ticket, problem

ALWAYS = {"start": "00:00", "end": "00:00", "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}
TARGETS = {"urgent": 30, "high": 60, "medium": 120, "low": 240}  # first response, minutes; resolution is 4x
MINUTE, HOUR, DAY = 60, 3600, 86400
PEOPLE = {"Administrator": "reports-admin@example.test", "Supervisor": "reports-sup@example.test",
          "Agent": "reports-agent@example.test"}


def near(seconds):
    """The test clock follows the wall clock between advances, so a span measured on the
    server is the planned one plus the milliseconds the requests took."""
    return pytest.approx(seconds, abs=2)


def parse(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


class Desk:
    """The server plus the test's clients; `at(seconds)` moves the server clock to T + seconds."""

    def __init__(self, server):
        self.server = server
        self.sign_in()
        self.origin = self.advance(1)
        self.now = self.origin
        self.tickets = {}

    def sign_in(self):
        self.admin = Client(self.server, PEOPLE["Administrator"])
        self.supervisor = Client(self.server, PEOPLE["Supervisor"])
        self.agent = Client(self.server, PEOPLE["Agent"])

    def advance(self, seconds):
        response = self.admin.post("/api/test/clock", json={"advanceSeconds": seconds})
        assert response.status_code == 200, response.text
        return parse(response.json()["now"])

    def at(self, seconds):
        target = self.origin + dt.timedelta(seconds=seconds)
        delta = (target - self.now).total_seconds()
        if delta > 0:
            self.now = self.advance(delta)
        if delta > 11 * HOUR:  # sessions end after 12 idle hours
            self.sign_in()

    def create(self, name, priority, channel, category, assignee=None):
        fields = {"priority": priority, "channel": channel, "category": category}
        if assignee is not None:
            fields["assigneeId"] = assignee.me["agent"]["id"]
        self.tickets[name] = new_ticket(self.admin, **fields)
        return self.tickets[name]

    def status(self, name, status, client=None):
        client = client or self.admin
        ticket = client.get(f"/api/tickets/{self.tickets[name]['id']}").json()
        response = client.patch(f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "status": status})
        assert response.status_code == 200, response.text

    def reply(self, name, client):
        response = client.post(f"/api/tickets/{self.tickets[name]['id']}/messages",
                               json={"kind": "reply", "body": "On it.", "force": True})
        assert response.status_code == 201, response.text

    def rate(self, name, rating):
        """Answers the survey of `name`'s resolution through the public survey form."""
        wait_for_survey(self.admin, self.tickets[name]["id"], status="pending")
        response = answer(self.server, survey_token(self.admin, self.tickets[name]["id"]), rating=rating)
        assert response.status_code == 200, response.text

    def read(self, name):
        return self.admin.get(f"/api/tickets/{self.tickets[name]['id']}").json()


@pytest.fixture(scope="module")
def desk():
    with tempfile.TemporaryDirectory(prefix="helpdesk-reports-") as data_dir:
        for role, email in PEOPLE.items():
            done = cli("user", "add", "--email", email, "--name", f"{role} Person", "--role", role,
                       "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
            assert done.returncode == 0, done.stderr
        server = start_server(data_dir, "--test-clock", *TRUSTED_PROXY)
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        try:
            d = Desk(server)
            build(d)
            yield d
        finally:
            stop_server(server)


def build(d):
    """Previous period: P1. Current period (from 5 days later): A, B, C, D; E merged, F deleted.
    CSAT: P1 rated 3 in the previous period; A 5, B 2 (resolved by the supervisor), C 4 (resolved
    by the administrator though unassigned) at the end of the build."""
    policy = d.admin.post("/api/sla-policies", json={
        "name": "Always", "firstResponse": TARGETS, "resolution": {k: v * 4 for k, v in TARGETS.items()},
        "hours": ALWAYS, "timeZone": "UTC", "warningPercent": 20, "isDefault": True})
    assert policy.status_code == 201, policy.text
    d.at(0); d.create("P1", "medium", "email", "general", d.admin)
    d.at(10 * MINUTE); d.reply("P1", d.admin)
    d.at(HOUR); d.status("P1", "resolved")
    d.at(2 * HOUR); d.rate("P1", 3)
    t1 = 5 * DAY
    d.at(t1); d.create("A", "urgent", "email", "billing", d.admin)
    d.at(t1 + 20 * MINUTE); d.reply("A", d.admin)
    d.at(t1 + HOUR); d.status("A", "resolved"); d.create("B", "high", "web", "technical", d.supervisor)
    d.at(t1 + 90 * MINUTE); d.status("B", "pending")
    d.at(t1 + 2 * HOUR); d.create("C", "medium", "chat", "general")
    d.at(t1 + 3 * HOUR); d.status("C", "resolved")
    d.at(t1 + 8 * HOUR)
    d.create("D", "low", "phone", "account", d.admin)
    d.create("E", "low", "email", "other")
    d.create("F", "low", "web", "other")
    merged = d.admin.post(f"/api/tickets/{d.tickets['A']['id']}/merge", json={"secondaryIds": [d.tickets["E"]["id"]]})
    assert merged.status_code == 200, merged.text
    assert d.admin.delete(f"/api/tickets/{d.tickets['F']['id']}").status_code == 204
    d.at(t1 + 10 * HOUR); d.status("B", "open")
    d.at(t1 + 10 * HOUR + 45 * MINUTE); d.reply("B", d.supervisor)
    d.at(t1 + 11 * HOUR); d.status("B", "resolved", d.supervisor)
    d.at(t1 + 11 * HOUR + 10 * MINUTE)  # D (low, created at 8 h) stays within its 4-hour first response
    for name, rating in [("A", 5), ("B", 2), ("C", 4)]:
        d.rate(name, rating)
    for name in ["P1", "A", "B", "C", "D"]:
        d.tickets[name] = d.read(name)


def query(d):
    """A custom range: the day before A's creation to three days after; the previous period
    (five days before) then holds P1 whatever the hour the test runs at."""
    start = parse(d.tickets["A"]["createdAt"]).date() - dt.timedelta(days=1)
    return {"range": "custom", "from": start.isoformat(), "to": (start + dt.timedelta(days=4)).isoformat()}


def stars(score):
    return "1 star" if score == 1 else f"{score} stars"


def seconds_between(d, name, later, earlier="createdAt"):
    t = d.tickets[name]
    return (parse(t[later]) - parse(t[earlier])).total_seconds()


def test_overview_matches_the_hand_count(desk):
    d = desk
    response = check(d.server, "GET", "/api/reports/overview", d.supervisor.get("/api/reports/overview", params=query(d)))
    o = response.json()
    assert o["range"]["timeZone"] == "UTC" and o["range"]["preset"] == "custom"
    assert o["totalTickets"] == {"current": 4, "previous": 1}   # A B C D | P1 (E merged, F deleted)
    assert o["openTickets"] == {"current": 1, "previous": 0}    # D
    assert o["resolvedTickets"] == {"current": 3, "previous": 1}
    resolutions = [seconds_between(d, n, "resolvedAt") for n in ["A", "B", "C"]]
    assert resolutions == [near(HOUR), near(10 * HOUR), near(HOUR)]  # API times are whole seconds
    assert o["averageResolutionSeconds"] == {"current": near(sum(resolutions) / 3), "previous": near(HOUR)}
    responses = [20 * MINUTE, (10 * HOUR + 45 * MINUTE) - HOUR]  # A; B from its creation an hour after A
    assert o["averageFirstResponseSeconds"] == {"current": near(sum(responses) / 2), "previous": near(10 * MINUTE)}


def test_trends_count_per_utc_day_and_distribution(desk):
    d = desk
    t = check(d.server, "GET", "/api/reports/trends", d.supervisor.get("/api/reports/trends", params=query(d))).json()
    assert t["interval"] == "day" and len(t["volume"]) == 5
    created = Counter(parse(d.tickets[n]["createdAt"]).date().isoformat() for n in ["A", "B", "C", "D"])
    resolved = Counter(parse(d.tickets[n]["resolvedAt"]).date().isoformat() for n in ["A", "B", "C"])
    assert {v["date"]: v["created"] for v in t["volume"]} == {v["date"]: created.get(v["date"], 0) for v in t["volume"]}
    assert {v["date"]: v["resolved"] for v in t["volume"]} == {v["date"]: resolved.get(v["date"], 0) for v in t["volume"]}
    assert {c["key"]: c["count"] for c in t["byStatus"] if c["count"]} == {"open": 1, "resolved": 3}
    assert [c["count"] for c in t["byPriority"]] == [1, 1, 1, 1]
    assert {c["key"]: c["count"] for c in t["byCategory"] if c["count"]} == {"billing": 1, "technical": 1, "general": 1, "account": 1}
    weekly = d.supervisor.get("/api/reports/trends", params={**query(d), "interval": "month"}).json()
    assert sum(v["created"] for v in weekly["volume"]) == 4


def test_agent_performance_with_average_csat(desk):
    d = desk
    a = check(d.server, "GET", "/api/reports/agents", d.supervisor.get("/api/reports/agents", params=query(d))).json()
    assert a["csatAvailable"] is True
    rows = [(r["name"], r["ticketsHandled"], r["averageResolutionSeconds"], r["csatRatings"], r["averageCsat"]) for r in a["agents"]]
    # A 5 and C 4 rate the administrator's resolutions, B 2 the supervisor's; C is assigned to nobody
    assert rows == [("Administrator Person", 1, near(HOUR), 2, 4.5), ("Supervisor Person", 1, near(10 * HOUR), 1, 2.0),
                    ("Unassigned", 1, near(HOUR), 0, None)]
    assert a["agents"][2]["agentId"] is None


def test_csat_matches_the_hand_count(desk):
    d = desk
    c = check(d.server, "GET", "/api/reports/csat", d.supervisor.get("/api/reports/csat", params=query(d))).json()
    current, previous = c["overall"]["current"], c["overall"]["previous"]
    assert current == {"ratings": 3, "averageScore": 3.67, "satisfiedPercent": 66.67, "distribution": [0, 1, 0, 1, 1]}
    assert previous == {"ratings": 1, "averageScore": 3.0, "satisfiedPercent": 0.0, "distribution": [0, 0, 1, 0, 0]}
    assert [(r["name"], r["ratings"], r["averageScore"]) for r in c["agents"]] == [("Administrator Person", 2, 4.5), ("Supervisor Person", 1, 2.0)]
    assert c["interval"] == "day" and len(c["trend"]) == 5
    rated_on = (d.now.date()).isoformat()
    assert {p["date"]: (p["ratings"], p["averageScore"]) for p in c["trend"] if p["ratings"]} == {rated_on: (3, 3.67)}
    assert all(p["averageScore"] is None for p in c["trend"] if not p["ratings"])


def test_sla_compliance_per_priority(desk):
    d = desk
    s = check(d.server, "GET", "/api/reports/sla", d.supervisor.get("/api/reports/sla", params=query(d))).json()
    rows = {r["priority"]: r for r in s["priorities"]}
    assert rows["urgent"]["firstResponsePercent"] == 100 and rows["urgent"]["resolutionPercent"] == 100
    # B: 30 min before its pause + 45 min after = 75 min > 60: breached; resolved after 90 business minutes
    assert (rows["high"]["firstResponseDecided"], rows["high"]["firstResponseMet"], rows["high"]["firstResponsePercent"]) == (1, 0, 0)
    assert rows["high"]["averageBusinessFirstResponseSeconds"] == near(75 * MINUTE)
    assert rows["high"]["averageBusinessResolutionSeconds"] == near(90 * MINUTE)
    # C: never answered but within its 2 hours when resolved: undecided; D: 3 h of 4 h waited
    assert rows["medium"]["firstResponseDecided"] == 0 and rows["medium"]["firstResponsePercent"] is None
    assert rows["medium"]["resolutionPercent"] == 100
    assert rows["low"]["firstResponseDecided"] == 0 and rows["low"]["resolutionDecided"] == 0
    current, previous = s["overall"]["current"], s["overall"]["previous"]
    assert (current["firstResponseDecided"], current["firstResponseMet"], current["firstResponsePercent"]) == (2, 1, 50)
    assert (current["resolutionDecided"], current["resolutionMet"], current["resolutionPercent"]) == (3, 3, 100)
    assert current["priority"] is None
    assert (previous["firstResponsePercent"], previous["resolutionPercent"]) == (100, 100)


def test_channels(desk):
    d = desk
    c = check(d.server, "GET", "/api/reports/channels", d.supervisor.get("/api/reports/channels", params=query(d))).json()
    rows = {r["channel"]: (r["created"], r["resolved"], r["averageResolutionSeconds"]) for r in c["channels"]}
    assert rows == {"email": (1, 1, near(HOUR)), "web": (1, 1, near(10 * HOUR)), "chat": (1, 1, near(HOUR)), "phone": (1, 0, None),
                    "internal": (0, 0, None)}


def test_the_full_report_carries_every_section_and_the_definitions(desk):
    d = desk
    full = check(d.server, "GET", "/api/reports", d.supervisor.get("/api/reports", params=query(d))).json()
    assert full["overview"]["totalTickets"]["current"] == 4
    assert full["channels"]["channels"][0]["created"] == 1
    ids = {x["id"] for x in full["definitions"]}
    assert {"total_tickets", "open_tickets", "average_resolution", "first_response", "merged_deleted",
            "sla_first_response", "agent_csat", "csat_average", "csat_distribution", "csat_by_agent", "csat_trend"} <= ids
    definitions = check(d.server, "GET", "/api/reports/definitions", d.supervisor.get("/api/reports/definitions")).json()
    assert definitions["definitions"] == full["definitions"]


def test_presets_resolve_in_the_account_zone(desk):
    d = desk
    o = d.supervisor.get("/api/reports/overview", params={"range": "last_7_days"}).json()
    first = dt.date.fromisoformat(o["range"]["firstDay"])
    assert (d.now.date() - first).days == 6 and o["range"]["lastDay"] == d.now.date().isoformat()
    assert parse(o["range"]["current"]["start"]) == dt.datetime.combine(first, dt.time(), dt.timezone.utc)
    assert o["totalTickets"]["current"] == 5  # P1 five days before A, too
    default = d.supervisor.get("/api/reports/overview").json()
    assert default["range"]["preset"] == "last_30_days"


def test_bad_range_parameters_name_the_field(desk):
    d = desk
    for params, field in [({"range": "fortnight"}, "range"), ({"range": "custom", "to": "2026-01-01"}, "from"),
                          ({"range": "custom", "from": "2026-01-01"}, "to"),
                          ({"range": "custom", "from": "2026-02-01", "to": "2026-01-01"}, "to"),
                          ({"range": "custom", "from": "2024-01-01", "to": "2026-01-01"}, "to"),
                          ({"range": "custom", "from": "2026-13-01", "to": "2026-01-01"}, "from")]:
        problem(check(d.server, "GET", "/api/reports/overview", d.supervisor.get("/api/reports/overview", params=params)), 422, field)
    problem(d.supervisor.get("/api/reports/trends", params={"interval": "hour"}), 422, "interval")


def test_the_csv_export_reads_back_with_the_same_numbers_as_the_json(desk):
    d = desk
    response = check(d.server, "GET", "/api/reports/export.csv", d.supervisor.get("/api/reports/export.csv", params=query(d)))
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    first, last = query(d)["from"], query(d)["to"]
    assert response.headers["Content-Disposition"] == f'attachment; filename="report-{first}-to-{last}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))
    assert rows[0] == ["Section", "Group", "Item", "Measure", "This period", "Previous period"]
    cells = {(r[0], r[1], r[2], r[3]): (r[4], r[5]) for r in rows[1:]}
    full = d.supervisor.get("/api/reports", params=query(d)).json()
    o = full["overview"]
    assert cells[("Overview", "", "Total tickets", "Tickets")] == (str(o["totalTickets"]["current"]), str(o["totalTickets"]["previous"]))
    hours = lambda s: "" if s is None else f"{s / 3600:.2f}"
    assert cells[("Overview", "", "Average resolution time", "Hours")] == (
        hours(o["averageResolutionSeconds"]["current"]), hours(o["averageResolutionSeconds"]["previous"]))
    for v in full["trends"]["volume"]:
        assert cells[("Trends", "Volume by day", v["date"], "Created")] == (str(v["created"]), "")
    for a in full["agents"]["agents"]:
        assert cells[("Agent performance", "", a["name"], "Tickets handled")] == (str(a["ticketsHandled"]), "")
    assert cells[("SLA compliance", "", "All priorities", "First response %")] == ("50.00", "100.00")
    assert cells[("Channels", "", "Phone", "Average resolution hours")] == ("", "")
    c = full["csat"]["overall"]
    assert cells[("CSAT", "", "All ratings", "Ratings")] == (str(c["current"]["ratings"]), str(c["previous"]["ratings"]))
    assert cells[("CSAT", "", "All ratings", "Average score")] == ("3.67", "3.00")
    assert cells[("CSAT", "", "All ratings", "Satisfied %")] == ("66.67", "0.00")
    for score in range(1, 6):
        assert cells[("CSAT", "Distribution", stars(score), "Ratings")] == (
            str(c["current"]["distribution"][score - 1]), str(c["previous"]["distribution"][score - 1]))
    for a in full["csat"]["agents"]:
        assert cells[("CSAT", "By agent", a["name"], "Average score")] == (f"{a['averageScore']:.2f}", "")
    assert cells[("Agent performance", "", "Administrator Person", "Average CSAT")] == ("4.50", "")
    assert cells[("Agent performance", "", "Unassigned", "Average CSAT")] == ("", "")
    with_bom = d.supervisor.get("/api/reports/export.csv", params={**query(d), "bom": "1"})
    assert with_bom.content.startswith(b"\xef\xbb\xbf")


SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def test_the_pdf_export_passes_qpdf_and_carries_the_csv_numbers(desk, tmp_path):
    d = desk
    response = check(d.server, "GET", "/api/reports/export.pdf", d.supervisor.get("/api/reports/export.pdf", params=query(d)))
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    first, last = query(d)["from"], query(d)["to"]
    assert response.headers["Content-Disposition"] == f'attachment; filename="report-{first}-to-{last}.pdf"'
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    checked = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    rows = list(csv.reader(io.StringIO(d.supervisor.get("/api/reports/export.csv", params=query(d)).text, newline="")))
    cells = {(r[0], r[2], r[3]): (r[4] or "—", r[5] or "—") for r in rows[1:]}
    for figure, label in [("Total tickets", "Total tickets"), ("Open tickets", "Open tickets"), ("Resolved tickets", "Resolved tickets"),
                          ("Average resolution time", "Average resolution time (hours)"),
                          ("Average first response time", "Average first response time (hours)")]:
        measure = "Hours" if "time" in figure else "Tickets"
        assert f"{label} {' '.join(cells[('Overview', figure, measure)])}" in lines, figure
    for name in ["Administrator Person", "Supervisor Person", "Unassigned"]:
        handled, hours = cells[("Agent performance", name, "Tickets handled")][0], cells[("Agent performance", name, "Average resolution hours")][0]
        score, ratings = cells[("Agent performance", name, "Average CSAT")][0], cells[("Agent performance", name, "CSAT ratings")][0]
        csat = "—" if score == "—" else f"{score} ({ratings})"
        assert f"{name} {handled} {hours} {csat}" in lines, name
    for figure, label in [("Ratings", "Ratings"), ("Average score", "Average score (1 to 5)"), ("Satisfied %", "Satisfied (4 or 5) %")]:
        assert f"{label} {' '.join(cells[('CSAT', 'All ratings', figure)])}" in lines, figure
    for score in range(1, 6):
        assert f"{stars(score)} {' '.join(cells[('CSAT', stars(score), 'Ratings')])}" in lines
    assert f"Supervisor Person 1 {cells[('CSAT', 'Supervisor Person', 'Average score')][0]}" in lines
    assert f"All priorities 1 of 2 {cells[('SLA compliance', 'All priorities', 'First response %')][0]}" in " ".join(lines)
    assert f"Report · {first} to {last} (UTC)" in text and "Page 1 of" in text
    assert "Average CSAT is not shown" not in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / "report-pdf")], check=True)
    assert (SCREENSHOTS / "report-pdf-1.png").exists()


def test_the_pdf_header_carries_the_account_logo_png_with_alpha_and_jpeg(desk, tmp_path):
    """A PNG with alpha becomes an image with a soft mask holding exactly its alpha; a JPEG is
    embedded byte for byte (DCTDecode); qpdf --check passes for both."""
    d = desk
    for name, logo, kind in [("png", ALPHA_PNG, "image/png"), ("jpeg", JPEG, "image/jpeg")]:
        assert d.admin.put("/api/account/logo", data=logo, headers={"Content-Type": kind}).status_code == 200
        response = d.supervisor.get("/api/reports/export.pdf", params=query(d))
        assert response.status_code == 200
        folder = tmp_path / name
        folder.mkdir()
        pdf = folder / "report.pdf"
        pdf.write_bytes(response.content)
        checked = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        rows, files = images_on_first_page(pdf, folder)
        if name == "png":
            assert [r[2:7] for r in rows] == [["image", "24", "16", "rgb", "3"], ["smask", "24", "16", "gray", "1"]]
            assert gray_samples(files[1]) == png_alpha(ALPHA_PNG)  # the second image listed: the soft mask
        else:
            assert [r[2:9] for r in rows] == [["image", "24", "16", "rgb", "3", "8", "jpeg"]]
            assert next(f for f in files if f.suffix == ".jpg").read_bytes() == JPEG
        if name == "png":
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SCREENSHOTS / "report-pdf-logo")], check=True)


@pytest.mark.parametrize("path", ["/api/reports", "/api/reports/export.csv", "/api/reports/export.pdf", "/api/reports/overview", "/api/reports/trends", "/api/reports/agents",
                                  "/api/reports/sla", "/api/reports/csat", "/api/reports/channels", "/api/reports/definitions"])
def test_reports_need_reports_view(desk, path):
    d = desk
    refused = check(d.server, "GET", path, d.agent.get(path))
    problem(refused, 403)
    assert "reports.view" in refused.json()["detail"]
    doc = d.admin.get("/api/openapi.json").json()
    assert doc["paths"][path]["get"]["x-permission"] == "reports.view"
