"""Agent productivity in the browser: canned responses in the composer and in Settings,
assignment rules (create, validation at the field, reorder by buttons and by drag and
drop), merging with the merged ticket leading to its primary, watchers and links seen
live in a second context, and what the Agent role is not offered."""
import re
import uuid

from playwright.sync_api import expect

from conftest import AGENT, login, screenshot
from test_live import connected, new_ticket, open_ticket


def test_a_canned_response_is_found_by_keyword_chosen_by_keyboard_and_filled_for_the_ticket(page, api_as):
    """`/` in the empty composer opens the picker; a keyword search, arrow keys and Enter insert the rendered text at the cursor."""
    word = f"zebra{uuid.uuid4().hex[:6]}"
    for title in (f"{word} refund", f"{word} apology"):
        made = api_as().post("/api/canned-responses", json={
            "title": title, "body": f"Hi {{{{requester.firstName}}}}, about {{{{ticket.reference}}}} ({title}). {{{{agent.name}}}}"})
        assert made.status_code == 201, made.text
    ticket = new_ticket(api_as, "Where is my refund")
    open_ticket(page, ticket, "admin@example.test")
    box = page.locator("hd-composer").get_by_label("Message", exact=True)
    # The picker loads after the page shows (off the first content's path).
    expect(page.locator("hd-composer").get_by_role("button", name="Canned response")).to_be_visible()
    box.click()
    box.press("/")
    search = page.get_by_role("combobox", name="Search canned responses")
    expect(search).to_be_focused()
    search.press_sequentially(f"{word} apology")
    options = page.get_by_role("listbox", name="Canned responses").get_by_role("option")
    expect(options).to_have_count(1)
    search.fill(word)
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    search.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    chosen = options.nth(1).locator("strong").text_content()
    screenshot(page, "composer-canned-picker")
    search.press("Enter")
    expect(search).to_be_hidden()
    expect(box).to_be_focused()
    expect(box).to_have_value(f"Hi Robin, about {ticket['reference']} ({chosen}). Ada Admin")
    box.press("End")
    box.press_sequentially(" PS: ")
    page.keyboard.press("Control+Shift+C")
    expect(search).to_be_focused()
    search.press("Escape")
    expect(search).to_be_hidden()
    expect(box).to_be_focused()
    page.locator("hd-composer").get_by_role("button", name="Canned response").click()
    search.fill(f"{word} refund")
    expect(options).to_have_count(1)
    options.first.click()
    expect(box).to_have_value(re.compile(rf"\. Ada Admin PS: Hi Robin, about {ticket['reference']} \({word} refund\)"))


def test_canned_responses_are_created_edited_and_deleted_in_settings(page):
    """Settings › Canned responses lists the shared replies, shows the placeholders and creates, edits and deletes one."""
    login(page, path="/settings/canned")
    expect(page.get_by_role("heading", name="Canned responses", level=2)).to_be_visible()
    expect(page.locator(".placeholder-help")).to_contain_text("{{requester.name}}")
    page.get_by_label("Title").fill("Password reset steps")
    page.get_by_label("Body").fill("Hello {{requester.name}}, open the reset link.")
    page.get_by_label("Category (optional)").select_option("account")
    page.get_by_role("button", name="Create canned response").click()
    item = page.locator(".canned-list li").filter(has_text="Password reset steps")
    expect(item).to_contain_text("Account")
    item.get_by_role("button", name="Edit Password reset steps").click()
    page.get_by_label("Title").fill("Password reset, step by step")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".canned-list li").filter(has_text="Password reset, step by step")).to_have_count(1)
    page.get_by_role("button", name="Delete Password reset, step by step").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page.locator(".canned-list li").filter(has_text="Password reset")).to_have_count(0)


def rule_names(api_as):
    return [rule["name"] for rule in api_as().get("/api/assignment-rules").json()["rules"]]


