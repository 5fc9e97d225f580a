"""POST /oauth/token (Passport, league/oauth2-server 7) and the two auth headers of every /v3 call."""

from __future__ import annotations

import base64
import json

import jwt
import pytest

from .conftest import CLIENT_ID, CLIENT_SECRET, CREDENTIALS, UNAUTHENTICATED, Eloomi

MISSING_PARAMETER = (
    "The request is missing a required parameter, includes an invalid parameter value, includes a "
    "parameter more than once, or is otherwise malformed."
)


def _json(body) -> dict:
    return {"content": json.dumps(body), "headers": {"Content-Type": "application/json"}}


@pytest.mark.parametrize("encoding", ["form", "json", "multipart", "json without scope"])
def test_token_from_every_body_real_clients_send(http, mocks, encoding):
    mocks.clock.freeze()
    if encoding == "form":
        response = http.post("/eloomi/oauth/token", data=CREDENTIALS)
    elif encoding == "multipart":
        response = http.post("/eloomi/oauth/token", files={k: (None, v) for k, v in CREDENTIALS.items()})
    elif encoding == "json":
        response = http.post("/eloomi/oauth/token", **_json(CREDENTIALS))
    else:
        response = http.post("/eloomi/oauth/token", **_json({k: v for k, v in CREDENTIALS.items() if k != "scope"}))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    assert (response.headers["cache-control"], response.headers["pragma"]) == ("no-store", "no-cache")
    body = response.json()
    assert list(body) == ["token_type", "expires_in", "access_token"]
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 31535999)
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    now = int(mocks.clock.time())
    assert claims == {
        "aud": CLIENT_ID,
        "jti": claims["jti"],
        "iat": now,
        "nbf": now,
        "sub": "",
        "scopes": [] if encoding == "json without scope" else ["*"],
        "exp": now + 31536000,
    }
    assert len(claims["jti"]) == 80
    headers = {"Authorization": f"Bearer {body['access_token']}", "ClientId": CLIENT_ID}
    assert http.get("/eloomi/v3/users/1", headers=headers).status_code == 200


