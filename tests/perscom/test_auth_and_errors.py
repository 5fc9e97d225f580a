"""Tenancy, keys and the exact v1 error bodies, in PERSCOM's order of checks (APP1 routes/api.php,
`app/Http/Kernel.php`, `TenancyServiceProvider`, `Handler::render`,
`tests/Feature/Central/Exceptions/ErrorApiTest.php`)."""

from __future__ import annotations

import jwt
import pytest

from .conftest import (
    FORBIDDEN,
    JANE,
    JOHN,
    ORG,
    OTHER_ORG,
    RECRUIT,
    TENANT_ERROR,
    UNAUTHENTICATED,
    Perscom,
    invalid,
    mint,
    not_found,
    well_known_key,
)

JSON = "application/json"


def _error(response, status: int, body: dict) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == JSON
    assert response.json() == body


# -- organisation --------------------------------------------------------------------------------------
@pytest.mark.parametrize("org", [None, "", "999", "acme"])
def test_missing_or_unknown_organisation(http, mocks, org):
    client = Perscom(http, mint(mocks), org)
    _error(client.get("/users"), 401, TENANT_ERROR)


def test_no_token_and_no_organisation_gives_the_organisation_error(http):
    _error(Perscom(http, None, None).get("/users"), 401, TENANT_ERROR)


def test_perscom_id_query_parameter(http, mocks):
    client = Perscom(http, mint(mocks), None)
    response = client.get("/users/1", perscom_id=ORG)
    assert response.status_code == 200 and response.json()["data"]["email"] == "john@example.com"


def test_header_wins_over_the_query_parameter(http, mocks):
    client = Perscom(http, mint(mocks), "999")
    _error(client.get("/users/1", perscom_id=ORG), 401, TENANT_ERROR)


def test_admin_api_makes_an_organisation_known(http, mocks):
    token = mint(mocks, org="4711")
    response = Perscom(http, token, "4711").get("/users")
    assert response.status_code == 200
    assert response.json()["meta"]["total"] == 40


# -- keys -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        "Bearer not-a-jwt",
        "Basic am9objpzZWNyZXQ=",
        "Bearer " + jwt.encode({"sub": "1", "scopes": ["*"]}, "wrong-key-wrong-key-wrong-key-wrong-key"),
    ],
)
def test_bad_tokens(http, authorization):
    headers = {"X-Perscom-Id": ORG}
    if authorization:
        headers["Authorization"] = authorization
    _error(http.get("/perscom/v1/users", headers=headers), 401, UNAUTHENTICATED)


def test_key_of_another_organisation(http, mocks):
    _error(Perscom(http, mint(mocks, org=OTHER_ORG), ORG).get("/users"), 401, UNAUTHENTICATED)


def test_key_expires_on_the_virtual_clock(http, mocks):
    client = Perscom(http, mint(mocks, lifetime_seconds=60))
    assert client.get("/me").status_code == 200
    mocks.clock.advance(61)
    _error(client.get("/me"), 401, UNAUTHENTICATED)


def test_revoked_key(http, mocks):
    client = Perscom(http, mint(mocks))
    assert (
        http.request(
            "DELETE", "/_mocks/tokens", json={"vendor": "perscom", "tenant": ORG, "token": client.token}
        ).status_code
        == 204
    )
    _error(client.get("/me"), 401, UNAUTHENTICATED)


def test_key_of_a_deleted_user(http, mocks, admin):
    member = Perscom(http, mint(mocks, ["view:user"], user_id=JANE))
    assert admin.delete(f"/users/{JANE}").status_code == 200
    _error(member.get("/me"), 401, UNAUTHENTICATED)


def test_key_claims_are_passports(mocks):
    token = mint(mocks, ["view:user"], user_id=JANE)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert list(claims) == ["aud", "jti", "iat", "nbf", "exp", "sub", "scopes"]
    assert claims["sub"] == str(JANE) and claims["scopes"] == ["view:user"] and len(claims["jti"]) == 80
    assert claims["exp"] - claims["iat"] == 365 * 86400


def test_well_known_keys_work(http):
    admin = Perscom(http, well_known_key("admin key"))
    assert admin.get("/users", limit=1).json()["meta"]["total"] == 40
    reader = Perscom(http, well_known_key("read-only"))
    assert reader.get("/ranks").status_code == 200
    _error(reader.post("/ranks", {"name": "General"}), 403, FORBIDDEN)
    other = Perscom(http, well_known_key("admin key", OTHER_ORG), OTHER_ORG)
    assert other.get("/me").json()["data"][0]["id"] == JOHN


