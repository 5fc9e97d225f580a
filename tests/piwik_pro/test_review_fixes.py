"""Behaviours pinned after review: inputs that once crashed or slipped through, and rules that apply to every
owner-only operation."""

from __future__ import annotations

import json

import pytest

from mocks.piwik_pro.auth import OWNER_ONLY

from .conftest import JSONAPI, OWNER, USER, USER_ID, Piwik, errors, invalid_form, user_doc

TEAM_LEADS = "9a67f188-734c-4ba3-8769-912a7e59f3ff"
MISSING = "00000000-0000-4000-8000-000000000000"
EXAMPLE_APP = "6edb1e3c-4c43-4760-ab76-682ad83146be"
EXAMPLE_META_SITE = "ac62ca6b-cfd6-4161-b414-e1061baa05b7"
# one request per owner-only operation (a USER token must get the documented 403 before anything else)
OWNER_ONLY_REQUESTS = {
    "api_users_invited_v2": ("POST", "/api/users/v2/invite", user_doc({"email": "x@example.org"})),
    "api_users_add_v2": ("POST", "/api/users/v2", user_doc({"email": "x@example.org", "password": "Str0ngPassword"})),
    "api_users_list_v2": ("GET", "/api/users/v2", None),
    "api_users_user_details_v2": ("GET", f"/api/users/v2/{USER_ID}", None),
    "api_users_edit_v2": ("PATCH", f"/api/users/v2/{USER_ID}", user_doc({"language": "de-DE"}, USER_ID)),
    "api_users_delete_v2": ("DELETE", f"/api/users/v2/{MISSING}", None),
    "api_users_change_role_v2": ("PATCH", f"/api/users/v2/{MISSING}/change-role", user_doc({"role": "USER"}, MISSING)),
    "list_user_group_v1": ("GET", "/api/user-groups/v1", None),
    "add_user_group_v1": (
        "POST",
        "/api/user-groups/v1",
        {"data": {"type": "ppms/user-group", "attributes": {"name": "x"}}},
    ),
    "UserGroupDetails_v1": ("GET", f"/api/user-groups/v1/{TEAM_LEADS}", None),
    "edit_user_group_v1": (
        "PATCH",
        f"/api/user-groups/v1/{TEAM_LEADS}",
        {"data": {"type": "ppms/user-group", "id": TEAM_LEADS, "attributes": {"name": "y"}}},
    ),
    "delete_user_group_v1": ("DELETE", f"/api/user-groups/v1/{TEAM_LEADS}", None),
    "list_user_group_users_v1": ("GET", f"/api/user-groups/v1/{TEAM_LEADS}/users", None),
    "list_user_group_users_excluded_v1": ("GET", f"/api/user-groups/v1/{TEAM_LEADS}/users/excluded", None),
    "add_users_to_group_v1": (
        "POST",
        f"/api/user-groups/v1/{TEAM_LEADS}/relationships/users",
        {"data": [{"type": "ppms/user", "id": USER_ID}]},
    ),
    "remove_users_from_group_v1": (
        "DELETE",
        f"/api/user-groups/v1/{TEAM_LEADS}/relationships/users",
        {"data": [{"type": "ppms/user", "id": USER_ID}]},
    ),
    "set_permission_group_for_user_group_v1": (
        "POST",
        f"/api/user-groups/v1/{TEAM_LEADS}/permissions",
        {"data": {"type": "ppms/permissions/group", "attributes": {"entity_id": MISSING, "group": "view"}}},
    ),
    "api_app_add_v2": (
        "POST",
        "/api/apps/v2",
        {"data": {"type": "ppms/app", "attributes": {"name": "x", "urls": ["https://x.example"]}}},
    ),
    "api_app_delete_v2": ("DELETE", f"/api/apps/v2/{EXAMPLE_APP}", None),
    "api_apps_user_group_permissions_v2": ("GET", f"/api/apps/v2/user-group/{TEAM_LEADS}/permissions", None),
    "add_meta_site_v1": (
        "POST",
        "/api/meta-sites/v1",
        {"data": {"type": "ppms/meta-site", "attributes": {"name": "x"}}},
    ),
    "delete_meta_site_v1": ("DELETE", f"/api/meta-sites/v1/{EXAMPLE_META_SITE}", None),
    "add_apps_to_meta_site_v1": (
        "POST",
        f"/api/meta-sites/v1/{EXAMPLE_META_SITE}/relationships/apps",
        {"data": [{"type": "ppms/app", "id": EXAMPLE_APP}]},
    ),
    "remove_apps_from_meta_site_v1": (
        "DELETE",
        f"/api/meta-sites/v1/{EXAMPLE_META_SITE}/relationships/apps",
        {"data": [{"type": "ppms/app", "id": EXAMPLE_APP}]},
    ),
    "accessible_modules_for_users_batch": (
        "POST",
        "/api/modules/v1/by-users",
        {"data": [{"type": "ppms/user", "id": USER_ID}]},
    ),
    "get_user_modules_access_v1": ("GET", f"/api/modules/v1/access/user/{USER_ID}", None),
    "set_modules_access_v1": (
        "PUT",
        f"/api/modules/v1/access/user/{USER_ID}",
        {"data": [{"type": "module/access", "id": "analytics", "attributes": {"access": True}}]},
    ),
    "audit_log_entries_v1": ("GET", "/api/audit-log/v1/entries", None),
}
# each service words its 403 its own way (documented for meta sites; the modules and audit-log services are
# Django REST framework ones: its PermissionDenied, inferred)
FORBIDDEN = {
    "meta-sites": {"status": "403", "title": "Access denied.", "code": "error.forbidden"},
    "modules": {
        "status": "403",
        "code": "permission_denied",
        "title": "Forbidden",
        "detail": "You do not have permission to perform this action.",
    },
}
FORBIDDEN["audit-log"] = FORBIDDEN["modules"]
USERS_FORBIDDEN = {"status": "403", "title": "Forbidden", "code": "error.default"}


