"""Meta sites API v1 over HTTP: CRUD, app membership (with its documented 1000-per-call limit), the mixed
apps-and-meta-sites listing, integrity, and the service's own 400/401/403/404 wording."""

from __future__ import annotations

from .conftest import JSONAPI, USER, Piwik, errors, invalid_form, resource_doc

EXAMPLE_APP = "6edb1e3c-4c43-4760-ab76-682ad83146be"
META_SITE = "ac62ca6b-cfd6-4161-b414-e1061baa05b7"
MISSING = "00000000-0000-4000-8000-000000000000"


def meta_doc(attributes: dict, meta_site_id: str | None = None) -> dict:
    return resource_doc("ppms/meta-site", attributes, meta_site_id)


def apps_doc(*ids: str) -> dict:
    return {"data": [{"type": "ppms/app", "id": i} for i in ids]}


def test_the_documented_example_is_seeded(owner):
    body = owner.get(f"/api/meta-sites/v1/{META_SITE}").json()
    assert body["data"]["type"] == "ppms/meta-site"
    attributes = body["data"]["attributes"]
    assert (attributes["name"], attributes["created_at"], attributes["organization"]) == (
        "European landing pages",
        "2019-02-21T02:30:12Z",
        "default",
    )
    apps = owner.get(f"/api/meta-sites/v1/{META_SITE}/apps", limit=100).json()
    assert EXAMPLE_APP in {a["id"] for a in apps["data"]} and apps["meta"]["total"] == 3
    assert set(apps["data"][0]["attributes"]) == {"name", "timezone", "currency", "cnil"}


def test_create_with_defaults_edit_and_delete(owner, mocks):
    created = owner.send("POST", "/api/meta-sites/v1", meta_doc({"name": "All apps"}))
    assert created.status_code == 201 and created.headers["content-type"] == JSONAPI
    data = created.json()["data"]
    assert {
        k: data["attributes"][k]
        for k in ("name", "currency", "timezone", "e_commerce_tracking", "sharepoint_integration", "cnil")
    } == {
        "name": "All apps",
        "currency": "USD",
        "timezone": "UTC",
        "e_commerce_tracking": False,
        "sharepoint_integration": False,
        "cnil": False,
    }
    meta_id = data["id"]
    edited = owner.send(
        "PATCH", f"/api/meta-sites/v1/{meta_id}", meta_doc({"currency": "EUR", "timezone": "UTC+2"}, meta_id)
    )
    assert (edited.status_code, edited.content) == (204, b"")
    assert owner.get(f"/api/meta-sites/v1/{meta_id}").json()["data"]["attributes"]["currency"] == "EUR"
    assert owner.send("DELETE", f"/api/meta-sites/v1/{meta_id}").status_code == 204
    gone = owner.get(f"/api/meta-sites/v1/{meta_id}")
    assert (gone.status_code, errors(gone)) == (
        404,
        [
            {
                "status": "404",
                "code": "meta-site.error.not-exists",
                "title": f'Meta site with id "{meta_id}" does not exist',
            }
        ],
    )


def test_names_are_unique_and_currencies_checked(owner, mocks):
    before = mocks.world("piwik_pro").dump()
    taken = owner.send("POST", "/api/meta-sites/v1", meta_doc({"name": "european landing pages"}))
    assert errors(taken) == [invalid_form("/data/attributes/name", "This value is already used.")]
    bad = owner.send("PATCH", f"/api/meta-sites/v1/{META_SITE}", meta_doc({"currency": "Dollars"}, META_SITE))
    assert errors(bad) == [invalid_form("/data/attributes/currency", "This value is not valid.")]
    assert mocks.world("piwik_pro").dump() == before


