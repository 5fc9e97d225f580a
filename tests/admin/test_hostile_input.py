"""Admin input that broke the suite (issue 15): every refusal is a 400 naming the field, nothing changes, and
the vendors keep answering."""

from __future__ import annotations

import json

import pytest

JSON = {"Content-Type": "application/json"}
BODY_ENDPOINTS = [
    ("POST", "/_mocks/reset"),
    ("POST", "/_mocks/seed"),
    ("POST", "/_mocks/clock"),
    ("PUT", "/_mocks/ratelimits"),
    ("POST", "/_mocks/faults"),
    ("POST", "/_mocks/tokens"),
    ("DELETE", "/_mocks/tokens"),
    ("PATCH", "/_mocks/settings"),
    ("PUT", "/_mocks/snapshot"),
]


def state(http) -> dict:
    """Everything an admin call could change."""
    return {path: http.get(f"/_mocks/{path}").json() for path in ("clock", "seed", "ratelimits", "faults", "snapshot")}


def vendors_answer(http, mocks) -> None:
    for vendor in mocks.suite.vendors.values():
        # with the credentials of one of its APIs (PERSCOM's v1 and v2 share a base path; the bench path is v1)
        answers = [
            http.get(vendor.bench["path"], headers=vendor.contract_headers(mocks.suite, api)) for api in vendor.apis
        ]
        assert any(a.status_code == 200 for a in answers), (
            vendor.name,
            [(a.status_code, a.text[:200]) for a in answers],
        )


@pytest.fixture
def frozen(http, mocks):
    """A frozen clock and every vendor's default world seeded (a call that looks at a world seeds it, which
    changes nothing a client can see but the snapshot), so that `state()` compares equal when nothing changed."""
    http.post("/_mocks/clock", json={"freeze": "2026-03-01T10:00:00Z"})
    for vendor in mocks.suite.vendors:
        mocks.world(vendor)
    return mocks


