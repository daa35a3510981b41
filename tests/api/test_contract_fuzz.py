"""A property-based contract test: requests generated from /api/openapi.json alone (path
parameters, query parameters and JSON bodies from their schemas with hypothesis-jsonschema,
plus arbitrary JSON where a body is expected), sent as an administrator to a server of
their own. Every answer must be documented for its operation (status, media type, body
schema, a 422's field in the request schema: openapi_util.check_exchange) and none may be
a 5xx.

Time is bounded: CONTRACT_EXAMPLES examples per operation (default 8), no shrinking past
a few seconds; the whole run takes about a minute on the debug build."""
import copy
import os
import tempfile

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from conftest import PASSWORD, cli, client_address, start_server, stop_server
from openapi_util import _fetch

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "8"))
METHODS = ("get", "post", "put", "patch", "delete")
# Operations a generated request must not reach, each with its reason.
SKIPPED = {
    ("delete", "/api/session"): "signs the fuzzing client out",
    ("put", "/api/agents/{id}/password"): "may change the fuzzing administrator's password",
    ("post", "/api/mailboxes/{id}/test"): "connects to the generated host over the network",
    ("post", "/api/mailboxes/test"): "connects to the generated host over the network",
}
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=8)


@pytest.fixture(scope="module")
def fuzz_server():
    with tempfile.TemporaryDirectory(prefix="helpdesk-contract-") as data_dir:
        done = cli("user", "add", "--email", "fuzz@example.test", "--name", "Fuzz Admin", "--role", "Administrator",
                   "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        server = start_server(data_dir, "--trusted-proxy", "127.0.0.1")
        import threading
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        yield server
        stop_server(server)


class Admin:
    """A signed-in administrator that signs in again whenever a request answered 401."""

    def __init__(self, server):
        self.server = server
        self.sign_in()

    def sign_in(self):
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = client_address()
        answer = self.http.post(self.server.url("/api/session"), json={"email": "fuzz@example.test", "password": PASSWORD},
                                timeout=10)
        assert answer.status_code == 200, answer.text
        self.http.headers["X-CSRF-Token"] = answer.json()["csrfToken"]


def inline(doc, schema, refs=0):
    """The schema with local $refs replaced by their targets (hypothesis-jsonschema needs
    a self-contained schema). A recursive schema (a workflow's condition groups) is cut after
    four nested $refs: the innermost one then accepts any value."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            if refs >= 4:
                return {}
            target = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
            rest = {k: v for k, v in schema.items() if k not in ("$ref", "description")}
            return {**inline(doc, target, refs + 1), **inline(doc, rest, refs)}
        return {k: inline(doc, v, refs) for k, v in schema.items() if k != "contentMediaType"}
    if isinstance(schema, list):
        return [inline(doc, v, refs) for v in schema]
    return schema


def parameter_strategy(doc, parameter):
    schema = inline(doc, parameter.get("schema", {"type": "string"}))
    if parameter["in"] == "path" and schema.get("type") == "integer":
        # Small ids hit things that exist (the fuzzer creates them as it goes); others are unknown.
        return st.one_of(st.integers(1, 4), from_schema(schema)).map(str)
    return from_schema(schema).map(lambda v: ",".join(map(str, v)) if isinstance(v, list) else str(v))


def request_strategy(doc, path, method):
    item = doc["paths"][path]
    operation = item[method]
    parameters = item.get("parameters", []) + operation.get("parameters", [])
    path_values = {p["name"]: parameter_strategy(doc, p) for p in parameters if p["in"] == "path"}
    query = {p["name"]: parameter_strategy(doc, p) for p in parameters if p["in"] == "query"}
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        schema = inline(doc, content["application/json"]["schema"])
        body = st.one_of(from_schema(schema), from_schema(schema), JSON_VALUES).map(lambda b: ("application/json", b))
    elif content:
        media = sorted(content)[0]
        body = st.binary(max_size=64).map(lambda b: (media, b))
    else:
        body = st.just(None)
    return st.fixed_dictionaries({
        "path": st.fixed_dictionaries(path_values),
        "query": st.fixed_dictionaries({}, optional=query),
        "body": body,
    })


@pytest.mark.parametrize("method", METHODS)
def test_generated_requests_get_documented_answers(fuzz_server, method):
    doc = _fetch(fuzz_server.base_url)
    admin = Admin(fuzz_server)
    paths = sorted(p for p, item in doc["paths"].items() if method in item and p.startswith("/api/")
                   and (method, p) not in SKIPPED)
    assert paths
    for path in paths:
        strategy = request_strategy(doc, path, method)

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(strategy)
        def exchange(example):
            target = path
            for name, value in example["path"].items():
                target = target.replace("{" + name + "}", requests.utils.quote(value, safe=""))
            kwargs = {"params": example["query"], "timeout": 30}
            if example["body"] is not None:
                media, body = example["body"]
                if media == "application/json":
                    kwargs["json"] = body
                else:
                    kwargs["data"], kwargs["headers"] = body, {"Content-Type": media}
            response = admin.http.request(method.upper(), fuzz_server.url(target), **kwargs)
            # conftest's exchange checks already held the answer against the document.
            assert response.status_code < 500, f"{method.upper()} {target} {kwargs}: {response.status_code} {response.text[:300]}"
            if response.status_code == 401:
                admin.sign_in()

        exchange()
