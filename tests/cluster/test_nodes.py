"""Two nodes are one desk: each answers the whole API over the one database, a session or API
token made on one node is valid on the other, a file uploaded through one downloads through
the other (the shared data folder), and /healthz names each node and whether it leads, with
exactly one leader."""
import threading

import requests

from cluster_support import Agent, Desk, unique
from conftest import ROLES

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def test_a_session_made_on_one_node_is_valid_on_the_other(nodes, sign_in):
    a, b = nodes
    agent = sign_in("Agent", a)
    me = agent.get(b, "/api/session")
    assert me.status_code == 200 and me.json()["agent"]["id"] == agent.id
    # A write through B with A's session and CSRF token.
    ticket = agent.new_ticket(b)
    assert agent.get(a, f"/api/tickets/{ticket['id']}").json()["subject"] == ticket["subject"]
    # Signing out through B ends the session on A too.
    assert agent.delete(b, "/api/session").status_code == 204
    assert agent.get(a, "/api/session").status_code == 401


def test_an_api_token_made_on_one_node_works_on_the_other_until_revoked_there(nodes, sign_in):
    a, b = nodes
    admin = sign_in("Administrator", a)
    created = admin.post(a, "/api/tokens", json={"name": unique("cluster")}).json()
    bearer = {"Authorization": f"Bearer {created['secret']}"}
    assert requests.get(b.url("/api/tickets?limit=1"), headers=bearer, timeout=10).status_code == 200
    assert admin.delete(b, f"/api/tokens/{created['token']['id']}").status_code == 204
    assert requests.get(a.url("/api/tickets?limit=1"), headers=bearer, timeout=10).status_code == 401


def test_a_file_uploaded_through_one_node_downloads_through_the_other(nodes, sign_in):
    a, b = nodes
    agent = sign_in("Agent", a)
    ticket = agent.new_ticket(a)
    posted = agent.post(a, f"/api/tickets/{ticket['id']}/messages", data={"kind": "note", "body": "the screenshot"},
                        files=[("attachments", ("screen.png", PNG, "image/png"))])
    assert posted.status_code == 201, posted.text
    [attachment] = posted.json()["attachments"]
    downloaded = agent.get(b, attachment["url"])
    assert downloaded.status_code == 200 and downloaded.content == PNG


def test_healthz_names_each_node_and_exactly_one_leads(desk, nodes):
    a, b = nodes
    health = {node: node.health() for node in nodes}
    for node, answer in health.items():
        assert answer["status"] == "ok", (node, answer)
        assert isinstance(answer.get("node"), str) and answer["node"], (node, answer)
        assert isinstance(answer.get("leader"), bool), (node, answer)
    assert health[a]["node"] != health[b]["node"]
    assert [answer["leader"] for answer in health.values()].count(True) == 1, health
    leader = desk.leader()
    # The log names the node id at start-up, so an operator can tell the nodes apart.
    assert health[leader]["node"] in leader.log()


def test_metrics_say_which_node_leads(desk, nodes):
    leader = desk.leader()
    for node in nodes:
        text = requests.get(node.url("/metrics"), timeout=10).text
        assert f"helpdesk_leader {1 if node is leader else 0}" in text.splitlines(), (node, text[-400:])


def test_two_nodes_started_at_the_same_moment_on_a_new_database_agree(fresh_desk):
    """Both run the migrations' check and start their relays at once: neither fails, and one leads."""
    desk: Desk = fresh_desk
    launched = [desk.launch("A"), desk.launch("B")]
    errors = []

    def ready(node):
        try:
            desk.ready(node)
        except AssertionError as error:
            errors.append(error)
    threads = [threading.Thread(target=ready, args=(node,)) for node in launched]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    leader = desk.leader()
    follower = next(node for node in launched if node is not leader)
    agent = Agent(follower, ROLES["Agent"])
    ticket = agent.new_ticket(follower)
    assert agent.get(leader, f"/api/tickets/{ticket['id']}").status_code == 200
