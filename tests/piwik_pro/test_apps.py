"""Apps API v2 over HTTP: create → get → list → edit → delete with the documented bodies, the spec's
defaults, permissions of non-owners, and bad input answered with Piwik's errors and nothing written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from .conftest import JSONAPI, USER, Piwik, errors, invalid_form, resource_doc

EXAMPLE_APP = "6edb1e3c-4c43-4760-ab76-682ad83146be"
TEAM_LEADS = "9a67f188-734c-4ba3-8769-912a7e59f3ff"
FROZEN = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def app_doc(attributes: dict, app_id: str | None = None) -> dict:
    return resource_doc("ppms/app", attributes, app_id)


def create(piwik: Piwik, **attributes):
    return piwik.send("POST", "/api/apps/v2", app_doc({"name": "Shop", "urls": ["https://shop.example"], **attributes}))


def test_create_answers_201_with_every_attribute_and_the_spec_defaults(owner, mocks):
    mocks.clock.freeze(FROZEN)
    response = create(owner, appType="sharepoint", timezone="Europe/Warsaw", currency="PLN", gdpr=False)
    assert response.status_code == 201 and response.headers["content-type"] == JSONAPI
    data = response.json()["data"]
    assert data["type"] == "ppms/app" and len(data["id"]) == 36
    attributes = data["attributes"]
    assert {k: attributes[k] for k in ("name", "urls", "organization", "appType", "addedAt", "updatedAt")} == {
        "name": "Shop",
        "urls": ["https://shop.example"],
        "organization": "default",
        "appType": "sharepoint",
        "addedAt": "2026-03-01T12:00:00+00:00",
        "updatedAt": "2026-03-01T12:00:00+00:00",
    }
    assert (attributes["timezone"], attributes["currency"], attributes["gdpr"]) == ("Europe/Warsaw", "PLN", False)
    # App_Editable_Attributes defaults
    assert attributes["delay"] == 500 and attributes["privacyCookieExpirationPeriod"] == 31536000
    assert attributes["siteSearchQueryParams"] == ["q", "query", "s", "search", "searchword", "keyword"]
    assert attributes["gdprDataAnonymizationMode"] == "session_cookie_id" and attributes["keepUrlFragment"] is True
    assert attributes["excludeUnknownUrls"] is False and attributes["realTimeDashboards"] is False
    assert owner.get(f"/api/apps/v2/{data['id']}").json() == response.json()


def test_web_is_the_default_type_and_utc_usd_the_default_zone_and_currency(owner):
    attributes = create(owner).json()["data"]["attributes"]
    assert (attributes["appType"], attributes["timezone"], attributes["currency"]) == ("web", "UTC", "USD")


def test_create_with_an_id_and_again_with_the_same_id(owner):
    app_id = "985ed9d7-b652-47b8-b9cf-c17d62735261"
    assert create(owner, id=app_id).json()["data"]["id"] == app_id
    again = create(owner, id=app_id)
    assert again.status_code == 400
    assert errors(again) == [
        {"status": "400", "title": f'App with id: "{app_id}" already exists', "code": "error.default"}
    ]


def test_list_sorts_searches_pages_and_counts(owner):
    for name in ("Alpha shop", "Beta shop", "Gamma blog"):
        create(owner, name=name)
    listing = owner.get("/api/apps/v2", sort="name", search="shop", limit=1, offset=1)
    assert listing.headers["content-type"] == JSONAPI
    body = listing.json()
    assert body["meta"] == {"total": 2}
    assert [a["attributes"]["name"] for a in body["data"]] == ["Beta shop"]
    assert set(body["data"][0]["attributes"]) == {"name", "addedAt", "updatedAt"}
    newest = owner.get("/api/apps/v2").json()["data"][0]  # default sort -addedAt
    assert newest["attributes"]["name"] == "Gamma blog"
    assert owner.get("/api/apps/v2", search=EXAMPLE_APP).json()["data"][0]["attributes"]["name"] == "Example site"


def test_seeded_account_has_web_and_other_app_types(mocks):
    types = {a["app_type"] for a in mocks.world("piwik_pro")["apps"].values()}
    assert {"web", "sharepoint", "demo"} <= types


def test_edit_changes_only_what_it_names_and_answers_204(owner, mocks):
    app_id = create(owner, currency="EUR").json()["data"]["id"]
    mocks.clock.advance(600)  # within the token's 30 minutes
    response = owner.send(
        "PATCH", f"/api/apps/v2/{app_id}", app_doc({"name": "Renamed", "excludeUnknownUrls": True}, app_id)
    )
    assert (response.status_code, response.content) == (204, b"")
    attributes = owner.get(f"/api/apps/v2/{app_id}").json()["data"]["attributes"]
    assert (attributes["name"], attributes["excludeUnknownUrls"], attributes["currency"]) == ("Renamed", True, "EUR")
    assert attributes["updatedAt"] != attributes["addedAt"]


def test_edit_with_another_id_is_409(owner):
    response = owner.send("PATCH", f"/api/apps/v2/{EXAMPLE_APP}", app_doc({"name": "x"}, TEAM_LEADS))
    assert response.status_code == 409
    assert errors(response)[0]["detail"] == (
        f"The resource object's id ({TEAM_LEADS}) does not match url's lookup id ({EXAMPLE_APP})"
    )


def test_delete_answers_204_then_404_and_forgets_its_permissions_and_meta_sites(owner, mocks):
    world = mocks.world("piwik_pro")
    assert any(p["entity_id"] == EXAMPLE_APP for p in world["permissions"].values())
    response = owner.send("DELETE", f"/api/apps/v2/{EXAMPLE_APP}")
    assert (response.status_code, response.content) == (204, b"")
    gone = owner.get(f"/api/apps/v2/{EXAMPLE_APP}")
    assert gone.status_code == 404
    assert errors(gone) == [
        {
            "status": "404",
            "title": f'App with id: "{EXAMPLE_APP}" does not exist',
            "code": "apps.error.app-does-not-exist",
        }
    ]
    assert not any(p["entity_id"] == EXAMPLE_APP for p in world["permissions"].values())
    assert all(EXAMPLE_APP not in m["apps"] for m in world["meta_sites"].values())


@pytest.mark.parametrize(
    "attributes, expected",
    [
        (
            {"appType": "demo"},
            [invalid_form("/appType", 'AppType "demo" is not supported (supported are sharepoint, web)')],
        ),
        (
            {"appType": "mobile"},
            [invalid_form("/appType", 'AppType "mobile" is not supported (supported are sharepoint, web)')],
        ),
        (
            {"name": "x" * 91},
            [invalid_form("/name", "This value is too long. It should have 90 characters or less.")],
        ),
        (
            {"urls": ["https://ok.example", "not a url", "ftp://files.example"]},
            [invalid_form(f"/urls/{i}", "This value is not a valid URL.") for i in (1, 2)],
        ),
        (
            {"timezone": "Mars/Olympus", "currency": "XXQ"},
            [invalid_form(p, "This value is not valid.") for p in ("/timezone", "/currency")],
        ),
    ],
)
def test_bad_input_gets_the_form_errors_and_writes_nothing(owner, mocks, attributes, expected):
    world = mocks.world("piwik_pro")
    before = world.dump()
    response = create(owner, **attributes)
    assert response.status_code == 400
    assert errors(response) == expected
    assert world.dump() == before


def test_a_malformed_id_is_the_invalid_uuid_error(owner):
    response = owner.get("/api/apps/v2/not-a-uuid")
    assert (response.status_code, errors(response)) == (
        400,
        [{"status": "400", "title": '"not-a-uuid" is not a valid UUID.', "code": "error.default"}],
    )


def test_apps_of_another_account_are_unknown_here(http, owner):
    acme = Piwik(http, tenant="acme")
    theirs = create(acme, name="Acme only").json()["data"]["id"]
    assert owner.get(f"/api/apps/v2/{theirs}").status_code == 404
    assert owner.send("DELETE", f"/api/apps/v2/{theirs}").status_code == 404
    assert acme.get(f"/api/apps/v2/{theirs}").status_code == 200


def test_the_account_limit_is_the_documented_409(http, owner, mocks):
    count = len(mocks.world("piwik_pro")["apps"])
    assert (
        http.patch("/_mocks/settings", json={"vendor": "piwik_pro", "settings": {"apps_limit": count}}).status_code
        == 200
    )
    response = create(owner)
    assert response.status_code == 409
    assert errors(response) == [
        {"status": "409", "title": "Limit of apps has been reached", "code": "apps.error.apps-limit-reached"}
    ]
    assert len(mocks.world("piwik_pro")["apps"]) == count


def test_a_user_sees_only_the_apps_they_may_view_and_edits_where_allowed(http, owner):
    user = Piwik(http, USER)
    visible = {a["id"] for a in user.get("/api/apps/v2", limit=1000).json()["data"]}
    assert EXAMPLE_APP in visible and len(visible) < owner.get("/api/apps/v2").json()["meta"]["total"]
    hidden = create(owner).json()["data"]["id"]
    forbidden = user.get(f"/api/apps/v2/{hidden}")
    assert (forbidden.status_code, errors(forbidden)) == (
        403,
        [{"status": "403", "title": "Forbidden", "code": "error.default"}],
    )
    # the seeded USER has `edit` on the example site: editing is allowed, publishing-only filters leave it out
    assert user.send("PATCH", f"/api/apps/v2/{EXAMPLE_APP}", app_doc({"delay": 100}, EXAMPLE_APP)).status_code == 204
    assert EXAMPLE_APP not in {a["id"] for a in user.get("/api/apps/v2", permission="publish").json()["data"]}
    assert user.send("DELETE", f"/api/apps/v2/{EXAMPLE_APP}").status_code == 403


def test_group_permissions_of_apps(owner):
    body = owner.get(f"/api/apps/v2/user-group/{TEAM_LEADS}/permissions", search="Example").json()
    assert body == {
        "meta": {"total": 1},
        "data": [
            {
                "type": "ppms/app_permissions_for_user_group",
                "id": EXAMPLE_APP,
                "attributes": {"app_name": "Example site", "access": "manage"},
            }
        ],
    }


def test_deprecated_app_permissions_list_users_and_their_actions(owner):
    body = owner.get(f"/api/apps/v2/{EXAMPLE_APP}/permissions").json()
    by_name = {item["attributes"]["displayName"]: item["attributes"]["access"] for item in body["data"]}
    assert by_name["user@example.com"] == ["view", "edit"]
    assert by_name["jane.roe@example.com"] == ["view", "edit", "publish", "manage"]  # through Team leads
    assert "owner@example.com" not in by_name and body["meta"]["total"] == len(body["data"])


def test_json_content_type_is_refused_like_the_users_api(owner):
    response = owner.send(
        "POST", "/api/apps/v2", app_doc({"name": "x", "urls": ["https://x.example"]}), content_type="application/json"
    )
    assert errors(response)[0]["code"] == "error.json-api-content-type"


def test_401_is_the_lexik_body(http):
    response = http.get("/piwik_pro/api/apps/v2")
    assert (response.status_code, response.json()) == (401, {"code": 401, "message": "JWT Token not found"})
