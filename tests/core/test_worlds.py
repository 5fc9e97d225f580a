"""Worlds are bounded: a request that fails authentication seeds none, and beyond `max_worlds` the least
recently used idle world is evicted (its tenant re-seeds on next use)."""

from __future__ import annotations

import base64

import pytest

from bench.soak_recipes import RECIPES
from mocks.core.clock import VirtualClock
from mocks.core.store import TenantWorlds
from tests.load.wire import vendor_headers


def _forged_personio_token(tenant: str) -> str:
    tag = base64.urlsafe_b64encode(tenant.encode()).decode().rstrip("=")
    return f"Bearer papi-{tag}.forged"


def test_forged_credentials_naming_new_tenants_seed_no_world(mocks, http):
    before = mocks.suite.worlds.tenants()
    for n in range(50):
        answer = http.get(
            "/personio/v1/company/employees", headers={"Authorization": _forged_personio_token(f"evil{n}")}
        )
        assert answer.status_code == 403
        assert answer.json() == {
            "success": False,
            "error": {"message": "Provided authorization is not valid", "code": 403},
        }
    assert mocks.suite.worlds.tenants() == before


@pytest.mark.parametrize("vendor", sorted(RECIPES))
def test_unauthenticated_requests_for_new_tenants_seed_no_world(mocks, http, vendor):
    http.put("/_mocks/ratelimits", json={"enabled": False})  # Personio limits unauthenticated calls per address
    before = mocks.suite.worlds.tenants()
    for n in range(20):
        answer = http.get(
            RECIPES[vendor].list_path, headers={"X-Mock-Tenant": f"stranger{n}", "X-Perscom-Id": f"stranger{n}"}
        )
        assert answer.status_code in (401, 403)
    assert mocks.suite.worlds.tenants() == before


def test_an_authenticated_request_keeps_the_world_it_seeded(mocks, http):
    headers = vendor_headers(http, "tasq")
    mocks.suite.reset("tasq")
    assert mocks.suite.worlds.peek("tasq", "tasq") is None
    assert http.get("/tasq/v1/users", headers=headers).status_code == 403  # its token went with the reset
    assert mocks.suite.worlds.peek("tasq", "tasq") is None
    headers = vendor_headers(http, "tasq")
    assert http.get("/tasq/v1/users", headers=headers).status_code == 200
    assert mocks.suite.worlds.peek("tasq", "tasq") is not None


def test_the_least_recently_used_world_is_evicted_back_to_its_seed(mocks, http, monkeypatch):
    worlds = mocks.suite.worlds
    monkeypatch.setattr(worlds, "max_worlds", 3)
    worlds.reset()
    evictions = worlds.evictions
    first = vendor_headers(http, "perscom", tenant="1")
    created = http.post("/perscom/v1/ranks", json={"name": "Kept until evicted"}, headers=first)
    assert created.status_code == 201
    rank = created.json()["data"]["id"]
    for tenant in ("2", "3"):
        vendor_headers(http, "perscom", tenant=tenant)
    assert http.get(f"/perscom/v1/ranks/{rank}", headers=first).json()["data"]["name"] == "Kept until evicted"
    vendor_headers(http, "perscom", tenant="4")  # 2 is the least recently used: the read touched 1
    assert worlds.tenants("perscom") == [("perscom", "1"), ("perscom", "3"), ("perscom", "4")]
    vendor_headers(http, "perscom", tenant="5")  # then 3, then 1
    vendor_headers(http, "perscom", tenant="6")
    assert worlds.tenants("perscom") == [("perscom", "4"), ("perscom", "5"), ("perscom", "6")]
    assert worlds.evictions - evictions == 3
    again = vendor_headers(http, "perscom", tenant="1")  # re-seeded: the rank is gone
    missing = http.get(f"/perscom/v1/ranks/{rank}", headers=again)
    assert missing.status_code == 404
    assert missing.json()["error"]["type"] == "ModelNotFoundException"


def _worlds(limit: int) -> TenantWorlds:
    worlds = TenantWorlds(VirtualClock(), max_worlds=limit)
    worlds.register("v", lambda world: world["items"].insert({"id": 1}))
    return worlds


def test_a_world_in_use_is_not_evicted():
    worlds = _worlds(1)
    held = worlds.acquire("v", "a")
    worlds.release(held, authenticated=True)
    held = worlds.acquire("v", "a")
    worlds.get("v", "b")  # over the limit, but "a" is in use
    assert worlds.tenants() == [("v", "a"), ("v", "b")]
    worlds.release(held, authenticated=True)
    worlds.get("v", "c")
    assert worlds.tenants() == [("v", "c")]


def test_a_provisional_world_survives_if_any_request_on_it_authenticates():
    worlds = _worlds(10)
    failing, passing = worlds.acquire("v", "a"), worlds.acquire("v", "a")
    assert failing is passing and failing.provisional
    worlds.release(failing, authenticated=False)
    assert worlds.peek("v", "a") is passing  # still in use
    worlds.release(passing, authenticated=True)
    assert worlds.peek("v", "a") is passing and not passing.provisional
    lonely = worlds.acquire("v", "b")
    worlds.release(lonely, authenticated=False)
    assert worlds.peek("v", "b") is None


def test_max_worlds_must_be_positive():
    with pytest.raises(ValueError, match="max_worlds"):
        TenantWorlds(VirtualClock(), max_worlds=0)
