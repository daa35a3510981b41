"""GET /api/search over real HTTP: by reference (TKT-n, n, #n; the exact hit first), by
requester name and email, by words, the list's q finding the same tickets, and bad input."""
from tickets_support import new_ticket, problem, unique


def search(client, text, **params):
    response = client.get("/api/search", params={"q": text, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_reference_number_or_hash_number_is_the_exact_hit_listed_first(as_role):
    agent = as_role("Agent")
    ticket = new_ticket(agent)
    number = int(ticket["reference"].split("-")[1])
    for text in (ticket["reference"], ticket["reference"].lower(), str(number), f"#{number}"):
        found = search(agent, text)
        assert found["exact"]["id"] == ticket["id"], text
        assert found["tickets"][0]["id"] == ticket["id"], text
        assert found["query"] == text
    missing = search(agent, "TKT-99999999")
    assert missing["exact"] is None


def test_requesters_are_found_by_name_and_email_with_their_tickets(as_role):
    agent = as_role("Agent")
    surname = unique("Quill").replace("-", "")
    email = f"{unique('mara')}@{surname.lower()}.example"
    first = new_ticket(agent, requester={"name": f"Mara {surname}", "email": email})
    second = new_ticket(agent, requester={"email": email})
    for text in (surname, f"mara {surname[:6]}", email, email.split("@")[1]):
        found = search(agent, text, limit=5)
        assert [t["id"] for t in found["tickets"]] == [second["id"], first["id"]], text
        assert [c["email"] for c in found["contacts"]] == [email], text
        assert found["exact"] is None


def test_words_match_subjects_descriptions_and_replies_and_the_list_q_agrees(as_role):
    agent = as_role("Agent")
    word = unique("gizmo").replace("-", "")
    by_subject = new_ticket(agent, subject=f"The {word} is broken")
    by_reply = new_ticket(agent)
    assert agent.post(f"/api/tickets/{by_reply['id']}/messages", json={"kind": "reply", "body": f"Try the {word} again"}).status_code == 201
    found = search(agent, word[:-2])
    assert {t["id"] for t in found["tickets"]} == {by_subject["id"], by_reply["id"]}
    listed = agent.get("/api/tickets", params={"q": word[:-2]}).json()["tickets"]
    assert {t["id"] for t in listed} == {by_subject["id"], by_reply["id"]}
    by_reference = agent.get("/api/tickets", params={"q": by_reply["reference"]}).json()["tickets"]
    assert [t["id"] for t in by_reference] == [by_reply["id"]]


def test_empty_long_or_nul_text_and_bad_limits(as_role, anonymous, helpdesk):
    agent = as_role("Agent")
    assert search(agent, "  ") == {"query": "  ", "exact": None, "contacts": [], "tickets": []}
    problem(agent.get("/api/search", params={"q": "x" * 501}), 422, "q")
    problem(agent.get("/api/search", params={"q": "a\u0000b"}), 422, "q")
    problem(agent.get("/api/search", params={"q": "a", "limit": "0"}), 422, "limit")
    problem(agent.get("/api/search", params={"q": "a", "limit": "51"}), 422, "limit")
    for hostile in ('"', 'NEAR(a b)', '* OR -', "a:b", "^x"):
        assert agent.get("/api/search", params={"q": hostile}).status_code == 200, hostile
    assert anonymous.get(helpdesk.url("/api/search"), params={"q": "a"}).status_code == 401
