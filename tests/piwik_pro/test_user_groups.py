"""User groups API v1: every operation, over HTTP."""

from __future__ import annotations

import pytest

from .conftest import JSONAPI, OWNER_ID, USER_ID, errors, invalid_form, resource_doc

TEAM_LEADS = "9a67f188-734c-4ba3-8769-912a7e59f3ff"  # the official spec's example group id
JANE = "8209367f-691b-475e-84c3-d1c69f46075b"
MISSING = "00000000-0000-4000-8000-000000000000"


def group_doc(attributes: dict, group_id: str | None = None) -> dict:
    return resource_doc("ppms/user-group", attributes, group_id)


def members(owner, group_id: str, *, excluded: bool = False, **params) -> dict:
    path = f"/api/user-groups/v1/{group_id}/users" + ("/excluded" if excluded else "")
    return owner.get(path, **params).json()


def test_list_and_details(owner):
    listing = owner.get("/api/user-groups/v1", limit=100)
    assert listing.status_code == 200 and listing.headers["content-type"] == JSONAPI
    body = listing.json()
    assert body["meta"]["total"] == len(body["data"]) == 5
    names = [g["attributes"]["name"] for g in body["data"]]
    assert names == sorted(names, key=str.lower)  # default sort: name
    details = owner.get(f"/api/user-groups/v1/{TEAM_LEADS}").json()
    assert details == {
        "data": {
            "type": "ppms/user-group",
            "id": TEAM_LEADS,
            "attributes": {
                "name": "Team leads",
                "created_at": "2025-03-27T01:33:30.915Z",
                "updated_at": "2025-03-27T01:33:30.915Z",
                "external_id": None,
            },
        }
    }


def test_list_search_sort_and_paging(owner):
    assert [g["id"] for g in owner.get("/api/user-groups/v1", search="team l").json()["data"]] == [TEAM_LEADS]
    assert owner.get("/api/user-groups/v1", search=TEAM_LEADS[:8]).json()["meta"]["total"] == 1
    newest = owner.get("/api/user-groups/v1", sort="-created_at", limit=2, offset=1).json()
    assert len(newest["data"]) == 2 and newest["meta"]["total"] == 5
    response = owner.get("/api/user-groups/v1", sort="size")
    assert errors(response)[0]["title"] == (
        "Invalid query parameter 'sort' - available options are [name,created_at,updated_at] - got 'size'"
    )
    assert errors(owner.get("/api/user-groups/v1", limit=1001))[0]["title"] == (
        'Limit parameter exceeded maximum "1000" value, "1001" given'
    )


@pytest.mark.parametrize("content_type", ["application/json", JSONAPI])
def test_create_accepts_both_documented_and_sent_media_types(owner, mocks, content_type):
    mocks.clock.freeze()
    response = owner.send("POST", "/api/user-groups/v1", group_doc({"name": "Auditors"}), content_type=content_type)
    assert response.status_code == 201
    assert response.headers["content-type"] == JSONAPI
    data = response.json()["data"]
    stamp = mocks.clock.now().strftime("%Y-%m-%dT%H:%M:%S.") + f"{mocks.clock.now().microsecond // 1000:03d}Z"
    assert data["attributes"] == {"name": "Auditors", "created_at": stamp, "updated_at": stamp}
    assert owner.get(f"/api/user-groups/v1/{data['id']}").json()["data"]["attributes"]["external_id"] is None


def test_create_duplicate_and_blank_names(owner):
    duplicate = owner.send("POST", "/api/user-groups/v1", group_doc({"name": "team LEADS"}))
    assert errors(duplicate) == [
        invalid_form(
            "/name", "User group with name: 'team LEADS' already exists.", "user-groups.error.user-group-already-exists"
        )
    ]
    blank = owner.send("POST", "/api/user-groups/v1", group_doc({"name": " "}))
    assert errors(blank)[0]["code"] == "error.not-blank"


def test_edit(owner, mocks):
    mocks.clock.advance(60)
    response = owner.send(
        "PATCH",
        f"/api/user-groups/v1/{TEAM_LEADS}",
        group_doc({"name": "Leads EMEA", "external_id": "okta-123"}, TEAM_LEADS),
    )
    assert (response.status_code, response.content) == (204, b"")
    attributes = owner.get(f"/api/user-groups/v1/{TEAM_LEADS}").json()["data"]["attributes"]
    assert attributes["name"] == "Leads EMEA" and attributes["external_id"] == "okta-123"
    assert attributes["updated_at"] > attributes["created_at"]


