"""Every error example of the official Users API spec, reproduced byte-for-byte (as JSON) by the request
that triggers it. The examples are read from the official file, not retyped here."""

from __future__ import annotations

from pathlib import Path

import pytest

from mocks.core.specs import load_yaml

from .conftest import OWNER_ID, USER, Piwik, errors, user_doc

OFFICIAL = Path(__file__).parents[1] / "reference" / "piwik_pro" / "platform_users_public_v2.yaml"
EXAMPLES = load_yaml(OFFICIAL.read_text())["components"]["examples"]
ID_MISMATCH = load_yaml(OFFICIAL.read_text())["components"]["responses"]["id_mismatch"]["content"][
    "application/vnd.api+json"
]["examples"]["Id mismatch"]["value"]


def invite(owner: Piwik, attributes: dict):
    return owner.send("POST", "/api/users/v2/invite", user_doc(attributes))


def create(owner: Piwik, attributes: dict):
    return owner.send("POST", "/api/users/v2", user_doc(attributes))


def change_password(owner: Piwik, attributes: dict):
    return owner.send("PATCH", "/api/users/v2/me/change-password", user_doc(attributes, OWNER_ID))


STRONG = "Str0ngPassword"
TRIGGERS = {
    "user_already_exists": lambda o: invite(o, {"email": "example@piwik.pro"}),
    "unsupported_language": lambda o: invite(o, {"email": "new@example.com", "language": "pl"}),
    "unsupported_language_tag": lambda o: invite(o, {"email": "new@example.com", "language": "english please"}),
    "unsupported_language_region": lambda o: invite(o, {"email": "new@example.com", "language": "en-EN"}),
    "email_should_not_be_blank": lambda o: invite(o, {"email": ""}),
    "email_invalid_value": lambda o: invite(o, {"email": "example.com"}),
    "email_invalid_type": lambda o: invite(o, {"email": 12345}),
    "invalid_password_policy": lambda o: create(o, {"email": "new@example.com", "password": "onlylowercase1"}),
    "invalid_role": lambda o: create(o, {"email": "new@example.com", "password": STRONG, "role": "invalid_role"}),
    "invalid_json_api_type": lambda o: o.send(
        "POST", "/api/users/v2", {"data": {"type": "invalid/type", "attributes": {}}}
    ),
    "invalid_uuid": lambda o: o.get("/api/users/v2/example"),
    "cannot_delete_own_account": lambda o: o.send("DELETE", f"/api/users/v2/{OWNER_ID}"),
    "cannot_change_own_role": lambda o: o.send(
        "PATCH", f"/api/users/v2/{OWNER_ID}/change-role", user_doc({"role": "USER"}, OWNER_ID)
    ),
    "json_api_id_not_provided": lambda o: o.send("PATCH", f"/api/users/v2/{OWNER_ID}", user_doc({"language": "de-DE"})),
    "invalid_current_password": lambda o: change_password(
        o, {"currentPassword": "Wrong-Passw0rd", "newPassword": STRONG}
    ),
    "invalid_current_password_type": lambda o: change_password(o, {"currentPassword": 42, "newPassword": STRONG}),
    "invalid_new_password": lambda o: change_password(
        o, {"currentPassword": "Mock-Owner-Passw0rd", "newPassword": "short"}
    ),
    "invalid_content_type": lambda o: o.send(
        "POST", "/api/users/v2/invite", user_doc({"email": "a@b.co"}), content_type="application/json"
    ),
    "invalid_json_api_content": lambda o: o.send("POST", "/api/users/v2/invite", "{not json"),
    "invalid_offset": lambda o: o.get("/api/users/v2", offset=-1),
    "invalid_limit": lambda o: o.get("/api/users/v2", limit=-1),
    "invalid_limit_over": lambda o: o.get("/api/users/v2", limit=1001),
    "invalid_sort": lambda o: o.get("/api/users/v2", sort="example"),
    "invalid_attributes": lambda o: o.send(
        "POST", "/api/users/v2/invite", {"data": {"type": "ppms/user", "attributes": 1}}
    ),
    "user_does_not_exist": lambda o: o.get("/api/users/v2/6e82f3aa-43a3-45e8-8caf-b9db9503d795"),
}


def test_every_documented_example_has_a_trigger():
    # cannot_delete_last_owner and forbidden need a different caller: covered below.
    assert set(EXAMPLES) == set(TRIGGERS) | {"cannot_delete_last_owner", "forbidden"}


@pytest.mark.parametrize("name", sorted(TRIGGERS))
def test_documented_example(owner, name):
    response = TRIGGERS[name](owner)
    expected = EXAMPLES[name]["value"]
    assert response.status_code == int(expected["errors"][0]["status"])
    assert errors(response) == expected["errors"]


def test_forbidden_example(http):
    response = Piwik(http, USER).get("/api/users/v2")
    assert response.status_code == 403
    assert errors(response) == EXAMPLES["forbidden"]["value"]["errors"]


def test_cannot_delete_last_owner_example(owner, mocks):
    # The seeded account has a second owner; once it is gone, the caller is the last one.
    world = mocks.world("piwik_pro")
    for other in [u for u in world["users"].values() if u["role"] == "OWNER" and u["id"] != OWNER_ID]:
        assert owner.send("DELETE", f"/api/users/v2/{other['id']}").status_code == 204
    response = owner.send("DELETE", f"/api/users/v2/{OWNER_ID}")
    assert response.status_code == 400
    assert errors(response) == EXAMPLES["cannot_delete_last_owner"]["value"]["errors"]


def test_id_mismatch_example(owner):
    response = owner.send(
        "PATCH",
        "/api/users/v2/8209367f-691b-475e-84c3-d1c69f46075b",
        user_doc({"language": "de-DE"}, "985ed9d7-b652-47b8-b9cf-c17d62735261"),
    )
    assert response.status_code == 409
    assert errors(response) == ID_MISMATCH["errors"]
