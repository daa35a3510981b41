"""CSAT surveys against the real server: a survey per resolution (by the event log's
`surveys` consumer), reachable from the portal, answered once with the spam check, shown on
the ticket, cancelled by a reopen, refused when expired, and listed for reports."""
import os
import tempfile
import threading
import time

import pytest
import requests

from conftest import PASSWORD, Client, cli, client_address, start_server, stop_server, pg_databases
from openapi_util import check
from portal_support import captcha
from test_portal import link, portal_get
from tickets_support import new_ticket, problem

EMAIL = "survey-admin@example.test"


def set_status(client, ticket_id, status):
    version = client.get(f"/api/tickets/{ticket_id}").json()["version"]
    response = client.patch(f"/api/tickets/{ticket_id}", json={"version": version, "status": status})
    assert response.status_code == 200, response.text


def surveys(client, ticket_id):
    response = client.get(f"/api/tickets/{ticket_id}/surveys")
    check(client.server, "GET", "/api/tickets/{id}/surveys", response)
    return response.json()["surveys"]


def wait_for_survey(client, ticket_id, count=1, status=None):
    """The surveys once the `surveys` consumer has handled the resolution (it runs after the commit)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = surveys(client, ticket_id)
        if len(found) >= count and (status is None or found[-1]["status"] == status):
            return found
        time.sleep(0.05)
    raise AssertionError(f"no survey for ticket {ticket_id}: {surveys(client, ticket_id)}")


def survey_token(client, ticket_id):
    """The survey's token, as the portal shows it to the requester."""
    token = link(client, ticket_id)
    url = portal_get(client.server, token).json()["survey"]["url"]
    assert url.startswith("/survey#")
    return url.split("#", 1)[1]


def survey_get(server, token):
    return requests.get(server.url("/api/surveys/current"), headers={"Survey-Token": token, "X-Forwarded-For": client_address()}, timeout=10)


def answer(server, token, solved=True, **body):
    fields = {**(captcha(server) if solved else {}), **body}
    return requests.post(server.url("/api/surveys/current"), json=fields,
                         headers={"Survey-Token": token, "X-Forwarded-For": client_address()}, timeout=10)


def test_resolving_creates_a_survey_that_the_portal_links_to(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent, assigneeId=agent.me["agent"]["id"])
    set_status(agent, ticket["id"], "resolved")
    [survey] = wait_for_survey(agent, ticket["id"])
    assert survey["status"] == "pending" and survey["rating"] is None
    assert survey["resolvedBy"]["id"] == agent.me["agent"]["id"]
    token = survey_token(agent, ticket["id"])
    page = check(helpdesk, "GET", "/api/surveys/current", survey_get(helpdesk, token)).json()
    assert page["reference"] == ticket["reference"] and page["status"] == "pending" and page["question"]
    assert page["expiresAt"] == survey["expiresAt"]


def test_a_rating_is_stored_audited_logged_and_shown_on_the_ticket(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent, assigneeId=agent.me["agent"]["id"])
    set_status(agent, ticket["id"], "resolved")
    wait_for_survey(agent, ticket["id"])
    token = survey_token(agent, ticket["id"])
    response = check(helpdesk, "POST", "/api/surveys/current", answer(helpdesk, token, rating=4, comment="  Quick and kind. "))
    assert response.status_code == 200 and response.json()["status"] == "answered" and response.json()["rating"] == 4
    [survey] = surveys(agent, ticket["id"])
    assert survey["rating"] == 4 and survey["comment"] == "Quick and kind." and survey["answeredAt"]
    timeline = agent.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]
    rated = [e for e in timeline if e["action"] == "survey.rated"]
    assert len(rated) == 1 and rated[0]["actor"]["type"] == "requester"
    with pg_databases.connect(helpdesk.data_dir) as db:
        types = [t for (t,) in db.execute("SELECT type FROM events WHERE ticket_id = ? AND type LIKE 'survey.%' ORDER BY id", (ticket["id"],))]
    assert types == ["survey.created", "survey.rated"]
    assert survey_get(helpdesk, token).json()["changeable"] is True