def test_edit_id_mismatch_and_unknown_group(owner):
    mismatch = owner.send("PATCH", f"/api/user-groups/v1/{TEAM_LEADS}", group_doc({"name": "x"}, MISSING))
    assert mismatch.status_code == 409
    assert errors(mismatch)[0]["detail"] == (
        f"The resource object's id ({MISSING}) does not match url's lookup id ({TEAM_LEADS})"
    )
    unknown = owner.send("PATCH", f"/api/user-groups/v1/{MISSING}", group_doc({"name": "x"}, MISSING))
    assert errors(unknown) == [
        {
            "status": "404",
            "title": f"User group with id: {MISSING} does not exist",
            "code": "user-groups.error.user-group-does-not-exist",
        }
    ]


def test_delete(owner):
    deleted = owner.send("DELETE", f"/api/user-groups/v1/{TEAM_LEADS}")
    assert (deleted.status_code, deleted.content) == (204, b"")
    gone = [
        {
            "status": "404",
            "title": f"User group with id: {TEAM_LEADS} does not exist",
            "code": "user-groups.error.user-group-does-not-exist",
        }
    ]
    for response in (
        owner.get(f"/api/user-groups/v1/{TEAM_LEADS}"),
        owner.send("DELETE", f"/api/user-groups/v1/{TEAM_LEADS}"),
    ):
        assert response.status_code == 404 and errors(response) == gone


def test_members_and_excluded_partition_the_account(owner):
    inside = members(owner, TEAM_LEADS, limit=1000)
    outside = members(owner, TEAM_LEADS, excluded=True, limit=1000)
    assert {u["id"] for u in inside["data"]} == {OWNER_ID, JANE}
    assert inside["data"][0] == {"id": JANE, "type": "ppms/user", "attributes": {"email": "jane.roe@example.com"}}
    assert [u["attributes"]["email"] for u in inside["data"]] == ["jane.roe@example.com", "owner@example.com"]
    assert inside["meta"]["total"] + outside["meta"]["total"] == 24
    assert {u["id"] for u in inside["data"]}.isdisjoint({u["id"] for u in outside["data"]})
    assert members(owner, TEAM_LEADS, sort="-email")["data"][0]["attributes"]["email"] == "owner@example.com"


def test_add_and_remove_members(owner):
    add = owner.send(
        "POST",
        f"/api/user-groups/v1/{TEAM_LEADS}/relationships/users",
        {"data": [{"type": "ppms/user", "id": USER_ID}, {"type": "ppms/user", "id": JANE}]},
    )
    assert (add.status_code, add.content) == (204, b"")
    assert members(owner, TEAM_LEADS)["meta"]["total"] == 3
    remove = owner.send(
        "DELETE",
        f"/api/user-groups/v1/{TEAM_LEADS}/relationships/users",
        {"data": [{"type": "ppms/user", "id": OWNER_ID}]},
    )
    assert remove.status_code == 204
    assert {u["id"] for u in members(owner, TEAM_LEADS)["data"]} == {USER_ID, JANE}


def test_adding_an_unknown_user_changes_nothing(owner):
    response = owner.send(
        "POST",
        f"/api/user-groups/v1/{TEAM_LEADS}/relationships/users",
        {"data": [{"type": "ppms/user", "id": USER_ID}, {"type": "ppms/user", "id": MISSING}]},
    )
    assert response.status_code == 404
    assert errors(response)[0]["code"] == "users.error.user-does-not-exist"
    assert USER_ID not in {u["id"] for u in members(owner, TEAM_LEADS)["data"]}


def test_set_permission_group(owner, mocks):
    document = {
        "data": {
            "type": "ppms/permissions/group",
            "attributes": {"entity_id": "6edb1e3c-4c43-4760-ab76-682ad83146be", "group": "edit"},
        }
    }
    response = owner.send(
        "POST", f"/api/user-groups/v1/{TEAM_LEADS}/permissions", document, content_type="application/json"
    )
    assert (response.status_code, response.content) == (204, b"")
    stored = mocks.world("piwik_pro")["permissions"].get(
        f"app:6edb1e3c-4c43-4760-ab76-682ad83146be:user-group:{TEAM_LEADS}"
    )
    assert (stored["subject_id"], stored["permission"]) == (TEAM_LEADS, "edit")  # the access control API's grant
    listed = owner.get(
        "/api/access-control/v2/app/6edb1e3c-4c43-4760-ab76-682ad83146be/permission/user-group", search="Team leads"
    ).json()["data"]
    assert [(g["id"], g["attributes"]["permission"]) for g in listed] == [(TEAM_LEADS, "edit")]
    bad = dict(
        document,
        data={**document["data"], "attributes": {"entity_id": "6edb1e3c-4c43-4760-ab76-682ad83146be", "group": "copy"}},
    )
    assert errors(owner.send("POST", f"/api/user-groups/v1/{TEAM_LEADS}/permissions", bad))[0]["source"] == {
        "pointer": "/group"
    }
