"""Access control API v2 over HTTP: set, list and revoke permissions of users and user groups on apps and
meta sites; inheritance through groups; ids that must exist in the account; deletes that take grants along."""

from __future__ import annotations

import pytest

from .conftest import JSONAPI, USER, USER_ID, Piwik, errors, invalid_form

EXAMPLE_APP = "6edb1e3c-4c43-4760-ab76-682ad83146be"
META_SITE = "ac62ca6b-cfd6-4161-b414-e1061baa05b7"
TEAM_LEADS = "9a67f188-734c-4ba3-8769-912a7e59f3ff"
JANE = "8209367f-691b-475e-84c3-d1c69f46075b"
MISSING = "00000000-0000-4000-8000-000000000000"


def permission_doc(resource_type: str, permission) -> dict:
    return {"data": {"type": resource_type, "attributes": {"permission": permission}}}


def user_row(owner: Piwik, path: str, user_id: str) -> dict:
    data = owner.get(path, search=user_id).json()["data"]
    assert len(data) == 1
    return data[0]


def test_set_list_and_revoke_a_users_app_permission(owner):
    app_id = owner.send(
        "POST",
        "/api/apps/v2",
        {"data": {"type": "ppms/app", "attributes": {"name": "Fresh", "urls": ["https://fresh.example"]}}},
    ).json()["data"]["id"]
    path = f"/api/access-control/v2/app/{app_id}/permission/user"
    assert user_row(owner, path, USER_ID)["attributes"]["permission"] == "no-access"
    response = owner.send("POST", f"{path}/{USER_ID}", permission_doc("app/permission/user", "edit-publish"))
    assert (response.status_code, response.content) == (204, b"")
    listing = owner.get(path, search=USER_ID)
    assert listing.headers["content-type"] == JSONAPI
    assert listing.json() == {
        "meta": {"total": 1},
        "data": [
            {
                "id": USER_ID,
                "type": "app/permission/user",
                "attributes": {
                    "email": "user@example.com",
                    "group_permissions": {"group_names": [], "permission": "no-access"},
                    "permission": "edit-publish",
                },
            }
        ],
    }
    assert (
        owner.send("POST", f"{path}/{USER_ID}", permission_doc("app/permission/user", "no-access")).status_code == 204
    )
    assert user_row(owner, path, USER_ID)["attributes"]["permission"] == "no-access"


def test_owners_are_not_listed(owner):
    emails = {
        u["attributes"]["email"]
        for u in owner.get(f"/api/access-control/v2/app/{EXAMPLE_APP}/permission/user", limit=1000).json()["data"]
    }
    assert "user@example.com" in emails and "owner@example.com" not in emails


def test_group_permissions_are_inherited_by_members(owner):
    row = user_row(owner, f"/api/access-control/v2/app/{EXAMPLE_APP}/permission/user", JANE)
    assert row["attributes"]["group_permissions"] == {"group_names": ["Team leads"], "permission": "manage"}
    assert row["attributes"]["permission"] == "no-access"
    groups = owner.get(f"/api/access-control/v2/app/{EXAMPLE_APP}/permission/user-group", search="Team").json()
    assert groups == {
        "meta": {"total": 1},
        "data": [
            {
                "id": TEAM_LEADS,
                "type": "app/permission/user-group",
                "attributes": {"name": "Team leads", "permission": "manage"},
            }
        ],
    }


def test_meta_site_permissions_for_users_and_groups(owner):
    base = f"/api/access-control/v2/meta-site/{META_SITE}/permission"
    assert (
        owner.send(
            "POST", f"{base}/user-group/{TEAM_LEADS}", permission_doc("meta-site/permission/user-group", "edit")
        ).status_code
        == 204
    )
    row = user_row(owner, f"{base}/user", JANE)
    assert row["type"] == "meta-site/permission/user"
    assert row["attributes"]["group_permissions"] == {"group_names": ["Team leads"], "permission": "edit"}
    assert user_row(owner, f"{base}/user", USER_ID)["attributes"]["permission"] == "view"  # seeded
    groups = owner.get(f"{base}/user-group", sort="-name").json()["data"]
    assert [g["attributes"]["name"] for g in groups] == sorted((g["attributes"]["name"] for g in groups), reverse=True)
    assert {g["id"]: g["attributes"]["permission"] for g in groups}[TEAM_LEADS] == "edit"


