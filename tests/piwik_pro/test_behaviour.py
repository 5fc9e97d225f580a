"""Cross-cutting behaviour on Piwik PRO: rate limits, tenant isolation, atomic writes, faults,
the journal, and the FlaskApp build answering like the AsyncApp one."""

from __future__ import annotations

import httpx
import pytest

from .conftest import USER_ID, Piwik, errors, user_doc

TEAM_LEADS = "9a67f188-734c-4ba3-8769-912a7e59f3ff"


def test_429_after_an_overridden_read_limit(owner, mocks):
    mocks.limit("piwik_pro", "read", 3)
    assert [owner.get("/api/users/v2/me").status_code for _ in range(3)] == [200, 200, 200]
    limited = owner.get("/api/users/v2/me")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "60"
    assert errors(limited) == [{"status": "429", "title": "Too Many Requests", "code": "error.default"}]
    # writes have their own budget
    assert (
        owner.send(
            "PATCH", "/api/users/v2/me", user_doc({"language": "de-DE"}, "d6cddc11-bd05-4abe-ab2d-6b9a621fe4d7")
        ).status_code
        == 204
    )
    mocks.clock.advance(30)
    assert owner.get("/api/users/v2/me").headers["retry-after"] == "30"
    mocks.clock.advance(30)
    assert owner.get("/api/users/v2/me").status_code == 200


def test_limits_are_per_credential(http, mocks):
    mocks.limit("piwik_pro", "read", 1)
    first, second = (
        Piwik(http),
        Piwik(http, {"client_id": "piwik-pro-mock-user", "client_secret": "piwik-pro-mock-user-secret"}),
    )
    assert first.get("/api/users/v2/me").status_code == 200
    assert first.get("/api/users/v2/me").status_code == 429
    assert second.get("/api/users/v2/me").status_code == 200


def test_ratelimit_override_through_the_admin_api(http, owner):
    response = http.put("/_mocks/ratelimits", json={"vendor": "piwik_pro", "rule": "read", "limit": 1})
    assert response.status_code == 200
    rules = {r["rule"]: r for r in response.json()["vendors"]["piwik_pro"]}
    assert rules["read"]["limit"] == 1 and rules["read"]["inferred"] is True and rules["write"]["limit"] == 60
    owner.get("/api/users/v2/me")
    assert owner.get("/api/users/v2/me").status_code == 429
    assert http.delete("/_mocks/ratelimits").status_code == 200
    assert owner.get("/api/users/v2/me").status_code == 200


def test_tenants_are_isolated(http):
    default, acme = Piwik(http), Piwik(http, tenant="acme")
    default.send("POST", "/api/users/v2/invite", user_doc({"email": "only-here@example.org"}))
    assert default.get("/api/users/v2", search="only-here").json()["meta"]["total"] == 1
    assert acme.get("/api/users/v2", search="only-here").json()["meta"]["total"] == 0


def test_reset_of_one_tenant_keeps_the_others(http, owner):
    acme = Piwik(http, tenant="acme")
    for piwik in (owner, acme):
        piwik.send("POST", "/api/users/v2/invite", user_doc({"email": "temp@example.org"}))
    assert http.post("/_mocks/reset", params={"vendor": "piwik_pro", "tenant": "acme"}).status_code == 200
    acme = Piwik(http, tenant="acme")  # a reset world forgets nothing but its own state: tokens stay valid
    assert acme.get("/api/users/v2", search="temp@").json()["meta"]["total"] == 0
    assert owner.get("/api/users/v2", search="temp@").json()["meta"]["total"] == 1


def test_failed_write_leaves_the_world_unchanged(owner, mocks):
    world = mocks.world("piwik_pro")
    before = world.dump()
    response = owner.send(
        "POST",
        f"/api/user-groups/v1/{TEAM_LEADS}/relationships/users",
        {
            "data": [
                {"type": "ppms/user", "id": USER_ID},
                {"type": "ppms/user", "id": "00000000-0000-4000-8000-000000000000"},
            ]
        },
    )
    assert response.status_code == 404
    assert world.dump() == before