def test_sso_token_signed_with_the_organisations_key(http, mocks):
    secret = "perscom-mock-sso-key-organization-1"
    token = jwt.encode({"sub": str(JANE), "scope": ["view:user"], "iat": int(mocks.clock.time())}, secret)
    client = Perscom(http, token)
    assert client.get("/users/1").status_code == 200
    _error(client.get("/ranks"), 403, FORBIDDEN)
    _error(
        Perscom(http, jwt.encode({"sub": str(JANE), "scope": ["*"]}, "not-the-key-not-the-key-not-the-key-0")).get(
            "/me"
        ),
        401,
        UNAUTHENTICATED,
    )


def test_sso_key_is_settable_through_the_admin_api(http, mocks):
    response = http.patch(
        "/_mocks/settings",
        json={
            "vendor": "perscom",
            "tenant": ORG,
            "settings": {"single_sign_on_key": "rotated-sso-key-rotated-sso-key-rotated"},
        },
    )
    assert (
        response.status_code == 200
        and response.json()["settings"]["single_sign_on_key"] == "rotated-sso-key-rotated-sso-key-rotated"
    )
    assert (
        Perscom(http, jwt.encode({"sub": "1", "scope": "*"}, "rotated-sso-key-rotated-sso-key-rotated"))
        .get("/me")
        .status_code
        == 200
    )
    minted = http.post(
        "/_mocks/tokens", json={"vendor": "perscom", "tenant": ORG, "kind": "sso", "scopes": ["view:user"]}
    ).json()
    assert jwt.decode(minted["access_token"], "rotated-sso-key-rotated-sso-key-rotated", algorithms=["HS256"])[
        "scope"
    ] == ["view:user"]
    assert http.get("/perscom/v1/me", headers=minted["headers"]).status_code == 200


def test_sso_token_with_a_numeric_sub(http):
    """An organisation's own signer may write `sub` as a number; PHP's JWT libraries take it (finding 10)."""
    secret = "perscom-mock-sso-key-organization-1"
    client = Perscom(http, jwt.encode({"sub": JANE, "scope": ["view:user"]}, secret))
    assert client.get("/me").json()["data"][0]["id"] == JANE
    assert client.get(f"/users/{JANE}").status_code == 200
    _error(client.get("/ranks"), 403, FORBIDDEN)
    for sub in (True, 2.5, "x", None, [JANE]):
        _error(Perscom(http, jwt.encode({"sub": sub, "scope": ["*"]}, secret)).get("/me"), 401, UNAUTHENTICATED)


def test_sso_token_is_refused_before_its_nbf_on_the_virtual_clock(http, mocks):
    secret = "perscom-mock-sso-key-organization-1"
    mocks.clock.freeze()
    now = int(mocks.clock.time())
    early = Perscom(http, jwt.encode({"sub": "1", "scope": ["*"], "nbf": now + 60, "exp": now + 3600}, secret))
    _error(early.get("/me"), 401, UNAUTHENTICATED)
    mocks.clock.advance(59)
    _error(early.get("/me"), 401, UNAUTHENTICATED)
    mocks.clock.advance(1)
    assert early.get("/me").status_code == 200  # nbf <= now
    mocks.clock.advance(3540)
    _error(early.get("/me"), 401, UNAUTHENTICATED)  # exp: one hour later
    _error(
        Perscom(http, jwt.encode({"sub": "1", "scope": ["*"], "nbf": "soon"}, secret)).get("/me"), 401, UNAUTHENTICATED
    )


def test_api_key_is_refused_before_its_nbf(http, mocks):
    """Passport (lcobucci/jwt) checks nbf too: a key minted now is not valid on a clock moved back."""
    mocks.clock.freeze()
    client = Perscom(http, mint(mocks))
    assert client.get("/me").status_code == 200
    mocks.clock.advance(-60)
    _error(client.get("/me"), 401, UNAUTHENTICATED)
    mocks.clock.advance(60)
    assert client.get("/me").status_code == 200


# -- subscription and approval (switchable per organisation) -------------------------------------------------
def _settings(http, **settings):
    response = http.patch("/_mocks/settings", json={"vendor": "perscom", "tenant": ORG, "settings": settings})
    assert response.status_code == 200, response.text


