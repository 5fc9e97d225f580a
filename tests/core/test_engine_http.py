"""The engine over HTTP with a test-only vendor, on both builds: the request path (routing, auth, parameter
and body handling, errors), the gateway (tenants, virtual hosts, rate-limit headers, faults, 204s, journal)."""

from __future__ import annotations

import httpx
import pytest

from mocks.core.app import Suite
from mocks.testing import Mocks, MockServer

from .sample.vendor import Sample

KEY = {"X-Key": "secret"}


@pytest.fixture(scope="module", params=["async", "flask"])
def server(request):
    with MockServer(Suite([Sample()], framework=request.param, validate_responses=True)) as server:
        yield server


@pytest.fixture
def client(server):
    Mocks(server).reset()
    with httpx.Client(base_url=server.url + "/sample", headers=KEY) as client:
        yield client


def test_parameters_arrive_coerced_with_defaults(client):
    body = client.get("/items", params=[("ids[]", "3"), ("ids[]", "1"), ("tags", "a,b"), ("created_at.gt", "x")]).json()
    assert body == {
        "limit": 10,
        "ids": [3, 1],
        "tags": ["a", "b"],
        "created_at_gt": "x",
        "count": 3,
        "tenant": "default",
        "principal": {"sub": "tester"},
    }


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"limit": "0"}, [["query", "limit", "minimum", "0"]]),
        ({"limit": "abc"}, [["query", "limit", "type", "abc"]]),
        ({"limit": "99", "ids[]": "x"}, [["query", "ids[]/0", "type", "x"], ["query", "limit", "maximum", "99"]]),
    ],
)
def test_parameter_failures_are_structured(client, params, expected):
    response = client.get("/items", params=params)
    assert response.status_code == 400
    assert sorted(response.json()["failures"]) == sorted(expected)


def test_header_parameter_validated(client):
    assert client.get("/items", headers={"X-Trace": "abc"}).status_code == 200
    assert client.get("/items", headers={"X-Trace": "ABC"}).json()["failures"] == [
        ["header", "X-Trace", "pattern", "ABC"]
    ]


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post("/items", json={"name": "n", "size": 2, "colors": ["red"]}),
        lambda c: c.post("/items", data={"name": "n", "size": "2", "colors": "red"}),
    ],
)
def test_json_and_form_bodies_are_the_same_body(client, send):
    response = send(client)
    assert response.status_code == 201
    assert response.json() == {"id": 4, "name": "n", "size": 2, "colors": ["red"]}


@pytest.mark.parametrize(
    "kwargs, failures",
    [
        ({"json": {"size": "big"}}, [["body", "/name", "required", None], ["body", "/size", "type", "big"]]),
        ({"content": b"{nope", "headers": {"Content-Type": "application/json"}}, [["body", "", "json", "{nope"]]),
        ({"content": b"", "headers": {"Content-Type": "application/json"}}, [["body", "", "missing", None]]),
    ],
)
def test_body_failures_are_structured(client, kwargs, failures):
    response = client.post("/items", **kwargs)
    assert response.status_code == 400
    assert response.json()["failures"] == failures


def test_unsupported_media_type_reaches_the_vendor(client):
    response = client.post("/items", content=b"name=x", headers={"Content-Type": "text/plain"})
    assert (response.status_code, response.json()["kind"]) == (415, "unsupported_media_type")


def test_multipart_upload(client):
    response = client.post(
        "/upload", files={"file": ("a.pdf", b"%PDF-1.4 hello", "application/pdf")}, data={"note": "cv"}
    )
    assert response.json() == {"note": "cv", "filename": "a.pdf", "size": 14, "content_type": "application/pdf"}
    missing = client.post("/upload", data={"note": "cv"}, files={"other": ("x", b"1")})
    assert missing.status_code == 400 and ["body", "/file", "required", None] in missing.json()["failures"]


def test_integer_path_parameter(client):
    assert client.get("/items/2").json() == {"id": 2, "name": "item 2"}
    assert client.get("/items/9").json() == {"error": "missing", "id": 9}
    assert client.get("/items/abc").json()["kind"] == "not_found"  # int routes do not match text (Connexion)


