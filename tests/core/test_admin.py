"""The /_mocks admin API over HTTP: what a CI job in another language drives."""

from __future__ import annotations

import pytest


def test_health_and_vendors(http, mocks):
    health = http.get("/_mocks/health").json()
    assert health["status"] == "ok" and "piwik_pro" in health["vendors"] and health["framework"] == "async"
    vendors = {v["name"]: v for v in http.get("/_mocks/vendors").json()}
    piwik = vendors["piwik_pro"]
    assert piwik["base_url"] == f"{mocks.server.url}/piwik_pro"
    assert {"label", "client_id", "client_secret"} <= set(piwik["credentials"][0])


def test_index_and_paths_outside_every_vendor(http):
    assert "piwik_pro" in {v["name"] for v in http.get("/").json()["vendors"]}
    missing = http.get("/nothing/here")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_dashboard(http):
    page = http.get("/_mocks/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Piwik PRO" in page.text


def test_clock_operations(http, mocks):
    frozen = http.post("/_mocks/clock", json={"freeze": "2026-03-01T10:00:00Z"}).json()
    assert frozen == {"now": "2026-03-01T10:00:00Z", "epoch": 1772359200.0, "frozen": True}
    assert http.post("/_mocks/clock", json={"advance": "PT1H30M"}).json()["now"] == "2026-03-01T11:30:00Z"
    assert http.post("/_mocks/clock", json={"advance": -60}).json()["now"] == "2026-03-01T11:29:00Z"
    assert http.post("/_mocks/clock", json={"unfreeze": True}).json()["frozen"] is False
    assert http.post("/_mocks/clock", json={"jump": 1}).status_code == 400
    assert http.post("/_mocks/clock", json={"advance": "soon"}).json() == {
        "error": "advance: 'soon' is not an ISO-8601 duration (PT1H, P1DT2M, -PT30S) or a number of seconds",
        "field": "advance",
        "in": "body",
    }


def test_seed_changes_every_world(http):
    before = http.get("/_mocks/snapshot").json()
    assert http.post("/_mocks/seed", json={"seed": 99}).json() == {"seed": 99}
    assert http.get("/_mocks/seed").json() == {"seed": 99}
    assert http.post("/_mocks/seed", json={"seed": "x"}).status_code == 400
    assert http.post("/_mocks/seed", json={}).status_code == 400
    # a full reset returns to the seed the server started with (a vendor's reset keeps the current one)
    http.post("/_mocks/reset", params={"vendor": "tasq"})
    assert http.get("/_mocks/seed").json() == {"seed": 99}
    http.post("/_mocks/reset")
    assert http.get("/_mocks/seed").json() == {"seed": before["seed"]}


def test_snapshot_round_trip(http, mocks):
    world = mocks.world("piwik_pro")
    world["users"].update("b30e538d-4b05-4a75-ae25-7eb565901f38", {"language": "fi-FI"})
    snapshot = http.get("/_mocks/snapshot").json()
    http.post("/_mocks/reset")
    assert mocks.world("piwik_pro")["users"].get("b30e538d-4b05-4a75-ae25-7eb565901f38")["language"] == "en-US"
    assert http.put("/_mocks/snapshot", json=snapshot).status_code == 200
    assert mocks.world("piwik_pro")["users"].get("b30e538d-4b05-4a75-ae25-7eb565901f38")["language"] == "fi-FI"
    assert http.put("/_mocks/snapshot", json={"nope": 1}).status_code == 400


def test_faults_crud_and_validation(http):
    created = http.post("/_mocks/faults", json={"vendor": "piwik_pro", "status": 500, "times": None})
    assert created.status_code == 201 and created.json()["times"] is None
    assert len(http.get("/_mocks/faults").json()) == 1
    assert http.delete(f"/_mocks/faults/{created.json()['id']}").status_code == 204
    assert http.delete(f"/_mocks/faults/{created.json()['id']}").status_code == 404
    assert http.post("/_mocks/faults", json={"vendor": "nope", "status": 500}).status_code == 400
    not_an_object = http.post("/_mocks/faults", content=b"[1]", headers={"Content-Type": "application/json"})
    assert not_an_object.status_code == 400
    assert not_an_object.json() == {"error": "[1] is not of type 'object'", "field": "body", "in": "body"}


def test_ratelimit_admin_errors(http):
    assert http.put("/_mocks/ratelimits", json={"vendor": "nope", "limit": 1}).json()["field"] == "vendor"
    assert http.put("/_mocks/ratelimits", json={"vendor": "piwik_pro", "rule": "x", "limit": 1}).status_code == 400
    assert http.put("/_mocks/ratelimits", json={"vendor": "piwik_pro", "limit": -1}).status_code == 400
    assert http.put("/_mocks/ratelimits", json={"enabled": False}).json()["enabled"] is False


def test_journal_filters_and_clear(http):
    http.get("/piwik_pro/api/users/v2")
    http.get("/piwik_pro/api/users/v2", headers={"X-Mock-Tenant": "other"})
    entries = http.get("/_mocks/journal", params={"vendor": "piwik_pro", "tenant": "other"}).json()
    assert [(e["status"], e["tenant"]) for e in entries] == [(401, "other")]
    assert entries[0]["response_body"] == '{"code":401,"message":"JWT Token not found"}'
    assert http.delete("/_mocks/journal").status_code == 204
    assert http.get("/_mocks/journal").json() == []


def test_tokens_minted_for_a_tenant(http):
    minted = http.post("/_mocks/tokens", json={"vendor": "piwik_pro", "tenant": "acme"})
    assert minted.status_code == 201
    body = minted.json()
    assert (body["vendor"], body["tenant"], body["expires_in"]) == ("piwik_pro", "acme", 1800)
    me = http.get("/piwik_pro/api/users/v2/me", headers=body["headers"])
    assert me.status_code == 200 and me.json()["data"]["attributes"]["organization"] == "acme"
    bad = http.post("/_mocks/tokens", json={"vendor": "piwik_pro", "user_id": "nobody"})
    assert bad.status_code == 400 and "no user" in bad.json()["error"]


@pytest.mark.parametrize(
    "call",
    [
        lambda h: h.patch("/_mocks/settings", json={"vendor": "piwik_pro", "settings": {"x": 1}}),
        lambda h: h.get("/_mocks/settings"),
    ],
)
def test_settings_errors(http, call):
    assert call(http).status_code in (400, 404)


def test_specs_are_served(http):
    spec = http.get("/_mocks/specs/piwik_pro.yaml")
    assert spec.status_code == 200 and spec.text.startswith("# Piwik PRO platform API")
    assert http.get("/_mocks/specs/..%2Fpyproject.toml").status_code == 404