def test_client_id_as_a_json_number_and_basic_client_authentication(http):
    numeric = http.post("/eloomi/oauth/token", **_json({**CREDENTIALS, "client_id": 200}))
    assert numeric.status_code == 200
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    response = http.post(
        "/eloomi/oauth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 200


INVALID_CLIENT = {"error": "invalid_client", "message": "Client authentication failed"}
UNSUPPORTED = {
    "error": "unsupported_grant_type",
    "message": "The authorization grant type is not supported by the authorization server.",
    "hint": "Check the `grant_type` parameter",
}


@pytest.mark.parametrize(
    "body, expected",
    [
        ({**CREDENTIALS, "client_secret": "wrong"}, INVALID_CLIENT),
        ({**CREDENTIALS, "client_id": "201"}, INVALID_CLIENT),
        ({k: v for k, v in CREDENTIALS.items() if k != "client_secret"}, INVALID_CLIENT),
        ({**CREDENTIALS, "grant_type": "password", "username": "a", "password": "b"}, INVALID_CLIENT),
        (
            {**CREDENTIALS, "scope": "user"},
            {
                "error": "invalid_scope",
                "message": "The requested scope is invalid, unknown, or malformed",
                "hint": "Check the `user` scope",
            },
        ),
        (
            {**CREDENTIALS, "scope": "* admin"},
            {
                "error": "invalid_scope",
                "message": "The requested scope is invalid, unknown, or malformed",
                "hint": "Check the `admin` scope",
            },
        ),
        (
            {k: v for k, v in CREDENTIALS.items() if k != "client_id"},
            {"error": "invalid_request", "message": MISSING_PARAMETER, "hint": "Check the `client_id` parameter"},
        ),
        (
            {**CREDENTIALS, "grant_type": "refresh_token"},
            {"error": "invalid_request", "message": MISSING_PARAMETER, "hint": "Check the `refresh_token` parameter"},
        ),
        (
            {**CREDENTIALS, "grant_type": "authorization_code", "code": "abc"},
            {"error": "invalid_request", "message": MISSING_PARAMETER, "hint": "Cannot decrypt the authorization code"},
        ),
        ({**CREDENTIALS, "grant_type": "implicit"}, UNSUPPORTED),
        ({k: v for k, v in CREDENTIALS.items() if k != "grant_type"}, UNSUPPORTED),
        ({}, UNSUPPORTED),
    ],
)
def test_token_errors(http, body, expected):
    for response in (http.post("/eloomi/oauth/token", data=body), http.post("/eloomi/oauth/token", **_json(body))):
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/json"
        assert response.json() == expected


@pytest.mark.parametrize(
    "content, content_type",
    [
        (b'{"grant_type": ', "application/json"),  # not JSON
        (b'["client_credentials"]', "application/json"),  # not an object
        (json.dumps(CREDENTIALS).encode(), "text/plain"),  # PHP parses no such body
        (b"grant_type=client_credentials", "multipart/form-data"),  # no boundary
    ],
)
def test_unreadable_token_requests_have_no_grant_type(http, content, content_type):
    response = http.post("/eloomi/oauth/token", content=content, headers={"Content-Type": content_type})
    assert (response.status_code, response.json()) == (400, UNSUPPORTED)


def test_tokens_are_distinct_and_all_valid(http):
    first, second = Eloomi(http), Eloomi(http)
    assert first.token != second.token
    assert first.get("/v3/users/1").status_code == second.get("/v3/users/1").status_code == 200


# -- /v3 authentication --------------------------------------------------------------------------------


def _headers(case: str, token: str, http) -> dict[str, str]:
    if case == "no headers":
        return {}
    if case == "no Authorization":
        return {"ClientId": CLIENT_ID}
    if case == "no ClientId":
        return {"Authorization": f"Bearer {token}"}
    if case == "other tenant's token":
        return {"Authorization": f"Bearer {Eloomi(http, tenant='acme').token}", "ClientId": CLIENT_ID}
    authorization = {
        "not bearer": f"Basic {token}",
        "not a JWT": "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIm",
        "foreign JWT": "Bearer " + jwt.encode({"aud": CLIENT_ID, "jti": "x"}, "k" * 32),
    }.get(case, f"Bearer {token}")
    return {
        "Authorization": authorization,
        "ClientId": {"other ClientId": "201", "empty ClientId": ""}.get(case, CLIENT_ID),
    }


@pytest.mark.parametrize(
    "case",
    [
        "no headers",
        "no Authorization",
        "not bearer",
        "not a JWT",
        "foreign JWT",
        "no ClientId",
        "other ClientId",
        "empty ClientId",
        "other tenant's token",
    ],
)
def test_unauthenticated(http, eloomi, case):
    headers = _headers(case, eloomi.token, http)
    for method, path in [
        ("GET", "/v3/users"),
        ("POST", "/v3/users"),
        ("GET", "/v3/users/999999"),
        ("DELETE", "/v3/units/6"),
        ("PUT", "/v3/users-employee_id/E0002/teams/1"),
    ]:
        response = http.request(method, f"/eloomi{path}", headers=headers)
        assert response.status_code == 401, (method, path)
        assert response.headers["content-type"] == "application/json"
        assert response.json() == UNAUTHENTICATED
    assert eloomi.get("/v3/units/6").status_code == 200  # nothing was deleted


def test_token_expires_after_a_virtual_year(http, mocks):
    mocks.clock.freeze("2026-03-01T12:00:00+00:00")  # a whole second: the token's iat (Passport's, truncated)
    eloomi = Eloomi(http)
    mocks.clock.advance(31536000 - 1)
    assert eloomi.get("/v3/users/1").status_code == 200
    mocks.clock.advance(1)
    assert eloomi.get("/v3/users/1").json() == UNAUTHENTICATED


def test_revoked_token_through_the_admin_api(http, eloomi):
    assert http.request("DELETE", "/_mocks/tokens", json={"vendor": "eloomi", "token": eloomi.token}).status_code == 204
    assert eloomi.get("/v3/users/1").json() == UNAUTHENTICATED


def test_a_reset_platform_forgets_its_tokens(http, eloomi):
    """Tokens live in the platform, as in Passport's oauth_access_tokens table."""
    assert http.post("/_mocks/reset", params={"vendor": "eloomi"}).status_code == 200
    forgotten = eloomi.get("/v3/users/1")
    assert (forgotten.status_code, forgotten.json()) == (401, UNAUTHENTICATED)
    assert Eloomi(http).get("/v3/users/1").json()["data"]["id"] == 1


def test_client_id_check_can_be_switched_off(http, eloomi):
    response = http.patch("/_mocks/settings", json={"vendor": "eloomi", "settings": {"require_client_id": False}})
    assert response.status_code == 200
    headers = {"Authorization": f"Bearer {eloomi.token}"}
    assert http.get("/eloomi/v3/users/1", headers=headers).status_code == 200
    assert http.get("/eloomi/v3/users/1", headers={**headers, "ClientId": "whatever"}).status_code == 200
    assert http.get("/eloomi/v3/users/1", headers={"ClientId": CLIENT_ID}).status_code == 401


def test_admin_minted_token_carries_both_headers(http):
    minted = http.post("/_mocks/tokens", json={"vendor": "eloomi"})
    assert minted.status_code == 201
    body = minted.json()
    assert (body["token_type"], body["expires_in"], body["client_id"]) == ("Bearer", 31535999, CLIENT_ID)
    assert body["headers"] == {"Authorization": f"Bearer {body['access_token']}", "ClientId": CLIENT_ID}
    assert http.get("/eloomi/v3/users/1", headers=body["headers"]).status_code == 200
    for params in ({"client_id": "999"}, {"scope": "user"}, {"user_id": 1}):
        assert http.post("/_mocks/tokens", json={"vendor": "eloomi", **params}).status_code == 400


def test_credentials_are_listed(http):
    vendors = {v["name"]: v for v in http.get("/_mocks/vendors").json()}
    assert vendors["eloomi"]["credentials"] == [
        {
            "label": "the README's example API client (client_credentials, scope *)",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        }
    ]