def test_real_204(client):
    response = client.delete("/items/1")
    assert (response.status_code, response.content) == (204, b"")
    assert "content-type" not in response.headers and "content-length" not in response.headers


def test_405_lists_allowed_methods(client):
    response = client.put("/items/1")
    assert (response.status_code, response.json()["kind"]) == (405, "method_not_allowed")
    assert response.headers["allow"] == "GET, HEAD, DELETE"


def test_unknown_path_under_the_mount(client):
    response = client.get("/nowhere")
    assert (response.status_code, response.json()) == (404, {"kind": "not_found", "failures": []})


def test_missing_credentials_are_the_vendors_401(client):
    response = client.get("/items", headers={"X-Key": ""})
    assert (response.status_code, response.json()) == (401, {"error": "no key"})
    assert client.get("/public", headers={"X-Key": ""}).text == "pong"


def test_strict_validation_rejects_unknown_query_parameters(server):
    with httpx.Client(base_url=server.url + "/sample/strict", headers=KEY) as client:
        assert client.get("/strict", params={"known": "1"}).json() == {"known": "1"}
        response = client.get("/strict", params={"known": "1", "other": "2"})
        assert response.json()["failures"] == [["query", "other", "additionalProperties", "2"]]


def test_tenant_rule_and_override(client):
    assert client.get("/items", params={"tenant": "acme"}).json()["tenant"] == "acme"
    assert client.get("/items", params={"tenant": "acme"}, headers={"X-Mock-Tenant": "zeta"}).json()["tenant"] == "zeta"
    client.post("/items", json={"name": "only in acme"}, params={"tenant": "acme"})
    assert client.get("/items", params={"tenant": "acme"}).json()["count"] == 4
    assert client.get("/items").json()["count"] == 3


def test_virtual_host(server):
    with httpx.Client(base_url=server.url, headers={**KEY, "Host": "api.sample.test"}) as client:
        assert client.get("/items/2").json() == {"id": 2, "name": "item 2"}


def test_rate_limit_headers_count_down_and_429(client, server):
    mocks = Mocks(server)
    mocks.limit("sample", "all", 2)
    first = client.get("/items")
    assert (first.headers["x-ratelimit-limit"], first.headers["x-ratelimit-remaining"]) == ("2", "1")
    assert client.get("/items/9").headers["x-ratelimit-remaining"] == "0"  # error responses carry them too
    limited = client.get("/items")
    assert (limited.status_code, limited.json()) == (429, {"error": "slow down"})
    assert limited.headers["retry-after"] == "60" and limited.headers["x-ratelimit-remaining"] == "0"
    assert int(limited.headers["x-ratelimit-reset"]) == pytest.approx(mocks.clock.time() + 60, abs=2)


def test_fault_status_and_count(client, server):
    Mocks(server).fault("sample", status=502, path="/items", times=2)
    assert [client.get("/items").status_code for _ in range(3)] == [502, 502, 200]
    assert client.get("/items/1").status_code == 200  # another path


def test_fault_with_custom_body(client, server):
    Mocks(server).fault("sample", status=500, body={"boom": True}, headers={"X-Why": "test"}, method="POST")
    response = client.post("/items", json={"name": "n"})
    assert (response.status_code, response.json(), response.headers["x-why"]) == (500, {"boom": True}, "test")


def test_journal_entry(client, server):
    client.post("/items", json={"name": "journaled"}, headers={"X-Mock-Tenant": "j"})
    entry = Mocks(server).journal(vendor="sample", tenant="j")[-1]
    assert (entry.method, entry.path, entry.status) == ("POST", "/sample/items", 201)
    assert entry.request_body == '{"name":"journaled"}'
    assert '"journaled"' in entry.response_body and entry.response_headers["content-type"] == "application/json"


def test_absurdly_long_integer_ids_match_no_route(client):
    response = client.get("/items/" + "9" * 5000)
    assert (response.status_code, response.json()["kind"]) == (404, "not_found")