def test_membership_add_remove_and_excluded(owner):
    outside = [a["id"] for a in owner.get(f"/api/meta-sites/v1/{META_SITE}/apps/excluded", limit=100).json()["data"]]
    assert outside and EXAMPLE_APP not in outside
    assert (
        owner.send("POST", f"/api/meta-sites/v1/{META_SITE}/relationships/apps", apps_doc(outside[0])).status_code
        == 204
    )
    assert outside[0] in {a["id"] for a in owner.get(f"/api/meta-sites/v1/{META_SITE}/apps", limit=100).json()["data"]}
    response = owner.send("DELETE", f"/api/meta-sites/v1/{META_SITE}/relationships/apps", apps_doc(EXAMPLE_APP))
    assert (response.status_code, response.content) == (204, b"")
    assert EXAMPLE_APP in {
        a["id"] for a in owner.get(f"/api/meta-sites/v1/{META_SITE}/apps/excluded", limit=100).json()["data"]
    }


def test_oversized_and_unknown_app_lists_write_nothing(owner, mocks):
    before = mocks.world("piwik_pro").dump()
    too_many = owner.send("POST", f"/api/meta-sites/v1/{META_SITE}/relationships/apps", apps_doc(*[MISSING] * 1001))
    assert too_many.status_code == 400
    assert errors(too_many) == [invalid_form("/data", "This collection should contain 1000 elements or less.")]
    unknown = owner.send("POST", f"/api/meta-sites/v1/{META_SITE}/relationships/apps", apps_doc(EXAMPLE_APP, MISSING))
    assert (unknown.status_code, errors(unknown)[0]["code"]) == (404, "apps.error.app-does-not-exist")
    assert mocks.world("piwik_pro").dump() == before


def test_apps_with_meta_sites_puts_the_demo_app_first(owner):
    body = owner.get("/api/meta-sites/v1/apps-with-meta-sites", sort="-name", limit=100).json()
    first = body["data"][0]
    assert first["type"] == "ppms/app" and first["attributes"]["name"] == "Demo site"
    rest = [item["attributes"]["name"] for item in body["data"][1:]]
    assert rest == sorted(rest, key=str.lower, reverse=True)
    assert {
        "type": "ppms/meta-site",
        "id": META_SITE,
        "attributes": {"name": "European landing pages", "created_at": "2019-02-21T02:30:12Z"},
    } in body["data"]
    assert body["meta"]["total"] == len(body["data"])


def test_integrity_compares_currency_and_timezone(owner):
    meta_id = owner.send(
        "POST", "/api/meta-sites/v1", meta_doc({"name": "Warsaw", "currency": "EUR", "timezone": "Europe/Warsaw"})
    ).json()["data"]["id"]
    owner.send("POST", f"/api/meta-sites/v1/{meta_id}/relationships/apps", apps_doc(EXAMPLE_APP))
    body = owner.get(f"/api/meta-sites/v1/{meta_id}/apps/integrity").json()
    assert body == {
        "data": {
            "id": meta_id,
            "type": "meta-site/apps/integrity",
            "attributes": {"valid_currency": True, "valid_timezone": True},
        }
    }
    owner.send(
        "PATCH",
        f"/api/apps/v2/{EXAMPLE_APP}",
        {"data": {"type": "ppms/app", "id": EXAMPLE_APP, "attributes": {"currency": "USD"}}},
    )
    assert (
        owner.get(f"/api/meta-sites/v1/{meta_id}/apps/integrity").json()["data"]["attributes"]["valid_currency"]
        is False
    )


def test_the_services_own_errors(http, owner):
    invalid = owner.get("/api/meta-sites/v1/my-id")
    assert errors(invalid) == [{"status": "400", "title": '"my-id" is not valid UUID.', "code": "error.default"}]
    response = http.get("/piwik_pro/api/meta-sites/v1")
    assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})
    user = Piwik(http, USER)
    denied = user.send("POST", "/api/meta-sites/v1", meta_doc({"name": "Mine"}))
    assert errors(denied) == [{"status": "403", "title": "Access denied.", "code": "error.forbidden"}]
    assert [m["id"] for m in user.get("/api/meta-sites/v1").json()["data"]] == [META_SITE]  # seeded `view`
    assert user.get(f"/api/meta-sites/v1/{META_SITE}").status_code == 403  # view_details needs manage