@pytest.mark.parametrize(
    "path, resource_type, available",
    [
        (
            f"/api/access-control/v2/app/{EXAMPLE_APP}/permission/user/{USER_ID}",
            "app/permission/user",
            "no-access, view, edit, edit-publish, manage",
        ),
        (
            f"/api/access-control/v2/meta-site/{META_SITE}/permission/user-group/{TEAM_LEADS}",
            "meta-site/permission/user-group",
            "no-access, view, edit, manage",
        ),
    ],
)
def test_an_unknown_permission_is_the_documented_400(owner, mocks, path, resource_type, available):
    before = mocks.world("piwik_pro").dump()
    response = owner.send("POST", path, permission_doc(resource_type, "copy"))
    assert response.status_code == 400
    assert errors(response) == [
        invalid_form("/data/attributes/permission", f'Invalid permission "copy", available are: [{available}]')
    ]
    assert mocks.world("piwik_pro").dump() == before


def test_edit_publish_is_not_a_meta_site_permission(owner):
    response = owner.send(
        "POST",
        f"/api/access-control/v2/meta-site/{META_SITE}/permission/user/{USER_ID}",
        permission_doc("meta-site/permission/user", "edit-publish"),
    )
    assert (
        errors(response)[0]["detail"]
        == 'Invalid permission "edit-publish", available are: [no-access, view, edit, manage]'
    )


@pytest.mark.parametrize(
    "path, code",
    [
        (f"/api/access-control/v2/app/{MISSING}/permission/user/{USER_ID}", "apps.error.app-does-not-exist"),
        (f"/api/access-control/v2/app/{EXAMPLE_APP}/permission/user/{MISSING}", "users.error.user-does-not-exist"),
    ],
)
def test_ids_must_exist_in_the_account_and_nothing_is_written(owner, mocks, path, code):
    before = mocks.world("piwik_pro").dump()
    response = owner.send("POST", path, permission_doc("app/permission/user", "view"))
    assert (response.status_code, errors(response)[0]["code"]) == (404, code)
    assert mocks.world("piwik_pro").dump() == before


def test_a_group_of_another_account_is_unknown(http, owner):
    acme = Piwik(http, tenant="acme")
    theirs = acme.send(
        "POST", "/api/user-groups/v1", {"data": {"type": "ppms/user-group", "attributes": {"name": "Acme people"}}}
    ).json()["data"]["id"]
    response = owner.send(
        "POST",
        f"/api/access-control/v2/app/{EXAMPLE_APP}/permission/user-group/{theirs}",
        permission_doc("app/permission/user-group", "view"),
    )
    assert (response.status_code, errors(response)[0]["code"]) == (404, "user-groups.error.user-group-does-not-exist")


def test_a_user_needs_manage_to_grant(http, owner):
    user = Piwik(http, USER)  # `edit` on the example site
    response = user.send(
        "POST",
        f"/api/access-control/v2/app/{EXAMPLE_APP}/permission/user/{JANE}",
        permission_doc("app/permission/user", "view"),
    )
    assert (response.status_code, errors(response)) == (
        403,
        [{"status": "403", "title": "Forbidden", "code": "error.default"}],
    )
    owner.send(
        "POST",
        f"/api/access-control/v2/app/{EXAMPLE_APP}/permission/user/{USER_ID}",
        permission_doc("app/permission/user", "manage"),
    )
    assert (
        user.send(
            "POST",
            f"/api/access-control/v2/app/{EXAMPLE_APP}/permission/user/{JANE}",
            permission_doc("app/permission/user", "view"),
        ).status_code
        == 204
    )


