"""Users API v2: every operation, over HTTP, asserting bodies and headers."""

from __future__ import annotations

import pytest

from .conftest import JSONAPI, OWNER_ID, USER, USER_ID, Piwik, errors, invalid_form, user_doc

EXAMPLE_USER = {  # the "Get user details" example of the getting-started guide, plus `organization`
    "data": {
        "id": USER_ID,
        "type": "ppms/user",
        "attributes": {
            "email": "user@example.com",
            "role": "USER",
            "organization": "default",
            "addedAt": "2021-08-02T12:16:30+00:00",
            "language": "en-US",
        },
    }
}


def test_details_of_the_documented_user(owner):
    response = owner.get(f"/api/users/v2/{USER_ID}")
    assert response.status_code == 200
    assert response.headers["content-type"] == JSONAPI
    assert response.json() == EXAMPLE_USER


def test_list_defaults_and_total(owner):
    body = owner.get("/api/users/v2").json()
    assert body["meta"] == {"total": 24}
    assert len(body["data"]) == 10
    added = [u["attributes"]["addedAt"] for u in body["data"]]
    assert added == sorted(added, reverse=True)  # default sort -addedAt
    assert all(
        u["type"] == "ppms/user" and set(u["attributes"]) == {"email", "role", "organization", "addedAt", "language"}
        for u in body["data"]
    )


def test_list_sort_offset_limit(owner):
    everyone = owner.get("/api/users/v2", sort="email", limit=1000).json()["data"]
    emails = [u["attributes"]["email"] for u in everyone]
    assert emails == sorted(emails) and len(emails) == 24
    page = owner.get("/api/users/v2", sort="email", offset=5, limit=3).json()
    assert [u["attributes"]["email"] for u in page["data"]] == emails[5:8]
    assert page["meta"]["total"] == 24
    by_role = [u["attributes"]["role"] for u in owner.get("/api/users/v2", sort="-role", limit=1000).json()["data"]]
    assert by_role == sorted(by_role, reverse=True)


def test_kept_list_pages_follow_every_change_and_parameter(owner):
    """The pages of the full listing are kept as bytes (jsonapi.kept_page): each sort/offset/limit is its own page,
    and a role change or a deletion is seen at once."""
    first = owner.get("/api/users/v2", sort="email", limit=5).json()
    assert owner.get("/api/users/v2", sort="email", limit=5).json() == first
    assert owner.get("/api/users/v2", sort="email", offset=1, limit=5).json()["data"] == first["data"][1:] + [
        owner.get("/api/users/v2", sort="email", offset=5, limit=1).json()["data"][0]
    ]
    assert owner.get("/api/users/v2", sort="-email", limit=5).json()["data"] != first["data"]
    victim = first["data"][0]["id"]
    role = "OWNER" if first["data"][0]["attributes"]["role"] != "OWNER" else "USER"
    assert (
        owner.send("PATCH", f"/api/users/v2/{victim}/change-role", user_doc({"role": role}, victim)).status_code == 204
    )
    changed = owner.get("/api/users/v2", sort="email", limit=5).json()
    assert changed["data"][0]["attributes"]["role"] == role
    assert owner.send("DELETE", f"/api/users/v2/{victim}").status_code == 204
    after = owner.get("/api/users/v2", sort="email", limit=5).json()
    assert after["meta"]["total"] == first["meta"]["total"] - 1
    assert victim not in [u["id"] for u in after["data"]]


def test_limit_zero_is_an_empty_page_with_the_total(owner):
    assert owner.get("/api/users/v2", limit=0).json() == {"meta": {"total": 24}, "data": []}


@pytest.mark.parametrize(
    "params", [{"search": "EXAMPLE.COM"}, {"search_query": "example.com"}, {"search": USER_ID[:8]}]
)
def test_search_by_email_or_id(owner, params):
    body = owner.get("/api/users/v2", **params).json()
    found = {u["id"] for u in body["data"]}
    assert USER_ID in found and body["meta"]["total"] == len(found)


def test_invite_then_read_back(owner, mocks):
    mocks.clock.freeze()
    response = owner.send(
        "POST", "/api/users/v2/invite", user_doc({"email": "New.Person@example.org", "language": "de-DE"})
    )
    assert response.status_code == 201
    assert response.headers["content-type"] == JSONAPI
    data = response.json()["data"]
    assert data["type"] == "ppms/user"
    assert data["attributes"] == {
        "email": "New.Person@example.org",
        "role": "USER",
        "addedAt": mocks.clock.now().strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "language": "de-DE",
    }
    again = owner.get(f"/api/users/v2/{data['id']}").json()["data"]
    assert again["attributes"]["organization"] == "default"
    assert owner.get("/api/users/v2").json()["meta"]["total"] == 25
    # emails are unique per account, whatever their case
    duplicate = owner.send("POST", "/api/users/v2/invite", user_doc({"email": "new.person@EXAMPLE.org"}))
    assert errors(duplicate)[0]["code"] == "users.error.user-already-exists"