def test_no_subscription_is_402(http, admin):
    _settings(http, subscribed=False)
    _error(
        admin.get("/users"),
        402,
        {"error": {"message": "A valid subscription is required to make an API request.", "type": "HttpException"}},
    )


def test_awaiting_approval_is_401(http, api):
    recruit = api(["*"], user_id=RECRUIT)
    assert recruit.get("/me").status_code == 200  # approval not required by default
    _settings(http, admin_approval_required=True)
    _error(
        recruit.get("/me"),
        401,
        {
            "error": {
                "message": "Your account is awaiting approval by an administrator. Please try again later.",
                "type": "HttpException",
            }
        },
    )
    assert api(["*"]).get("/me").status_code == 200  # approved users are unaffected


def test_check_order(http, api):
    """org → token → subscription → approval → scope → validation → lookup."""
    _settings(http, subscribed=False, admin_approval_required=True)
    no_scope_recruit = api([], user_id=RECRUIT)
    assert no_scope_recruit.post("/ranks", {}).status_code == 402
    _settings(http, subscribed=True)
    assert no_scope_recruit.post("/ranks", {}).status_code == 401
    _settings(http, admin_approval_required=False)
    assert no_scope_recruit.post("/ranks", {}).status_code == 403
    assert no_scope_recruit.get("/ranks/999").status_code == 403  # scope before lookup
    creator = api(["create:rank", "update:rank"])
    assert creator.post("/ranks", {}).status_code == 422
    assert creator.patch("/ranks/999", {"name": 5}).status_code == 422  # validation before lookup
    assert creator.patch("/ranks/999", {"name": "x"}).status_code == 404


def test_settings_are_validated(http):
    response = http.patch(
        "/_mocks/settings", json={"vendor": "perscom", "tenant": ORG, "settings": {"subscribed": "no"}}
    )
    assert response.status_code == 400


# -- the other documented errors ------------------------------------------------------------------------------
def test_missing_scope(api):
    _error(api(["view:rank"]).get("/users"), 403, FORBIDDEN)


@pytest.mark.parametrize(
    "path, model",
    [
        ("/users/999", "User"),
        ("/ranks/abc", "Rank"),
        ("/rank-records/0", "RankRecord"),
        ("/users/999/rank-records", "User"),
        ("/users/1/award-records/999999", "AwardRecord"),
    ],
)
def test_unknown_id(admin, path, model):
    _error(admin.get(path), 404, not_found(model))


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_unknown_endpoint_needs_no_auth(http, method):
    response = http.request(method, "/perscom/v1/rosters")
    assert response.status_code == 404
    if method == "GET":
        assert response.json() == {
            "error": {
                "message": "The requested API endpoint could not be found or you do not have access to it.",
                "type": "NotFoundHttpException",
            }
        }


def test_other_methods_on_unknown_endpoints_meet_the_get_only_fallback(http):
    _error(
        http.post("/perscom/v1/roster"),
        405,
        {
            "error": {
                "message": "The POST method is not supported for route v1/roster. Supported methods: GET, HEAD.",
                "type": "MethodNotAllowedHttpException",
            }
        },
    )


def test_wrong_method_on_a_known_endpoint(admin):
    response = admin.delete("/users")
    _error(
        response,
        405,
        {
            "error": {
                "message": "The DELETE method is not supported for route v1/users. Supported methods: GET, HEAD, POST.",
                "type": "MethodNotAllowedHttpException",
            }
        },
    )


@pytest.mark.parametrize(
    "path, allow",
    [
        ("/perscom/v1/users", "GET,HEAD,POST"),
        ("/perscom/v1/users/1", "GET,HEAD,PUT,PATCH,DELETE"),
        ("/perscom/v1/users/search", "GET,HEAD,POST,PUT,PATCH,DELETE"),  # users/{user} matches "search" too
        ("/perscom/v1/users/1/rank", "GET,HEAD,PUT,PATCH,DELETE"),
        ("/perscom/v1/users/1/tasks/attach", "GET,HEAD,POST,PUT,PATCH,DELETE"),
        ("/perscom/v1/spec.yaml", "GET,HEAD"),
        ("/perscom/v1/nothing-here", "GET,HEAD"),  # the GET-only fallback route
    ],
)
def test_options_is_answered_by_laravels_router(http, mocks, path, allow):
    """RouteCollection::getRouteForMethods: 200, empty body, `Allow` of the other verbs; no middleware, so no
    organisation, key or throttle (finding 11)."""
    mocks.limit("perscom", "guest", 1)
    mocks.limit("perscom", "api", 1)
    for _ in range(3):
        response = http.options(path)
        assert response.status_code == 200 and response.content == b""
        assert response.headers["allow"] == allow
        assert response.headers["content-type"] == "text/html; charset=UTF-8"
        assert "x-ratelimit-limit" not in response.headers


