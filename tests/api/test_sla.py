"""SLA policies over real HTTP: CRUD with validation naming the field, the `sla` object on
every ticket, moving a ticket to another policy, the slaStatus filter and the preset."""
import pytest

from openapi_util import check
from tickets_support import new_ticket, problem, unique

TARGETS = {"urgent": 30, "high": 60, "medium": 120, "low": 240}


def policy_body(**fields):
    body = {"name": unique("Policy"), "firstResponse": TARGETS, "resolution": {k: v * 4 for k, v in TARGETS.items()},
            "hours": {"start": "08:00", "end": "18:00", "weekdays": ["mon", "tue", "wed", "thu", "fri"]},
            "timeZone": "Europe/Berlin", "holidays": ["2026-12-25", "2026-12-24"], "warningPercent": 20}
    body.update(fields)
    return body


@pytest.fixture
def supervisor(as_role):
    return as_role("Supervisor")


def create(client, helpdesk, **fields):
    response = client.post("/api/sla-policies", json=policy_body(**fields))
    check(helpdesk, "POST", "/api/sla-policies", response)
    assert response.status_code == 201, response.text
    return response.json()


def test_the_seeded_default_policy_is_listed_first(helpdesk, as_role):
    response = check(helpdesk, "GET", "/api/sla-policies", as_role("Agent").get("/api/sla-policies"))
    first = response.json()["policies"][0]
    assert first["isDefault"] and first["name"] == "Standard"
    assert first["hours"] == {"start": "09:00", "end": "17:00", "weekdays": ["mon", "tue", "wed", "thu", "fri"]}


def test_a_created_policy_reads_back_with_sorted_holidays_and_location(helpdesk, supervisor):
    response = supervisor.post("/api/sla-policies", json=policy_body(nextResponse={"urgent": 15, "high": 30, "medium": 60, "low": 90}))
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["Location"] == f"/api/sla-policies/{created['id']}"
    read = check(helpdesk, "GET", "/api/sla-policies/{id}", supervisor.get(f"/api/sla-policies/{created['id']}")).json()
    assert read == created
    assert read["holidays"] == ["2026-12-24", "2026-12-25"] and read["timeZone"] == "Europe/Berlin"
    assert read["nextResponse"]["urgent"] == 15 and read["warningPercent"] == 20 and not read["isDefault"]


def test_patch_changes_only_the_keys_sent_and_null_stops_next_response(helpdesk, supervisor):
    created = create(supervisor, helpdesk, nextResponse=TARGETS)
    response = supervisor.patch(f"/api/sla-policies/{created['id']}", json={"warningPercent": 40, "nextResponse": None,
                                                                           "hours": {"start": "22:00", "end": "06:00", "weekdays": ["sun"]}})
    check(helpdesk, "PATCH", "/api/sla-policies/{id}", response)
    patched = response.json()
    assert patched["warningPercent"] == 40 and patched["nextResponse"] is None
    assert patched["hours"] == {"start": "22:00", "end": "06:00", "weekdays": ["sun"]}
    assert patched["name"] == created["name"] and patched["firstResponse"] == created["firstResponse"]


def test_delete_removes_a_policy_but_never_the_default(helpdesk, supervisor):
    created = create(supervisor, helpdesk)
    assert supervisor.delete(f"/api/sla-policies/{created['id']}").status_code == 204
    problem(check(helpdesk, "GET", "/api/sla-policies/{id}", supervisor.get(f"/api/sla-policies/{created['id']}")), 404)
    default = supervisor.get("/api/sla-policies").json()["policies"][0]
    problem(check(helpdesk, "DELETE", "/api/sla-policies/{id}", supervisor.delete(f"/api/sla-policies/{default['id']}")), 409, None)


@pytest.mark.parametrize("fields, field", [
    ({"name": "  "}, "name"), ({"firstResponse": {**TARGETS, "urgent": 0}}, "firstResponse.urgent"),
    ({"resolution": {**TARGETS, "low": 10_000_000}}, "resolution.low"), ({"firstResponse": {"urgent": 5}}, "firstResponse.high"),
    ({"hours": {"start": "9am", "end": "17:00", "weekdays": ["mon"]}}, "hours.start"),
    ({"hours": {"start": "09:00", "end": "24:30", "weekdays": ["mon"]}}, "hours.end"),
    ({"hours": {"start": "09:00", "end": "17:00", "weekdays": ["funday"]}}, "hours.weekdays"),
    ({"hours": {"start": "09:00", "end": "17:00", "weekdays": []}}, "hours.weekdays"),
    ({"timeZone": "Mars/Olympus_Mons"}, "timeZone"), ({"holidays": ["2026-02-30"]}, "holidays"),
    ({"warningPercent": 0}, "warningPercent"), ({"warningPercent": 100}, "warningPercent"), ({"warningPercent": "lots"}, "warningPercent"),
])
def test_invalid_policies_are_422_naming_the_field(helpdesk, supervisor, fields, field):
    response = supervisor.post("/api/sla-policies", json=policy_body(**fields))
    problem(check(helpdesk, "POST", "/api/sla-policies", response), 422, field)


