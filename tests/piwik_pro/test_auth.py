"""POST /auth/token and the bearer checks of every /api call.

Sources: PiwikPRO/PPMS-PublicDocs@cf31638 platform/getting_started.md (the token request, 30-minute tokens,
the FAQ's 401s "JWT not found" and "Expired JWT Token"); Piwik PRO's client piwik-pro-mcp 0.10.0 (github
PiwikPRO/mcp, src/piwik_pro_mcp/api/auth.py: form bodies, the `org` claim); lexik/LexikJWTAuthenticationBundle
Response/JWTAuthenticationFailureResponse.php (the 401 bodies). The token endpoint's errors are not documented:
RFC 6749 §5.2 bodies (inferred).
"""

from __future__ import annotations

import jwt
import pytest

from .conftest import OWNER, OWNER_ID, USER, USER_ID, Piwik

CREDENTIALS = {"grant_type": "client_credentials", **OWNER}


@pytest.mark.parametrize("encoding", ["json", "data"])
def test_token_from_json_and_form_bodies(http, mocks, encoding):
    mocks.clock.freeze()
    response = http.post("/piwik_pro/auth/token", **{encoding: CREDENTIALS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["token_type", "expires_in", "access_token"]
    assert body["token_type"] == "Bearer" and body["expires_in"] == 1800
    header = jwt.get_unverified_header(body["access_token"])
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert header["typ"] == "JWT"
    now = int(mocks.clock.time())
    assert claims == {
        "iss": "ppms",
        "aud": f"{mocks.url('piwik_pro')}",
        "sub": OWNER_ID,
        "org": "default",
        "iat": now,
        "exp": now + 1800,
    }


def test_token_subject_is_the_credentials_user(http):
    token = Piwik(http, USER).token
    assert jwt.decode(token, options={"verify_signature": False})["sub"] == USER_ID


@pytest.mark.parametrize(
    "body, status, expected",
    [
        (
            {**CREDENTIALS, "client_secret": "wrong"},
            401,
            {"error": "invalid_client", "error_description": "Client authentication failed"},
        ),
        (
            {**CREDENTIALS, "client_id": "nobody"},
            401,
            {"error": "invalid_client", "error_description": "Client authentication failed"},
        ),
        (
            {**CREDENTIALS, "grant_type": "password"},
            400,
            {
                "error": "unsupported_grant_type",
                "error_description": "The authorization grant type is not supported by the authorization server.",
            },
        ),
        (
            {"grant_type": "client_credentials", "client_id": OWNER["client_id"]},
            400,
            {
                "error": "invalid_request",
                "error_description": 'The request is missing the required parameter "client_secret".',
            },
        ),
        (
            {},
            400,
            {
                "error": "invalid_request",
                "error_description": 'The request is missing the required parameter "grant_type".',
            },
        ),
    ],
)
def test_token_errors(http, body, status, expected):
    response = http.post("/piwik_pro/auth/token", json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json() == expected


def test_token_endpoint_rejects_unparsable_bodies_in_oauth_format(http):
    response = http.post("/piwik_pro/auth/token", content=b"client_id", headers={"Content-Type": "text/plain"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_missing_token(http):
    response = http.get("/piwik_pro/api/users/v2")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"code": 401, "message": "JWT Token not found"}


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer not-a-jwt",
        "Bearer " + jwt.encode({"sub": OWNER_ID, "org": "default"}, "another-key-of-32-bytes-or-more!!"),
    ],
)
def test_invalid_token(http, authorization):
    response = http.get("/piwik_pro/api/users/v2", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.json() == {"code": 401, "message": "Invalid JWT Token"}


def test_basic_auth_is_no_jwt(http):
    response = http.get("/piwik_pro/api/users/v2", auth=("a", "b"))
    assert response.json() == {"code": 401, "message": "JWT Token not found"}


def test_token_expires_after_30_virtual_minutes(http, mocks):
    mocks.clock.freeze("2026-03-01T12:00:00+00:00")  # a whole second: the JWT's iat and exp are whole seconds
    owner = Piwik(http)
    assert owner.get("/api/users/v2/me").status_code == 200
    mocks.clock.advance(1799)
    assert owner.get("/api/users/v2/me").status_code == 200
    mocks.clock.advance(1)
    response = owner.get("/api/users/v2/me")
    assert response.status_code == 401
    assert response.json() == {"code": 401, "message": "Expired JWT Token"}


def test_token_of_a_deleted_user_stops_working(http, owner):
    member = Piwik(http, USER)
    assert owner.send("DELETE", f"/api/users/v2/{USER_ID}").status_code == 204
    assert member.get("/api/users/v2/me").json() == {"code": 401, "message": "Invalid JWT Token"}
    # ... and so do its credentials
    assert member.fetch_token(USER).status_code == 401


def test_revoked_token_through_the_admin_api(http, owner):
    response = http.request("DELETE", "/_mocks/tokens", json={"vendor": "piwik_pro", "token": owner.token})
    assert response.status_code == 204
    assert owner.get("/api/users/v2/me").json() == {"code": 401, "message": "Invalid JWT Token"}


def test_token_of_another_account_is_invalid_there(http):
    elsewhere = Piwik(http, OWNER, tenant="acme")
    claims = jwt.decode(elsewhere.token, options={"verify_signature": False})
    assert claims["org"] == "acme"
    # the account comes from the token: no header needed afterwards
    assert (
        http.get("/piwik_pro/api/users/v2/me", headers={"Authorization": f"Bearer {elsewhere.token}"}).status_code
        == 200
    )
    response = http.get(
        "/piwik_pro/api/users/v2/me", headers={"Authorization": f"Bearer {elsewhere.token}", "X-Mock-Tenant": "default"}
    )
    assert response.json() == {"code": 401, "message": "Invalid JWT Token"}


def test_account_host_selects_the_tenant(http):
    # https://acme.piwik.pro/... — virtual hosting maps the vendor's own hostname onto the mount
    response = http.post("/auth/token", json=CREDENTIALS, headers={"Host": "acme.piwik.pro"})
    assert response.status_code == 200
    claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
    assert claims["org"] == "acme" and claims["aud"] == "http://acme.piwik.pro"


def test_user_role_is_forbidden_on_admin_operations_but_not_on_me(http):
    member = Piwik(http, USER)
    forbidden = {"errors": [{"status": "403", "title": "Forbidden", "code": "error.default"}]}
    for method, path in [
        ("GET", "/api/users/v2"),
        ("GET", f"/api/users/v2/{OWNER_ID}"),
        ("DELETE", f"/api/users/v2/{OWNER_ID}"),
        ("GET", "/api/user-groups/v1"),
    ]:
        response = member.send(method, path)
        assert (response.status_code, response.json()) == (403, forbidden), (method, path)
    me = member.get("/api/users/v2/me")
    assert me.status_code == 200 and me.json()["data"]["id"] == USER_ID