def test_injected_fault_in_vendor_format(owner, mocks):
    mocks.fault("piwik_pro", status=503, path="/api/users/v2", method="GET", times=1)
    failed = owner.get("/api/users/v2")
    assert failed.status_code == 503
    assert errors(failed) == [{"status": "503", "title": "Service Unavailable", "code": "error.default"}]
    assert owner.get("/api/users/v2").status_code == 200  # times=1: spent


def test_journal_records_requests_and_responses(owner, mocks):
    owner.get(f"/api/users/v2/{USER_ID}")
    entry = mocks.journal(vendor="piwik_pro", path="/api/users/v2/")[-1]
    assert (entry.method, entry.status, entry.tenant) == ("GET", 200, "default")
    assert entry.path == f"/piwik_pro/api/users/v2/{USER_ID}"
    assert '"user@example.com"' in entry.response_body
    assert entry.request_headers["authorization"].startswith("Bearer ")


@pytest.fixture
def flask_owner(flask_mocks):
    with httpx.Client(base_url=flask_mocks.server.url) as client:
        yield Piwik(client)


def test_flask_build_answers_like_the_async_build(owner, flask_owner):
    for path, params in [
        ("/api/users/v2", {"limit": 5}),
        (f"/api/users/v2/{USER_ID}", {}),
        ("/api/users/v2/example", {}),
        ("/api/users/v2", {"limit": 5000}),
        ("/api/user-groups/v1", {}),
    ]:
        a, f = owner.get(path, **params), flask_owner.get(path, **params)
        assert (a.status_code, a.headers["content-type"], a.json()) == (
            f.status_code,
            f.headers["content-type"],
            f.json(),
        )
    doc = user_doc({"language": "de-DE"}, USER_ID)
    a, f = (
        owner.send("PATCH", f"/api/users/v2/{USER_ID}", doc),
        flask_owner.send("PATCH", f"/api/users/v2/{USER_ID}", doc),
    )
    assert (
        (a.status_code, a.content, "content-type" in a.headers)
        == (f.status_code, f.content, "content-type" in f.headers)
        == (204, b"", False)
    )
    wrong = user_doc({"email": "a@b.co"})
    a = owner.send("POST", "/api/users/v2/invite", wrong, content_type="application/json")
    f = flask_owner.send("POST", "/api/users/v2/invite", wrong, content_type="application/json")
    assert (a.status_code, a.json()) == (f.status_code, f.json())
    assert flask_owner.client.get("/piwik_pro/api/users/v2").json() == {"code": 401, "message": "JWT Token not found"}


def test_flask_build_reaches_every_platform_api(owner, flask_owner):
    """Six APIs share the /piwik_pro base path: each one routes on the FlaskApp build too (Connexion chained a
    third API and later ones past the ones between)."""
    example, meta_site = "6edb1e3c-4c43-4760-ab76-682ad83146be", "ac62ca6b-cfd6-4161-b414-e1061baa05b7"
    for path in (
        "/api/apps/v2",
        f"/api/apps/v2/{example}",
        f"/api/access-control/v2/app/{example}/permission/user",
        "/api/meta-sites/v1",
        f"/api/meta-sites/v1/{meta_site}/apps",
        "/api/meta-sites/v1/my-id",
        "/api/modules/v1",
        "/api/modules/v1/personalization",
        "/api/audit-log/v1/entries",
    ):
        a, f = owner.get(path), flask_owner.get(path)
        assert (a.status_code, a.headers["content-type"], a.json()) == (
            f.status_code,
            f.headers["content-type"],
            f.json(),
        )
        assert a.status_code in (200, 400, 404)


def test_platform_apis_share_the_rate_limits(owner, mocks):
    mocks.limit("piwik_pro", "read", 1)
    assert owner.get("/api/apps/v2").status_code == 200
    limited = owner.get("/api/meta-sites/v1")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert limited.json() == {"errors": [{"status": "429", "title": "Too Many Requests", "code": "error.default"}]}