def test_a_policy_without_name_or_targets_is_422(supervisor):
    for missing in ("name", "firstResponse", "resolution"):
        body = policy_body()
        del body[missing]
        problem(supervisor.post("/api/sla-policies", json=body), 422, missing)


def test_duplicate_names_conflict(helpdesk, supervisor):
    created = create(supervisor, helpdesk)
    problem(check(helpdesk, "POST", "/api/sla-policies", supervisor.post("/api/sla-policies", json=policy_body(name=created["name"]))), 409)


def test_every_ticket_carries_its_sla_in_detail_and_list(helpdesk, as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent, priority="high", tags=[tag := unique("sla")])
    default = agent.get("/api/sla-policies").json()["policies"][0]
    sla = ticket["sla"]
    assert sla["policyId"] == default["id"] and sla["status"] in ("on_track", "breaching", "breached")
    metrics = {m["metric"]: m for m in sla["metrics"]}
    assert set(metrics) == {"first_response", "resolution"}
    assert metrics["first_response"]["targetMinutes"] == default["firstResponse"]["high"]
    assert metrics["resolution"]["targetMinutes"] == default["resolution"]["high"]
    assert not metrics["first_response"]["met"] and metrics["first_response"]["running"]
    assert sla["nearestDueAt"] == min(m["dueAt"] for m in sla["metrics"] if m["dueAt"])
    detail = check(helpdesk, "GET", "/api/tickets/{id}", agent.get(f"/api/tickets/{ticket['id']}")).json()
    assert detail["sla"]["policyId"] == sla["policyId"]
    listed = check(helpdesk, "GET", "/api/tickets", agent.get("/api/tickets", params={"tag": tag})).json()["tickets"]
    assert listed[0]["sla"]["metrics"] == detail["sla"]["metrics"]


def test_a_public_reply_meets_first_response(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    assert agent.post(f"/api/tickets/{ticket['id']}/messages", json={"kind": "reply", "body": "On it"}).status_code == 201
    metrics = {m["metric"]: m for m in agent.get(f"/api/tickets/{ticket['id']}").json()["sla"]["metrics"]}
    assert metrics["first_response"]["met"] and metrics["first_response"]["metAt"] and not metrics["first_response"]["running"]


def test_putting_a_ticket_under_another_policy_recomputes_its_targets(helpdesk, supervisor, as_role):
    policy = create(supervisor, helpdesk)
    agent = as_role("Agent")
    ticket = new_ticket(agent, priority="urgent")
    response = agent.put(f"/api/tickets/{ticket['id']}/sla-policy", json={"policyId": policy["id"]})
    check(helpdesk, "PUT", "/api/tickets/{id}/sla-policy", response)
    sla = response.json()["sla"]
    assert sla["policyId"] == policy["id"]
    assert {m["metric"]: m["targetMinutes"] for m in sla["metrics"]}["first_response"] == TARGETS["urgent"]
    problem(agent.put(f"/api/tickets/{ticket['id']}/sla-policy", json={"policyId": 987654}), 404)
    problem(agent.put("/api/tickets/987654/sla-policy", json={"policyId": policy["id"]}), 404)
    problem(agent.put(f"/api/tickets/{ticket['id']}/sla-policy", json={"policyId": "x"}), 422, "policyId")


def test_sla_status_filter_takes_lists_and_the_preset_is_listed(helpdesk, as_role):
    agent = as_role("Agent")
    tag = unique("slaf")
    ticket = new_ticket(agent, tags=[tag])
    status = ticket["sla"]["status"]
    ids = lambda params: [t["id"] for t in agent.get("/api/tickets", params={"tag": tag, **params}).json()["tickets"]]
    assert ids({"slaStatus": status}) == [ticket["id"]]
    assert ids({"slaStatus": ["paused", f"met,{status}"]}) == [ticket["id"]]
    assert ids({"slaStatus": "paused"}) == []
    presets = {p["id"]: p for p in agent.get("/api/presets").json()["presets"]}
    assert presets["sla-breaching"]["name"] == "SLA Breaching"
    assert presets["sla-breaching"]["filter"]["slaStatus"] == "breaching,breached"
    expected = [ticket["id"]] if status in ("breaching", "breached") else []
    assert ids({"preset": "sla-breaching"}) == expected