def test_assignment_rules_are_created_validated_toggled_and_reordered(page, api_as):
    """A rule without agents is refused at the agent pool; rules are created, disabled, moved with buttons and dragged."""
    demo = len(rule_names(api_as))  # the demo data's own rules come first
    login(page, path="/settings/rules")
    form = page.locator("hd-rule-form")
    form.get_by_label("Name").fill("Billing round robin")
    form.locator("#rule-categories").get_by_label("Billing").check()
    form.get_by_role("button", name="Create rule").click()
    expect(form.locator("#rule-agents[aria-invalid=true] + .field-error")).to_be_visible()
    form.locator("#rule-agents").get_by_label("Alex Agent").check()
    form.locator("#rule-agents").get_by_label("Ada Admin").check()
    form.get_by_label("Most open tickets per agent (optional)").fill("5")
    form.get_by_role("button", name="Create rule").click()
    rules = page.locator("li.rule")
    expect(rules).to_have_count(demo + 1)
    expect(rules.nth(demo)).to_contain_text("at most 5 open each")
    form.get_by_label("Name").fill("Technical by category")
    form.get_by_label("Category based (each category to its agents)").check()
    form.get_by_label("Technical agents").select_option(label="Alex Agent")
    form.get_by_role("button", name="Create rule").click()
    expect(rules).to_have_count(demo + 2)
    form.get_by_label("Name").fill("Urgent catch-all")
    form.locator("#rule-priorities").get_by_label("Urgent").check()
    form.locator("#rule-agents").get_by_label("Ada Admin").check()
    form.get_by_role("button", name="Create rule").click()
    expect(rules).to_have_count(demo + 3)
    assert rule_names(api_as)[-3:] == ["Billing round robin", "Technical by category", "Urgent catch-all"]

    page.get_by_role("button", name="Move Urgent catch-all up").click()
    expect(page.get_by_role("button", name="Move Urgent catch-all up")).to_be_focused()
    expect(rules.nth(demo + 1)).to_contain_text("Urgent catch-all")
    assert rule_names(api_as)[-3:] == ["Billing round robin", "Urgent catch-all", "Technical by category"]
    rules.filter(has_text="Technical by category").drag_to(rules.filter(has_text="Billing round robin"))
    expect(rules.nth(demo)).to_contain_text("Technical by category")
    assert rule_names(api_as)[-3:] == ["Technical by category", "Billing round robin", "Urgent catch-all"]
    page.get_by_role("checkbox", name="Enabled").nth(demo + 2).uncheck()
    expect(rules.nth(demo + 2)).to_have_class(re.compile("disabled"))
    assert [rule["enabled"] for rule in api_as().get("/api/assignment-rules").json()["rules"]][-1] is False
    screenshot(page, "settings-assignment-rules")


def test_merging_moves_the_thread_and_the_secondary_leads_to_the_primary(page, second_page, api_as):
    """Ada merges a duplicate from the dialog; Alex on the duplicate is told and taken to the primary with the moved reply."""
    primary = new_ticket(api_as, f"Cannot log in {uuid.uuid4().hex[:4]}")
    secondary = new_ticket(api_as, f"Login broken duplicate {uuid.uuid4().hex[:4]}")
    posted = api_as().post(f"/api/tickets/{secondary['id']}/messages", json={"kind": "reply", "body": "Tried a new browser already"})
    assert posted.status_code == 201, posted.text
    open_ticket(page, primary, "admin@example.test")
    open_ticket(second_page, secondary, AGENT)
    page.get_by_role("button", name="Merge…").click()
    dialog = page.get_by_role("dialog", name=f"Merge tickets into {primary['reference']}")
    expect(dialog.get_by_label("Find tickets by reference, requester or words")).to_be_focused()
    dialog.get_by_label("Find tickets by reference, requester or words").fill(secondary["reference"].lower())
    dialog.get_by_role("checkbox", name=re.compile(secondary["reference"])).check()
    expect(dialog.get_by_role("status")).to_have_text(f"{secondary['reference']} will be closed and merged into {primary['reference']}.")
    screenshot(page, "merge-dialog")
    dialog.get_by_role("button", name=f"Merge 1 into {primary['reference']}").click()
    expect(page.locator(".merge-notice")).to_contain_text(re.compile(rf"{secondary['reference']} (was )?merged into"))
    expect(page.locator("article.kind-reply").filter(has_text="Tried a new browser already")).to_have_count(1)
    expect(page.get_by_role("button", name="Merge…")).to_be_focused()

    expect(second_page.locator(".merge-notice")).to_contain_text(f"Merged into {primary['reference']}")
    expect(second_page).to_have_url(re.compile(rf"/tickets/{primary['id']}\?mergedFrom="))
    expect(second_page.get_by_role("heading", level=1)).to_contain_text(primary["subject"])
    expect(second_page.locator("article.kind-reply").filter(has_text="Tried a new browser already")).to_have_count(1)
    second_page.goto(f"/tickets/{secondary['id']}")
    expect(second_page).to_have_url(re.compile(rf"/tickets/{primary['id']}\?mergedFrom="))
    expect(second_page.locator(".merge-notice")).to_contain_text(f"{secondary['reference']} was merged into {primary['reference']}")