def test_validation_summary(admin):
    _error(admin.post("/users", {}), 422, invalid("The name field is required. (and 1 more error)"))
    _error(
        admin.post("/users", {"name": "A", "email": "not-an-email"}),
        422,
        invalid("The email field must be a valid email address."),
    )
    _error(
        admin.post("/users", {"name": "A", "email": "JOHN@example.com"}),
        422,
        invalid("The email has already been taken."),
    )
    _error(
        admin.post("/rank-records", {"user_id": 999, "rank_id": "x"}),
        422,
        invalid("The selected user id is invalid. (and 3 more errors)"),
    )
    _error(
        admin.post("/rank-records", {"user_id": 1, "rank_id": 2, "type": 7}),
        422,
        invalid("The selected type is invalid."),
    )
    _error(
        admin.post("/statuses", {"name": "X", "text_color": "red", "bg_color": "#ffffff"}),
        422,
        invalid("The text color field must be a valid hexadecimal color."),
    )
    _error(
        admin.post("/announcements", {"title": "t", "content": "c", "color": "pink"}),
        422,
        invalid("The selected color is invalid."),
    )
    _error(
        admin.post(
            "/events", {"calendar_id": 1, "name": "E", "start": "2024-05-02", "end": "2024-05-01", "all_day": "yes"}
        ),
        422,
        invalid("The all day field must be true or false. (and 1 more error)"),
    )


def test_bodies_laravel_cannot_read_are_empty_input(admin):
    for content, content_type in ((b"not json", JSON), (b"[1, 2]", JSON), (b"name=x", "text/plain")):
        response = admin.post("/ranks", headers={"Content-Type": content_type}, content=content)
        _error(response, 422, invalid("The name field is required."))
    response = admin.patch("/ranks/1", headers={"Content-Type": JSON}, content=b"[]")
    assert response.status_code == 200 and response.json()["data"]["name"] == "Private"


def test_form_bodies_are_accepted(admin):
    response = admin.post("/ranks", data={"name": "General", "order": "30"})
    assert response.status_code == 201
    assert (response.json()["data"]["name"], response.json()["data"]["order"]) == ("General", 30)


def test_rate_limit(admin, mocks):
    mocks.limit("perscom", "api", 2)
    first = admin.get("/me")
    assert (first.headers["x-ratelimit-limit"], first.headers["x-ratelimit-remaining"]) == ("2", "1")
    assert admin.get("/me").headers["x-ratelimit-remaining"] == "0"
    limited = admin.get("/me")
    _error(limited, 429, {"error": {"message": "Too Many Attempts.", "type": "ThrottleRequestsException"}})
    assert "retry-after" not in limited.headers and "x-ratelimit-limit" not in limited.headers
    mocks.clock.advance(60)
    assert admin.get("/me").status_code == 200


def test_rate_limit_is_per_user(api, mocks):
    mocks.limit("perscom", "api", 1)
    john, jane = api(["*"]), api(["*"], user_id=JANE)
    assert john.get("/me").status_code == 200 and john.get("/me").status_code == 429
    assert jane.get("/me").status_code == 200
    assert api(["*"]).get("/me").status_code == 429  # another key of the same user shares the budget


def test_unauthenticated_routes_are_limited_per_ip(http, mocks):
    mocks.limit("perscom", "guest", 1)
    assert http.get("/perscom/v1/spec.yaml").headers["x-ratelimit-limit"] == "1"
    assert http.get("/perscom/v1/nothing-here").status_code == 429


def test_failed_auth_is_not_counted(http, mocks, admin):
    mocks.limit("perscom", "api", 1)
    for _ in range(3):
        response = http.get("/perscom/v1/me", headers={"X-Perscom-Id": ORG})
        assert response.status_code == 401 and "x-ratelimit-limit" not in response.headers
    assert admin.get("/me").status_code == 200
