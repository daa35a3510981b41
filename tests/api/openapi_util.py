"""Checks responses against what /api/openapi.json documents for their operation.

`check` asserts one response explicitly. `install_exchange_checks` (used by conftest.py for
the whole API suite) checks EVERY response any test receives from a help desk server: the
status is documented for the operation (or the path/method is unknown and the answer is
404/405), a JSON or problem body validates against the documented schema, and a 422's
`field` names a property of the request body's schema or a parameter of the operation."""
import json
import re
import threading

from urllib.parse import parse_qs, urlparse

import jsonschema
import requests

_DOCUMENTS = {}
_LOCK = threading.Lock()
_ORIGINAL_SEND = requests.Session.send
_METHODS = ("get", "put", "post", "patch", "delete", "head", "options")


def _fetch(base_url):
    """The document at base_url, fetched without going through the exchange checks."""
    with _LOCK:
        if base_url not in _DOCUMENTS:
            session = requests.Session()
            request = session.prepare_request(requests.Request("GET", base_url + "/api/openapi.json"))
            response = _ORIGINAL_SEND(session, request, timeout=10)
            assert response.status_code == 200, response.status_code
            _DOCUMENTS[base_url] = response.json()
        return _DOCUMENTS[base_url]


def document(server):
    """The server's OpenAPI document (fetched once per server)."""
    return _fetch(server.base_url)


def _validate_body(doc, label, media, content, response):
    assert media in content or "*/*" in content, f"{label}: {media} not documented ({list(content)})"
    if media.endswith("json") and media in content:
        schema = {**content[media]["schema"], "components": doc["components"]}
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(response.json())


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
    _validate_body(doc, f"{method} {template} {status}", media, content, response)
    return response


# ---- every exchange ----------------------------------------------------------------------------

def template_for(doc, path):
    """The documented path template matching a concrete path (static segments win), or None."""
    cache = doc.setdefault("_x_templates", {})
    if not cache:
        for template in doc["paths"]:
            pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
            cache[template] = (template.count("{"), re.compile(pattern))
    matches = [(params, template) for template, (params, rx) in cache.items() if rx.match(path)]
    return min(matches)[1] if matches else None


def resolve(doc, schema):
    """Follows a local $ref."""
    while isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema


def property_names(doc, schema):
    """Every property name a request schema allows, through allOf/oneOf/anyOf."""
    schema = resolve(doc, schema)
    if not isinstance(schema, dict):
        return set()
    names = set(schema.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            names |= property_names(doc, part)
    return names


def request_field_names(doc, template, method, request):
    """The names a 422 `field` may use for this request: the body schema's properties for
    the content type sent, every parameter of the path and the operation, the name a raw
    body goes by (`x-field` of the request body), the operation's `x-problem-fields`, and
    the keys the client itself sent in JSON, the query or a form (a problem may name an
    undocumented key the client used, never one it did not)."""
    item = doc["paths"][template]
    operation = item[method]
    names = {p["name"] for p in item.get("parameters", []) + operation.get("parameters", [])}
    request_body = operation.get("requestBody", {})
    sent = (request.headers.get("Content-Type") or "").split(";")[0].strip()
    if "x-field" in request_body:
        names.add(request_body["x-field"])
    names |= set(operation.get("x-problem-fields", []))
    names |= set(parse_qs(urlparse(request.url).query, keep_blank_values=True))
    if sent == "multipart/form-data" and isinstance(request.body, bytes):
        names |= {m.decode("utf-8", "replace") for m in re.findall(rb'name="([^"]+)"', request.body)}
    for media, entry in request_body.get("content", {}).items():
        if media == sent or not sent:
            names |= property_names(doc, entry.get("schema", {}))
    if sent == "application/json" and request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            body = None
        if isinstance(body, dict):
            names |= set(body)
    return names


def check_exchange(doc, response):
    """Asserts the response to `response.request` is what the document says it can be."""
    request = response.request
    path = requests.utils.urlparse(request.url).path
    method = request.method.lower()
    label = f"{request.method} {path} -> {response.status_code}"
    template = template_for(doc, path)
    if template is None:
        assert response.status_code == 404 or not path.startswith("/api/"), f"{label}: path not documented"
        return
    item = doc["paths"][template]
    if method == "head" and "head" not in item:
        method = "get"
    if method not in item:
        if method != "options":
            assert response.status_code in (404, 405), f"{label}: {request.method} is not documented for {template}"
        return
    documented = item[method]["responses"]
    status = str(response.status_code)
    assert status in documented, f"{label}: undocumented status for {request.method} {template}: {response.text[:200]}"
    content = documented[status].get("content")
    media = response.headers.get("Content-Type", "").split(";")[0].strip()
    if content and method != "head" and response.content:
        _validate_body(doc, label, media, content, response)
    if response.status_code == 422 and media == "application/problem+json":
        field = response.json().get("field")
        if field:
            root = re.split(r"[.\[]", field, maxsplit=1)[0]
            allowed = request_field_names(doc, template, method, request)
            assert root in allowed, f"{label}: field {field!r} is not in the request schema or parameters ({sorted(allowed)})"


def install_exchange_checks(base_urls):
    """Patches requests so every response from a server in `base_urls` (a set, updated by
    the caller as servers start) is checked with `check_exchange`."""
    def send(session, request, **kwargs):
        response = _ORIGINAL_SEND(session, request, **kwargs)
        parts = requests.utils.urlparse(request.url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base in base_urls and parts.path != "/api/openapi.json":
            try:
                doc = _fetch(base)
            except (requests.RequestException, AssertionError):
                return response  # the server is going away (a crash test): nothing to check against
            check_exchange(doc, response)
        return response
    requests.Session.send = send
