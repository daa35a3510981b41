"""Settings › Workflows in the browser: an administrator builds a workflow with the inputs
each part offers (a tested pattern, a field's values, tags), dry-runs it against an existing
ticket and a pasted email, creates and enables it; a new ticket is acted on, its timeline
links to the run log; the Agent role is not offered the screen."""
import time
import uuid

from playwright.sync_api import expect

from conftest import AGENT, login, screenshot
from test_live import new_ticket


def test_a_workflow_is_built_dry_run_enabled_and_runs(page, api_as):
    word = f"wf{uuid.uuid4().hex[:6]}"
    existing = new_ticket(api_as, f"Printer {word} jammed")
    login(page, path="/settings/workflows")
    expect(page.get_by_role("heading", name="Workflows", level=2)).to_be_visible()
    form = page.locator("hd-workflow-form")
    form.get_by_label("Name").fill(f"Escalate {word}")
    form.get_by_label("When", exact=True).select_option("ticket.created")
    form.get_by_role("button", name="Add condition").click()
    form.get_by_label("Condition 1 field").select_option("ticket.subject")
    form.get_by_label("Condition 1 operator").select_option("matches")
    form.get_by_label("Condition 1 pattern").fill(f"\\b{word}\\b")
    form.get_by_label("Condition 1 sample text").fill(f"Printer {word} jammed")
    form.get_by_role("button", name="Test pattern").click()
    expect(form.locator(".pattern-result")).to_have_text("Valid; the sample matches.")
    form.get_by_label("Action 1", exact=True).select_option("set_field")
    form.get_by_label("Field to set").select_option("priority")
    form.get_by_label("New value").select_option("urgent")
    form.get_by_role("button", name="Add action").click()
    form.get_by_label("Action 2", exact=True).select_option("add_tags")
    form.get_by_label("Tags (comma separated)").fill("escalated, printer")

    dry = form.locator("hd-workflow-dry-run")
    dry.get_by_label("An existing ticket").check()
    dry.get_by_label("Ticket reference").fill(existing["reference"])
    dry.get_by_role("button", name="Dry run").click()
    expect(dry.locator(".wf-dry-result")).to_contain_text("The conditions hold: the workflow would run.")
    expect(dry.locator(".wf-dry-result")).to_contain_text("set priority to urgent")
    expect(dry.locator(".wf-dry-result")).to_contain_text("add tags escalated, printer")
    dry.get_by_label("A pasted email").check()
    dry.get_by_label("Raw email (headers, a blank line, the text)").fill("From: Ann <ann@example.com>\nSubject: Hello\n\nHi")
    dry.get_by_role("button", name="Dry run").click()
    expect(dry.locator(".wf-dry-result")).to_contain_text("would not run")
    screenshot(page, "settings-workflow-builder")

    form.get_by_role("button", name="Create workflow").click()
    row = page.locator("li.rule").filter(has_text=f"Escalate {word}")
    expect(row).to_have_class("card rule disabled")
    row.get_by_role("checkbox", name="Enabled").check()
    expect(row).not_to_have_class("card rule disabled")
    [saved] = [w for w in api_as().get("/api/workflows").json()["workflows"] if w["name"] == f"Escalate {word}"]
    assert saved["enabled"] is True and saved["conditions"]["conditions"][0]["op"] == "matches"
    assert saved["actions"] == [{"type": "set_field", "field": "priority", "value": "urgent"},
                                {"type": "add_tags", "tags": ["escalated", "printer"]}]

    ticket = new_ticket(api_as, f"Another {word} printer")
    deadline = time.monotonic() + 15
    while api_as().get(f"/api/tickets/{ticket['id']}").json()["priority"] != "urgent":
        assert time.monotonic() < deadline, "the workflow did not run"
        time.sleep(0.1)
    page.goto(f"/tickets/{ticket['id']}")
    timeline = page.locator("hd-timeline")
    expect(timeline).to_contain_text(f"ran a workflow “Escalate {word}” (done)")
    timeline.get_by_role("link", name="Run log").click()
    runs = page.locator("hd-workflow-runs")
    expect(runs.get_by_role("heading", name=f"Run log of ticket {ticket['id']}")).to_be_visible()
    expect(runs.locator(".wf-run-list > li")).to_have_count(1)
    expect(runs).to_contain_text("set field: updated")
    screenshot(page, "settings-workflow-runs")
    api_as().delete(f"/api/workflows/{saved['id']}")


def test_the_agent_role_is_not_offered_workflows(page):
    """The Agent role lacks workflow.manage: the screen is not found and the API answers 403."""
    login(page, AGENT, path="/settings/workflows")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert page.request.get("/api/workflows").status == 403