def test_deleting_a_user_or_a_group_removes_their_permissions(owner, mocks):
    grants = mocks.world("piwik_pro")["permissions"]
    assert any(p["subject_id"] == USER_ID for p in grants.values())
    assert any(p["subject_id"] == TEAM_LEADS for p in grants.values())
    assert owner.send("DELETE", f"/api/users/v2/{USER_ID}").status_code == 204
    assert owner.send("DELETE", f"/api/user-groups/v1/{TEAM_LEADS}").status_code == 204
    assert not any(p["subject_id"] in (USER_ID, TEAM_LEADS) for p in grants.values())
    row = user_row(owner, f"/api/access-control/v2/app/{EXAMPLE_APP}/permission/user", JANE)
    assert row["attributes"]["group_permissions"] == {"group_names": [], "permission": "no-access"}


def test_entity_actions_follow_the_permission_table(http, owner):
    user = Piwik(http, USER)
    mine = user.get(f"/api/access-control/v2/entry/{EXAMPLE_APP}").json()
    assert mine == {
        "data": {
            "type": "ppms/permission/entity/actions",
            "id": EXAMPLE_APP,
            "attributes": {"actions": ["view", "edit"]},
        }
    }
    assert owner.get(f"/api/access-control/v2/entry/{EXAMPLE_APP}").json()["data"]["attributes"]["actions"] == [
        "view",
        "edit",
        "publish",
        "delete",
        "manage",
        "add",
    ]
    assert user.get(f"/api/access-control/v2/entry/{META_SITE}").json()["data"]["attributes"]["actions"] == [
        "view",
        "list_apps_in_meta_site",
    ]
    assert user.get(f"/api/access-control/v2/entry/{MISSING}").json()["data"]["attributes"]["actions"] == []


def test_entities_with_an_action_and_global_actions(http, owner):
    user = Piwik(http, USER)
    editable = user.get("/api/access-control/v2/entry/ppms/app/action/edit").json()
    assert {"id": EXAMPLE_APP, "type": "ppms/permission/entity", "attributes": {"entityType": "ppms/app"}} in editable[
        "data"
    ]
    assert editable["meta"]["total"] == len(editable["data"])
    assert user.get("/api/access-control/v2/entry/ppms/meta-site/action/manage").json() == {
        "meta": {"total": 0},
        "data": [],
    }
    assert owner.get("/api/access-control/v2/global/actions").json() == {
        "data": [
            {"id": "ppms/app", "type": "ppms/permissions/global", "attributes": {"permissions": ["add"]}},
            {
                "id": "ppms/user",
                "type": "ppms/permissions/global",
                "attributes": {"permissions": ["list", "add", "demote_app_manager", "demote_meta_site_manager"]},
            },
            {
                "id": "ppms/meta-site",
                "type": "ppms/permissions/global",
                "attributes": {"permissions": ["add", "delete"]},
            },
        ]
    }
    assert all(
        e["attributes"]["permissions"] == [] for e in user.get("/api/access-control/v2/global/actions").json()["data"]
    )


def test_legacy_operations_still_work(owner):
    document = {
        "data": {
            "type": "ppms/permissions/group",
            "attributes": {"entity": "ppms/app", "entityId": EXAMPLE_APP, "group": "view", "targetUserId": JANE},
        }
    }
    assert owner.send("POST", "/api/access-control/v2/entry/group", document).status_code == 204
    row = user_row(owner, f"/api/access-control/v2/entry/groups/ppms/app/{EXAMPLE_APP}", JANE)
    assert row["type"] == "ppms/permissions/group" and row["attributes"]["permissions"] == ["view"]


def test_401_is_the_documented_unauthorized(http):
    response = http.get(f"/piwik_pro/api/access-control/v2/app/{EXAMPLE_APP}/permission/user")
    assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})
    expired = http.get("/piwik_pro/api/access-control/v2/global/actions", headers={"Authorization": "Bearer x.y.z"})
    assert (expired.status_code, expired.json()) == (401, {"message": "Unauthorized"})