def test_watchers_and_links_are_added_and_seen_live_by_a_colleague(page, second_page, api_as):
    """Ada watches, adds Alex, links an issue, a related ticket and refuses a javascript: URL; Alex sees each change live."""
    ticket = new_ticket(api_as, "Checkout fails on Safari")
    other = new_ticket(api_as, "Payment provider outage")
    open_ticket(page, ticket, "admin@example.test")
    open_ticket(second_page, ticket, AGENT)
    watchers = page.locator("hd-ticket-watchers")
    watchers.get_by_role("button", name="Watch").click()
    expect(watchers.get_by_role("button", name="Stop watching")).to_be_focused()
    watchers.get_by_label("Add a watcher").select_option(label="Alex Agent")
    watchers.get_by_role("button", name="Add", exact=True).click()
    expect(watchers.locator("li")).to_have_text([re.compile("Ada Admin \\(you\\)"), re.compile("Alex Agent")])
    theirs = second_page.locator("hd-ticket-watchers")
    expect(theirs.locator("li")).to_have_text([re.compile("Ada Admin"), re.compile("Alex Agent \\(you\\)")])
    expect(theirs.get_by_role("button", name="Stop watching")).to_be_visible()

    links = page.locator("hd-ticket-links")
    links.get_by_label("Title").fill("JIRA-981 Safari checkout")
    links.get_by_label("URL (optional, http or https)").fill("javascript:alert(1)")
    links.get_by_role("button", name="Add link").click()
    expect(links.locator("#link-url[aria-invalid=true]")).to_be_visible()
    links.get_by_label("URL (optional, http or https)").fill("https://issues.example.test/JIRA-981")
    links.get_by_role("button", name="Add link").click()
    issue = links.get_by_role("link", name="JIRA-981 Safari checkout")
    expect(issue).to_have_attribute("rel", "noopener noreferrer")
    expect(issue).to_have_attribute("href", "https://issues.example.test/JIRA-981")
    links.get_by_label("Kind").select_option("ticket")
    links.get_by_label("Ticket reference or id").fill(other["reference"])
    links.get_by_role("button", name="Add link").click()
    expect(links.get_by_role("link", name=re.compile(other["reference"]))).to_have_attribute("href", f"/tickets/{other['id']}")
    screenshot(page, "ticket-watchers-links")

    remote = second_page.locator("hd-ticket-links")
    expect(remote.get_by_role("link", name="JIRA-981 Safari checkout")).to_be_visible()
    expect(remote.get_by_role("link", name=re.compile(other["reference"]))).to_be_visible()
    expect(remote.get_by_role("button", name=re.compile("Remove link"))).to_have_count(2)
    links.get_by_role("button", name="Remove link JIRA-981 Safari checkout").click()
    expect(remote.get_by_role("link", name="JIRA-981 Safari checkout")).to_have_count(0)


def test_an_agent_is_not_offered_canned_or_rule_settings_and_the_server_refuses_them(page, api_as):
    """The Agent role inserts canned responses but has no Settings for them or for rules; the API answers 403."""
    ticket = new_ticket(api_as, "Agent-only view")
    open_ticket(page, ticket, AGENT)
    expect(page.locator("hd-composer").get_by_role("button", name="Canned response")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings")).to_have_count(0)
    for path in ("/settings/canned", "/settings/rules"):
        page.goto(path)
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    agent = api_as(AGENT)
    assert agent.post("/api/canned-responses", json={"title": "x", "body": "y"}).status_code == 403
    assert agent.get("/api/assignment-rules").status_code == 403
    assert agent.post("/api/assignment-rules/reorder", json={"ids": []}).status_code == 403