@pytest.mark.parametrize(
    "method, path, raw, field",
    [
        ("POST", "/_mocks/clock", '{"advance": 1e300}', "advance"),
        ("POST", "/_mocks/clock", '{"advance": "inf"}', "advance"),
        ("POST", "/_mocks/clock", '{"advance": "nan"}', "advance"),
        ("POST", "/_mocks/clock", '{"advance": "-P99999999D"}', "advance"),
        ("POST", "/_mocks/clock", '{"advance": "P99999999D"}', "advance"),
        ("POST", "/_mocks/clock", '{"set": "10000-01-01T00:00:00Z"}', "set"),
        ("POST", "/_mocks/clock", '{"freeze": "0001-01-01T00:00:00+01:00"}', "freeze"),
        ("POST", "/_mocks/clock", '{"set": "2030-01-01T00:00:00Z", "advance": "P9999999D"}', "advance"),
        ("POST", "/_mocks/clock", '{"freeze": false}', "freeze"),
        ("POST", "/_mocks/clock", '{"advance": "PT1H", "jump": 1}', "jump"),
        ("POST", "/_mocks/seed", '{"seed": 1.5}', "seed"),
        ("POST", "/_mocks/seed", '{"seed": 18446744073709551615}', "seed"),
        ("POST", "/_mocks/seed", '{"seed": "42"}', "seed"),
        ("PUT", "/_mocks/ratelimits", '{"enabled": "false"}', "enabled"),
        ("PUT", "/_mocks/ratelimits", '{"enabled": false, "extra": 1}', "extra"),
        ("PUT", "/_mocks/ratelimits", '{"vendor": "piwik_pro", "limit": -1}', "limit"),
        ("PUT", "/_mocks/ratelimits", '{"vendor": "piwik_pro", "limit": 1e20}', "limit"),
        ("PUT", "/_mocks/ratelimits", '{"vendor": "piwik_pro", "window_seconds": -5}', "window_seconds"),
        ("PUT", "/_mocks/ratelimits", '{"vendor": "piwik_pro", "window_seconds": 0}', "window_seconds"),
        ("PUT", "/_mocks/ratelimits", '{"vendor": "piwik_pro", "window": "-PT1M"}', "window"),
        ("PUT", "/_mocks/ratelimits", '{"vendor": "piwik_pro", "window": "PT0S"}', "window"),
        ("PUT", "/_mocks/ratelimits", '{"vendor": "piwik_pro", "rule": "nope", "limit": 1}', "rule"),
        ("PUT", "/_mocks/ratelimits", '{"vendor": "nope", "limit": 1}', "vendor"),
        ("POST", "/_mocks/faults", '{"status": 500, "method": 5}', "method"),
        ("POST", "/_mocks/faults", '{"status": 500, "method": "FETCH"}', "method"),
        ("POST", "/_mocks/faults", '{"status": 500, "headers": {"X-A": "a\\r\\nSet-Cookie: x"}}', "headers.X-A"),
        ("POST", "/_mocks/faults", '{"status": 500, "headers": {"X A": "b"}}', "headers.X A"),
        ("POST", "/_mocks/faults", '{"status": 500, "headers": {"X-A": "\\u20ac"}}', "headers.X-A"),
        ("POST", "/_mocks/faults", '{"status": 101}', "status"),
        ("POST", "/_mocks/faults", '{"status": 600}', "status"),
        ("POST", "/_mocks/faults", '{"status": 500, "times": 1000000000000}', "times"),
        ("POST", "/_mocks/faults", '{"status": 500, "times": 0}', "times"),
        ("POST", "/_mocks/faults", '{"status": 500, "latency_ms": -1}', "latency_ms"),
        ("POST", "/_mocks/faults", '{"status": 500, "drop": "reset"}', "body"),
        ("POST", "/_mocks/faults", '{"drop": "explode"}', "drop"),
        ("POST", "/_mocks/faults", '{"status": 500, "vendor": "nope"}', "vendor"),
        ("POST", "/_mocks/faults", '{"status": 500, "colour": "red"}', "colour"),
        ("POST", "/_mocks/tokens", '{"vendor": 5}', "vendor"),
        ("POST", "/_mocks/tokens", '{"vendor": "tasq", "tenant": ""}', "tenant"),
        ("DELETE", "/_mocks/tokens", '{"vendor": "tasq", "token": "x", "extra": 1}', "extra"),
        (
            "PATCH",
            "/_mocks/settings",
            '{"vendor": "tasq", "settings": {"authorizer_cache_seconds": -1}}',
            "settings.authorizer_cache_seconds",
        ),
        ("PATCH", "/_mocks/settings", '{"vendor": "personio", "settings": {"rotate": "yes"}}', "settings.rotate"),
        ("POST", "/_mocks/reset", '{"vendor": "piwik_pro", "everything": true}', "everything"),
    ],
)
def test_refused_with_the_field_named_and_nothing_changed(http, frozen, method, path, raw, field):
    before = state(http)
    answer = http.request(method, path, content=raw.encode(), headers=JSON)
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["field"] == field and answer.json()["error"]
    assert state(http) == before
    vendors_answer(http, frozen)


@pytest.mark.parametrize(
    "raw",
    [
        '{"advance": NaN}',
        '{"advance": Infinity}',
        '{"seed": 1e400}',
        '{"advance": -Infinity}',
        b'{"seed": "\xff"}',
        '{"seed": 1',
        "[1]",
        '"x"',
    ],
)
def test_json_that_is_not_strict_json_or_not_an_object(http, frozen, raw):
    before = state(http)
    path = "/_mocks/seed" if "seed" in str(raw) else "/_mocks/clock"
    answer = http.post(path, content=raw if isinstance(raw, bytes) else raw.encode(), headers=JSON)
    assert answer.status_code == 400 and answer.json()["field"] == "body"
    assert state(http) == before


@pytest.mark.parametrize("window", ["Infinity", "NaN", "1e400"])
def test_a_rate_window_of_infinity_or_nan_is_refused(http, frozen, window):
    answer = http.put(
        "/_mocks/ratelimits", content=f'{{"vendor": "piwik_pro", "window_seconds": {window}}}', headers=JSON
    )
    assert answer.status_code == 400
    rules = http.get("/_mocks/ratelimits").json()["vendors"]["piwik_pro"]
    assert {r["window_seconds"] for r in rules} == {60}


@pytest.mark.parametrize("method, path", BODY_ENDPOINTS)
def test_deep_json_is_a_clean_400_on_every_body_endpoint(http, frozen, method, path):
    before = state(http)
    for depth in (100_000, 65):
        deep = b"[" * depth + b"]" * depth
        answer = http.request(method, path, content=b'{"x": ' + deep + b"}", headers=JSON)
        assert answer.status_code == 400, answer.text
        assert answer.json()["field"] == "body" or answer.json()["field"].startswith("x.0.0.0")
        assert "nested deeper than 64" in answer.json()["error"] or "depth limit" in answer.json()["error"]
    assert state(http) == before


