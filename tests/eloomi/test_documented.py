"""Requests copied from the official docs (tests/reference/eloomi/) get the documented answers."""

from __future__ import annotations

import re

import pytest

from mocks.core.paths import data_dir
from mocks.core.specs import load_yaml

from .conftest import CLIENT_ID, REFERENCE, UNAUTHENTICATED, assert_no_content, documented_json


def test_get_user_by_pk(eloomi):
    response = eloomi.get("/v3/users/1")
    assert response.json() == documented_json("users/pk/get.md")[0]


def test_patch_user_by_pk(eloomi):
    response = eloomi.send("PATCH", "/v3/users/1", {"first_name": "API Testing"})
    assert response.json() == documented_json("users/pk/patch.md")[0]


def test_create_user_as_documented(eloomi):
    documented = documented_json("users/post.md")[0]
    response = eloomi.send("POST", "/v3/users", {"first_name": "API Testing", "email": "api_test@eloomi.com"})
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["id"] > 90
    assert body == {**documented, "data": {**documented["data"], "id": body["data"]["id"]}}


@pytest.mark.parametrize(
    "request_body, index",
    [
        ({"first_name": "API Testing"}, 1),  # no email
        ({"first_name": "API Testing", "email": "api_test@eloomi.com"}, 2),  # the email exists (after a first create)
    ],
)
def test_create_user_errors(eloomi, request_body, index):
    eloomi.send("POST", "/v3/users", {"email": "api_test@eloomi.com"})
    response = eloomi.send("POST", "/v3/users", request_body)
    assert response.status_code == 400
    assert response.json() == documented_json("users/post.md")[index]


def test_delete_user_then_again(eloomi):
    deleted, again = eloomi.send("DELETE", "/v3/users/37"), eloomi.send("DELETE", "/v3/users/37")
    assert deleted.json() == documented_json("users/pk/delete.md")[0]
    assert_no_content(again)  # the doc shows a body under its 204; a 204 cannot carry one


def test_list_users_contains_the_documented_users(eloomi):
    listed = {u["id"]: u for u in eloomi.data(eloomi.get("/v3/users"))}
    documented = documented_json("users/get.md")[0]
    assert {k: v for k, v in documented.items() if k != "data"} == {
        "status": "OK",
        "status_code": 200,
        "message": None,
        "extended_message": "Showing all users.",
    }
    for user in documented["data"]:
        assert listed[user["id"]] == user


def test_units_listing_starts_with_the_documented_units(eloomi):
    body = eloomi.get("/v3/units").json()
    documented = documented_json("units/get.md")[0]
    assert body["data"][:4] == documented["data"]
    assert {**body, "data": None} == {**documented, "data": None}


def test_get_unit(eloomi):
    assert eloomi.get("/v3/units/354").json() == documented_json("units/pk/get.md")[0]


def test_patch_unit(eloomi):
    response = eloomi.send("PATCH", "/v3/units/354", {"code": "api_test_code", "parent_id": 353})
    assert response.json() == documented_json("units/pk/patch.md")[0]


def test_create_unit_as_documented(eloomi):
    documented = documented_json("units/post.md")[0]
    response = eloomi.send("POST", "/v3/units", {"name": "API Test Department", "leaders": [1, 5], "users": [2, 3]})
    data = response.json()["data"]
    # the example's users and leaders existed nowhere in eloomi's test platform; here they do
    assert (data["users"], data["leaders"]) == ([2, 3], [1, 5])
    assert response.json() == {
        **documented,
        "data": {**documented["data"], "id": data["id"], "users": [2, 3], "leaders": [1, 5]},
    }


def test_create_unit_errors(eloomi):
    missing, exists = documented_json("units/post.md")[1:3]
    assert eloomi.send("POST", "/v3/units", {"code": "x"}).json() == missing
    clash = eloomi.send("POST", "/v3/units", {"name": "API Test Department"}, params={"unique": "name"})
    assert clash.status_code == 400 and clash.json() == exists


def test_token_as_documented(http):
    documented = documented_json("README.md")[0]
    response = http.post(
        "/eloomi/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": "JG4m3eKWGMPKLYJL7DV8dquDjKgXYsGlZO2VL5i4",
            "scope": "*",
        },
    )
    body = response.json()
    assert list(body) == list(documented)
    assert {**body, "access_token": None} == {**documented, "access_token": None}


def test_documented_failure_responses(http, eloomi):
    unauthenticated, invalid_client, invalid_scope = documented_json("README.md")[1:4]
    assert unauthenticated == UNAUTHENTICATED
    assert (
        http.get("/eloomi/v3/users", headers={"Authorization": "Bearer nope", "ClientId": CLIENT_ID}).json()
        == unauthenticated
    )
    assert eloomi.fetch_token(client_secret="wrong").json() == invalid_client
    assert eloomi.fetch_token(scope="user").json() == invalid_scope


def _documented_operations() -> set[tuple[str, str]]:
    text = (REFERENCE / "README.md").read_text()
    found = re.findall(r"`(GET|POST|PATCH|PUT|DELETE) (/v3/[^`\s]+)`", text)
    return {(method, re.sub(r":(\w+)", r"{\1}", path)) for method, path in found}


def test_every_documented_endpoint_is_served():
    spec = load_yaml((data_dir("specs") / "eloomi.yaml").read_text())
    ours = {
        (m.upper(), re.sub(r"\{[^}]+\}", "{}", p))
        for p, item in spec["paths"].items()
        for m in item
        if m in ("get", "post", "patch", "put", "delete")
    }
    documented = {(m, re.sub(r"\{[^}]+\}", "{}", p)) for m, p in _documented_operations()}
    assert len(documented) == 16
    assert documented <= ours
