"""Checks a response against what /api/openapi.json documents for its operation."""
import jsonschema
import requests

_DOCUMENTS = {}


def document(server):
    """The server's OpenAPI document (fetched once per server)."""
    if server.base_url not in _DOCUMENTS:
        response = requests.get(server.url("/api/openapi.json"), timeout=10)
        assert response.status_code == 200
        _DOCUMENTS[server.base_url] = response.json()
    return _DOCUMENTS[server.base_url]


def check(server, method, template, response):
    """Asserts the status is documented for `method template` and, for JSON and problem
    bodies, that the body validates against the documented schema. Returns the response."""
    doc = document(server)
    operation = doc["paths"][template][method.lower()]
    documented = operation["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method} {template} answered undocumented {status}: {response.text[:200]}"
    content = documented[status].get("content")
    if not content:
        return response
    media = response.headers.get("Content-Type", "").split(";")[0].strip()
    assert media in content, f"{method} {template} {status}: {media} not documented ({list(content)})"
    if media.endswith("json"):
        schema = dict(content[media]["schema"])
        schema["components"] = doc["components"]
        jsonschema.validate(response.json(), schema)
    return response