@pytest.mark.parametrize("method, path", BODY_ENDPOINTS)
def test_unknown_keys_are_refused_on_every_body_endpoint(http, frozen, method, path):
    before = state(http)
    answer = http.request(method, path, content=b'{"vendor": "tasq", "surprise": 1}', headers=JSON)
    refusal = answer.json()
    assert answer.status_code == 400
    # the unknown key, or a field missing before it (a vendor's own parameters: its message names them)
    assert refusal.get("field") in ("surprise", "settings", "seed", "token", "worlds", "vendor") or (
        path == "/_mocks/tokens" and "surprise" in refusal["error"]
    )
    assert state(http) == before


def test_journal_query_is_checked(http):
    for query, field in [
        ({"limit": "-1"}, "limit"),
        ({"limit": "99999999999"}, "limit"),
        ({"since": "x"}, "since"),
        ({"kind": "other"}, "kind"),
        ({"vendor": "nope"}, "vendor"),
        ({"colour": "red"}, "colour"),
        ({"method": "FETCH"}, "method"),
    ]:
        answer = http.get("/_mocks/journal", params=query)
        assert (answer.status_code, answer.json()["field"], answer.json()["in"]) == (400, field, "query")
    assert http.get("/_mocks/journal", params=[("limit", "1"), ("limit", "2")]).json()["field"] == "limit"
    assert http.get("/_mocks/journal", params={"limit": "5", "method": "get"}).status_code == 200


def test_a_header_fault_is_sent_as_given(http, mocks):
    armed = http.post("/_mocks/faults", json={"vendor": "tasq", "status": 503, "headers": {"Retry-After": "7"}})
    assert armed.status_code == 201
    answer = http.get("/tasq/v1/users")
    assert answer.status_code == 503 and answer.headers["retry-after"] == "7"


def test_errors_are_json_everywhere(http):
    for method, path, status in [
        ("DELETE", "/_mocks/faults/abc", 400),
        ("DELETE", "/_mocks/faults/999", 404),
        ("DELETE", "/_mocks/faults/0", 400),
        ("GET", "/_mocks/nothing", 404),
        ("GET", "/_mocks/specs/nope.yaml", 404),
        ("PATCH", "/_mocks/health", 405),
        ("GET", "/_mocks/tokens", 405),
        ("GET", "/_mocks/faults/1", 405),
    ]:
        answer = http.request(method, path)
        assert answer.status_code == status, (method, path, answer.text)
        assert answer.headers["content-type"] == "application/json" and answer.json()["error"]
    allowed = http.patch("/_mocks/health")
    assert allowed.headers["allow"] == "GET, HEAD"
    assert http.delete("/_mocks/faults/abc").json() == {
        "error": "'abc' is not of type 'integer'",
        "field": "fault_id",
        "in": "path",
    }


def test_a_body_where_none_is_taken_is_refused(http):
    answer = http.request("DELETE", "/_mocks/journal", content=b'{"all": true}', headers=JSON)
    assert (answer.status_code, answer.json()["field"]) == (400, "body")


def test_admin_spec_names_every_vendor():
    from mocks.core.specs import parsed_spec
    from mocks.registry import VENDORS

    assert parsed_spec("admin.yaml")["components"]["schemas"]["VendorName"]["enum"] == list(VENDORS)


def test_the_admin_spec_is_served(http):
    spec = http.get("/_mocks/specs/admin.yaml")
    assert spec.status_code == 200 and "openapi: 3.0.3" in spec.text
    assert json.dumps(http.get("/_mocks/health").json())


def test_every_vendor_setting_is_in_the_admin_contract(http, mocks):
    """A setting a vendor declares but specs/admin.yaml leaves out is refused as unknown: each one, set to its
    own default, is accepted and reads back."""
    for vendor in mocks.suite.vendors.values():
        for key, default in vendor.settings_defaults.items():
            response = http.patch("/_mocks/settings", json={"vendor": vendor.name, "settings": {key: default}})
            assert response.status_code == 200, (vendor.name, key, response.text)
            assert response.json()["settings"][key] == default