def test_the_table_covers_every_owner_only_operation():
    assert set(OWNER_ONLY_REQUESTS) == OWNER_ONLY


@pytest.mark.parametrize("operation", sorted(OWNER_ONLY))
def test_user_tokens_get_403_on_every_owner_only_operation(http, operation):
    method, path, document = OWNER_ONLY_REQUESTS[operation]
    response = Piwik(http, USER).send(method, path, document)
    assert response.status_code == 403
    service = path.split("/")[2]
    assert errors(response) == [FORBIDDEN.get(service, USERS_FORBIDDEN)]


def test_change_role_without_attributes_is_a_form_error(owner):
    response = owner.send(
        "PATCH", f"/api/users/v2/{USER_ID}/change-role", {"data": {"type": "ppms/user", "id": USER_ID}}
    )
    assert response.status_code == 400
    assert errors(response) == [invalid_form("/role", "This value should not be blank.", "error.not-blank")]


@pytest.mark.parametrize(
    "method, path, document",
    [
        ("POST", "/api/users/v2/invite", user_doc({"email": "no-type@example.org"})),
        ("PATCH", f"/api/users/v2/{USER_ID}", user_doc({"language": "de-DE"}, USER_ID)),
        (
            "POST",
            f"/api/user-groups/v1/{TEAM_LEADS}/relationships/users",
            {"data": [{"type": "ppms/user", "id": USER_ID}]},
        ),
    ],
)
def test_writes_without_a_content_type_are_rejected(owner, method, path, document):
    response = owner.client.request(method, f"/piwik_pro{path}", content=json.dumps(document), headers=owner.headers())
    assert response.status_code == 400
    assert errors(response) == [
        {
            "status": "400",
            "code": "error.json-api-content-type",
            "title": '"" is not a valid JsonApi Content-Type header, use "application/vnd.api+json" instead',
        }
    ]
    assert owner.get(f"/api/users/v2/{USER_ID}").json()["data"]["attributes"]["language"] == "en-US"


def test_uuids_match_case_insensitively(owner):
    upper = USER_ID.upper()
    assert owner.get(f"/api/users/v2/{upper}").json()["data"]["id"] == USER_ID
    assert owner.send("PATCH", f"/api/users/v2/{upper}", user_doc({"language": "nl-NL"}, upper)).status_code == 204
    assert owner.send("PATCH", f"/api/users/v2/{USER_ID}", user_doc({"language": "nl-NL"}, upper)).status_code == 204
    assert owner.send("DELETE", f"/api/user-groups/v1/{TEAM_LEADS.upper()}").status_code == 204
    assert owner.send("DELETE", f"/api/users/v2/{upper}").status_code == 204
    assert owner.get(f"/api/users/v2/{USER_ID}").status_code == 404


def test_a_new_token_does_not_reset_the_users_budget(http, mocks):
    mocks.limit("piwik_pro", "read", 1)
    assert Piwik(http).get("/api/users/v2/me").status_code == 200
    assert Piwik(http).get("/api/users/v2/me").status_code == 429  # same user, fresh token
    assert Piwik(http, USER).get("/api/users/v2/me").status_code == 200


def test_token_endpoint_is_limited_per_client_address(http, mocks):
    mocks.limit("piwik_pro", "write", 1)
    first = http.post("/piwik_pro/auth/token", json={"grant_type": "client_credentials", **OWNER})
    limited = http.post("/piwik_pro/auth/token", json={"grant_type": "client_credentials", **OWNER})
    assert first.status_code == 200 and limited.status_code == 429
    assert limited.headers["retry-after"] == "60" and limited.headers["content-type"] == JSONAPI


@pytest.mark.parametrize(
    "body, message",
    [
        ({"vendor": "piwik_pro", "user_id": ["x"]}, "no user ['x']"),
        ({"vendor": "piwik_pro", "lifetime_seconds": "long"}, "'lifetime_seconds' must be a positive integer"),
    ],
)
def test_admin_minting_rejects_bad_parameters(http, body, message):
    response = http.post("/_mocks/tokens", json=body)
    assert response.status_code == 400 and message in response.json()["error"]


def test_admin_minting_defaults_to_the_owner_even_without_its_credentials(http, owner, mocks):
    world = mocks.world("piwik_pro")
    with world.transaction():
        for credential in world["credentials"].values():
            world["credentials"].delete(credential["id"])
    minted = http.post("/_mocks/tokens", json={"vendor": "piwik_pro"}).json()
    assert minted["user_id"] == "d6cddc11-bd05-4abe-ab2d-6b9a621fe4d7"


def test_switching_limits_off_is_undone_by_a_reset(http, owner, mocks):
    http.put("/_mocks/ratelimits", json={"enabled": False})
    http.post("/_mocks/reset")
    assert http.get("/_mocks/ratelimits").json()["enabled"] is True