def test_the_answer_is_changeable_until_expiry_each_change_audited_and_logged(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent, assigneeId=agent.me["agent"]["id"])
    set_status(agent, ticket["id"], "resolved")
    wait_for_survey(agent, ticket["id"])
    token = survey_token(agent, ticket["id"])
    assert answer(helpdesk, token, rating=5, comment="Great").status_code == 200
    changed = check(helpdesk, "POST", "/api/surveys/current", answer(helpdesk, token, rating=2, comment="It broke again"))
    assert changed.status_code == 200, changed.text
    assert (changed.json()["rating"], changed.json()["comment"], changed.json()["changeable"]) == (2, "It broke again", True)
    # The same answer again changes nothing.
    assert answer(helpdesk, token, rating=2, comment="It broke again").status_code == 200
    # Still one answer per survey: the survey holds the latest.
    [survey] = surveys(agent, ticket["id"])
    assert (survey["status"], survey["rating"], survey["comment"]) == ("answered", 2, "It broke again")
    page = survey_get(helpdesk, token).json()
    assert (page["rating"], page["comment"]) == (2, "It broke again")
    timeline = agent.get(f"/api/tickets/{ticket['id']}/timeline").json()["entries"]
    [change] = [e for e in timeline if e["action"] == "survey.answer_changed"]
    assert (change["before"]["rating"], change["after"]["rating"], change["actor"]["type"]) == (5, 2, "requester")
    with pg_databases.connect(helpdesk.data_dir) as db:
        types = [t for (t,) in db.execute("SELECT type FROM events WHERE ticket_id = ? AND type LIKE 'survey.%' ORDER BY id", (ticket["id"],))]
    assert types == ["survey.created", "survey.rated", "survey.answer_changed"]
    # A change to a low score notifies like a low first answer.
    notes = wait_for_notification(agent, lambda n: n["ticketId"] == ticket["id"] and n["title"].startswith("Low rating: changed to 2"))
    assert notes[0]["kind"] == "csat_rated"