def test_invite_language_defaults_to_en_us(owner):
    response = owner.send("POST", "/api/users/v2/invite", user_doc({"email": "x@example.org"}))
    assert response.json()["data"]["attributes"]["language"] == "en-US"


def test_invite_reports_every_form_error(owner):
    response = owner.send("POST", "/api/users/v2/invite", user_doc({"email": "nope@nowhere", "language": "xx-YY"}))
    assert response.status_code == 400
    assert [(e["code"], e["source"]["pointer"]) for e in errors(response)] == [
        ("users.error.invalid-email", "/email"),
        ("users.error.unsupported-language", "/language"),
    ]


def test_deprecated_create_user(owner):
    response = owner.send(
        "POST", "/api/users/v2", user_doc({"email": "c@example.org", "password": "Sup3rSecretPass", "role": "OWNER"})
    )
    assert response.status_code == 201
    attributes = response.json()["data"]["attributes"]
    assert attributes["role"] == "OWNER" and attributes["organization"] == "default"


def test_deprecated_create_requires_a_password(owner):
    response = owner.send("POST", "/api/users/v2", user_doc({"email": "c@example.org"}))
    assert errors(response) == [invalid_form("/password", "This value should not be blank.", "error.not-blank")]


def test_edit_user_is_a_real_204(owner):
    response = owner.send(
        "PATCH", f"/api/users/v2/{USER_ID}", user_doc({"language": "de-DE", "role": "OWNER"}, USER_ID)
    )
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers and "content-length" not in response.headers
    attributes = owner.get(f"/api/users/v2/{USER_ID}").json()["data"]["attributes"]
    assert (attributes["language"], attributes["role"]) == ("de-DE", "OWNER")


def test_edit_only_changes_given_attributes(owner):
    owner.send("PATCH", f"/api/users/v2/{USER_ID}", user_doc({"language": "fr-FR"}, USER_ID))
    attributes = owner.get(f"/api/users/v2/{USER_ID}").json()["data"]["attributes"]
    assert (attributes["language"], attributes["role"]) == ("fr-FR", "USER")


def test_edit_unknown_user(owner):
    missing = "6e82f3aa-43a3-45e8-8caf-b9db9503d795"
    response = owner.send("PATCH", f"/api/users/v2/{missing}", user_doc({"language": "de-DE"}, missing))
    assert response.status_code == 404
    assert errors(response)[0]["code"] == "users.error.user-does-not-exist"


def test_edit_requires_the_resource_type(owner):
    response = owner.send("PATCH", f"/api/users/v2/{USER_ID}", {"data": {"id": USER_ID, "attributes": {}}})
    assert errors(response) == [
        {
            "status": "400",
            "code": "error.json-api-resource-type",
            "title": '"" is not a valid resource type, use "ppms/user" instead',
        }
    ]


def test_delete_user(owner, mocks):
    assert owner.send("DELETE", f"/api/users/v2/{USER_ID}").status_code == 204
    assert owner.get(f"/api/users/v2/{USER_ID}").status_code == 404
    groups = mocks.world("piwik_pro")["user_groups"].values()
    assert all(USER_ID not in g["members"] for g in groups)


def test_change_role(owner):
    response = owner.send("PATCH", f"/api/users/v2/{USER_ID}/change-role", user_doc({"role": "OWNER"}, USER_ID))
    assert (response.status_code, response.content) == (204, b"")
    assert owner.get(f"/api/users/v2/{USER_ID}").json()["data"]["attributes"]["role"] == "OWNER"


def test_change_role_needs_a_role(owner):
    response = owner.send("PATCH", f"/api/users/v2/{USER_ID}/change-role", user_doc({}, USER_ID))
    assert errors(response) == [invalid_form("/role", "This value should not be blank.", "error.not-blank")]


def test_me_and_deprecated_me_details(owner):
    me = owner.get("/api/users/v2/me").json()
    assert me == owner.get("/api/users/v2/me/details").json()
    assert me["data"]["id"] == OWNER_ID and me["data"]["attributes"]["role"] == "OWNER"


def test_me_edit(http):
    member = Piwik(http, USER)
    assert member.send("PATCH", "/api/users/v2/me", user_doc({"language": "sv-SE"}, USER_ID)).status_code == 204
    assert member.get("/api/users/v2/me").json()["data"]["attributes"]["language"] == "sv-SE"
    promoted = member.send("PATCH", "/api/users/v2/me", user_doc({"role": "OWNER"}, USER_ID))
    assert errors(promoted)[0]["code"] == "users.error.cannot-change-own-role"
    other = member.send("PATCH", "/api/users/v2/me", user_doc({"language": "sv-SE"}, OWNER_ID))
    assert other.status_code == 409


def test_me_change_password(owner):
    change = user_doc({"currentPassword": "Mock-Owner-Passw0rd", "newPassword": "An0ther-Passw0rd"}, OWNER_ID)
    assert owner.send("PATCH", "/api/users/v2/me/change-password", change).status_code == 204
    again = owner.send("PATCH", "/api/users/v2/me/change-password", change)
    assert errors(again)[0]["code"] == "users.error.invalid-current-password"