def test_a_reopen_before_an_answer_cancels_the_survey(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    set_status(agent, ticket["id"], "resolved")
    wait_for_survey(agent, ticket["id"])
    token = survey_token(agent, ticket["id"])
    set_status(agent, ticket["id"], "open")
    found = wait_for_survey(agent, ticket["id"], status="cancelled")
    assert found[0]["status"] == "cancelled"
    assert survey_get(helpdesk, token).json()["status"] == "cancelled"
    problem(answer(helpdesk, token, rating=5), 409)
    assert portal_get(helpdesk, link(agent, ticket["id"])).json()["survey"] is None
    # Resolving again makes a new survey.
    set_status(agent, ticket["id"], "resolved")
    assert [s["status"] for s in wait_for_survey(agent, ticket["id"], count=2)] == ["cancelled", "pending"]


def test_closing_a_resolved_ticket_keeps_its_survey(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    set_status(agent, ticket["id"], "resolved")
    wait_for_survey(agent, ticket["id"])
    set_status(agent, ticket["id"], "closed")
    time.sleep(0.3)  # give the consumer the chance to (wrongly) cancel
    assert surveys(agent, ticket["id"])[0]["status"] == "pending"


def test_bad_input_and_bots_store_nothing(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    set_status(agent, ticket["id"], "resolved")
    wait_for_survey(agent, ticket["id"])
    token = survey_token(agent, ticket["id"])
    for rating in (0, 6, -1):
        problem(answer(helpdesk, token, rating=rating), 422, "rating")
    problem(answer(helpdesk, token, rating=5, comment="x" * 2001), 422, "comment")
    problem(answer(helpdesk, token, rating=5, comment="x" * 20_000), 413)
    problem(answer(helpdesk, token, solved=False, rating=5), 422, "captcha")
    solved = captcha(helpdesk)
    quiet = answer(helpdesk, token, solved=False, rating=1, website="spam", **solved)
    assert check(helpdesk, "POST", "/api/surveys/current", quiet).status_code == 202
    problem(answer(helpdesk, token, solved=False, rating=5, **solved), 422, "captcha")  # replayed
    assert surveys(agent, ticket["id"])[0]["status"] == "pending"
    for bad in ("", "guess", link(agent, ticket["id"])):  # an access-link token is no survey token
        problem(survey_get(helpdesk, bad), 404)


def test_reports_list_answered_surveys_with_the_resolving_agent(helpdesk, as_role):
    agent, supervisor = as_role("Agent"), as_role("Supervisor")
    ticket = new_ticket(agent, assigneeId=agent.me["agent"]["id"])
    set_status(agent, ticket["id"], "resolved")
    wait_for_survey(agent, ticket["id"])
    answer(helpdesk, survey_token(agent, ticket["id"]), rating=2, comment="Slow")
    mine = f"/api/surveys?agentId={agent.me['agent']['id']}&limit=1000"
    response = check(helpdesk, "GET", "/api/surveys", supervisor.get(mine))
    listed = [s for s in response.json()["surveys"] if s["ticketId"] == ticket["id"]]
    assert listed and listed[0]["rating"] == 2 and listed[0]["resolvedBy"]["id"] == agent.me["agent"]["id"]
    assert all(s["rating"] is not None for s in response.json()["surveys"])
    problem(agent.get("/api/surveys"), 403)
    page = supervisor.get("/api/surveys?limit=1").json()
    if page["next"]:
        after = supervisor.get(f"/api/surveys?limit=1&after={page['next']}").json()["surveys"]
        assert not after or after[0]["id"] != page["surveys"][0]["id"]


@pytest.fixture(scope="module")
def clocked():
    with tempfile.TemporaryDirectory(prefix="helpdesk-survey-") as data_dir:
        done = cli("user", "add", "--email", EMAIL, "--name", "Survey Admin", "--role", "Administrator",
                   "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        server = start_server(data_dir, "--test-clock", "--trusted-proxy", "127.0.0.1")
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        yield server
        stop_server(server)


def test_an_expired_survey_is_refused_and_says_when_it_expired(clocked):
    admin = Client(clocked, EMAIL)
    ticket = new_ticket(admin)
    set_status(admin, ticket["id"], "resolved")
    [survey] = wait_for_survey(admin, ticket["id"])
    token = survey_token(admin, ticket["id"])
    assert admin.post("/api/test/clock", json={"advanceSeconds": 7 * 86_400 + 1}).status_code == 200
    page = survey_get(clocked, token).json()
    assert page["status"] == "expired" and page["expiresAt"] == survey["expiresAt"] and page["changeable"] is False
    problem(answer(clocked, token, rating=5), 409)
    admin = Client(clocked, EMAIL)  # the week also ended the first session
    assert surveys(admin, ticket["id"])[0]["rating"] is None


def test_an_answer_cannot_change_after_expiry(clocked):
    admin = Client(clocked, EMAIL)
    ticket = new_ticket(admin)
    set_status(admin, ticket["id"], "resolved")
    wait_for_survey(admin, ticket["id"])
    token = survey_token(admin, ticket["id"])
    assert answer(clocked, token, rating=3).status_code == 200
    assert admin.post("/api/test/clock", json={"advanceSeconds": 7 * 86_400 + 1}).status_code == 200
    page = survey_get(clocked, token).json()
    assert (page["status"], page["rating"], page["changeable"]) == ("answered", 3, False)
    closed = problem(answer(clocked, token, rating=5), 409)
    assert "closed" in closed["detail"]
    assert survey_get(clocked, token).json()["rating"] == 3


def test_settings_turn_surveys_off_and_set_expiry_and_question(clocked):
    admin = Client(clocked, EMAIL)
    response = check(clocked, "PUT", "/api/survey-settings",
                     admin.put("/api/survey-settings", json={"enabled": False, "delayMinutes": 5, "expiryDays": 2, "question": "Did we help?"}))
    assert response.json() == {"enabled": False, "delayMinutes": 5, "expiryDays": 2, "question": "Did we help?"}
    # Without delayMinutes the delay stays; the change is audited with before and after.
    kept = admin.put("/api/survey-settings", json={"enabled": False, "expiryDays": 2, "question": "Did we help?"}).json()
    assert kept["delayMinutes"] == 5
    [entry] = [e for e in admin.get("/api/audit?limit=5").json()["entries"] if e["action"] == "survey_settings.updated"][:1]
    assert entry["after"]["delayMinutes"] == 5
    off = new_ticket(admin)
    set_status(admin, off["id"], "resolved")
    on = new_ticket(admin)
    try:
        time.sleep(0.3)  # the consumer handles the resolution with surveys off
        assert surveys(admin, off["id"]) == []
        assert admin.put("/api/survey-settings", json={"enabled": True, "expiryDays": 2, "question": "Did we help?"}).status_code == 200
        set_status(admin, on["id"], "resolved")
        [survey] = wait_for_survey(admin, on["id"])
        page = survey_get(clocked, survey_token(admin, on["id"])).json()
        assert page["question"] == "Did we help?"
        from datetime import datetime
        lasts = datetime.fromisoformat(survey["expiresAt"].replace("Z", "+00:00")) - datetime.fromisoformat(survey["createdAt"].replace("Z", "+00:00"))
        assert round(lasts.total_seconds()) == 2 * 86_400
        for bad, field in (({"enabled": True, "expiryDays": 0, "question": "Q"}, "expiryDays"),
                           ({"enabled": True, "expiryDays": 7, "question": "Q", "delayMinutes": -1}, "delayMinutes"),
                           ({"enabled": True, "expiryDays": 7, "question": "Q", "delayMinutes": 10_081}, "delayMinutes"),
                           ({"enabled": True, "expiryDays": 7, "question": ""}, "question"),
                           ({"enabled": True, "expiryDays": 7, "question": "q" * 301}, "question")):
            problem(admin.put("/api/survey-settings", json=bad), 422, field)
    finally:
        admin.put("/api/survey-settings", json={"enabled": True, "expiryDays": 7, "delayMinutes": 60,
                                                "question": "How satisfied are you with the help you received?"})


def wait_for_notification(client, predicate):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [n for n in client.get("/api/notifications").json()["notifications"] if predicate(n)]
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("no notification")


def test_a_rating_notifies_the_resolver_and_low_scores_stand_out(helpdesk, as_role):
    agent, supervisor = as_role("Agent"), as_role("Supervisor")
    low = new_ticket(agent, assigneeId=agent.me["agent"]["id"])
    high = new_ticket(agent, assigneeId=agent.me["agent"]["id"])
    for ticket in (low, high):
        set_status(supervisor, ticket["id"], "resolved")  # resolved by the supervisor, assigned to the agent
        wait_for_survey(agent, ticket["id"])
    answer(helpdesk, survey_token(agent, low["id"]), rating=1, comment="Nobody answered")
    answer(helpdesk, survey_token(agent, high["id"]), rating=5)
    for client in (agent, supervisor):
        [note] = wait_for_notification(client, lambda n: n["ticketId"] == low["id"] and n["kind"] == "csat_rated")
        assert note["title"].startswith(f"Low rating: 1 of 5 on {low['reference']}")
        [note] = wait_for_notification(client, lambda n: n["ticketId"] == high["id"] and n["kind"] == "csat_rated")
        assert note["title"].startswith(f"Rated 5 of 5 on {high['reference']}")
