"""The gateway in front of every operation: the raw token, API Gateway's three auth answers, the README's
403 for non-administrators, the authorizer's 300 s cache, tokens minted through the admin API."""

from __future__ import annotations

import re

import httpx
import pytest

from mocks.core.app import Suite
from mocks.core.paths import data_dir
from mocks.core.specs import load_yaml
from mocks.tasq import Tasq as TasqVendor
from mocks.testing import MockServer

from .conftest import (
    ADMIN_TOKEN,
    EXPLICIT_DENY,
    JOHN,
    MISSING_AUTHENTICATION_TOKEN,
    OPERATIONS,
    README_USER,
    UNAUTHORIZED,
    USER_TOKEN,
    Tasq,
    gateway_error,
    ok,
)

IDS = [f"{m} {p}" for m, p, _ in OPERATIONS]


def test_the_auth_tests_cover_every_operation_of_the_spec():
    spec = load_yaml((data_dir("specs") / "tasq.yaml").read_text())
    templates = {
        (method.upper(), re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(path)) + "$"))
        for path, item in spec["paths"].items()
        for method in item
    }
    assert len(templates) == len(OPERATIONS) == 15
    for method, pattern in templates:
        assert [p for m, p, _ in OPERATIONS if m == method and pattern.match(p)], (method, pattern.pattern)


@pytest.mark.parametrize("method, path, body", OPERATIONS, ids=IDS)
def test_every_operation_works_with_the_raw_token(tasq, method, path, body):
    ok(tasq.request(method, path, body))


@pytest.mark.parametrize("method, path, body", OPERATIONS, ids=IDS)
def test_missing_header_is_the_gateways_401(http, method, path, body):
    assert gateway_error(Tasq(http, token=None).request(method, path, body)) == UNAUTHORIZED


def test_empty_header_is_the_gateways_401(http):
    assert gateway_error(Tasq(http, token="").get(f"/profile/{README_USER}")) == UNAUTHORIZED


@pytest.mark.parametrize(
    "authorization",
    [
        f"Bearer {ADMIN_TOKEN}",  # the authorizer compares the whole header value
        f"token {ADMIN_TOKEN}",  # its prefix-stripping line is commented out
        ADMIN_TOKEN.upper(),  # tokens are lowercase hex, compared as sent
        ADMIN_TOKEN[:-1],
        "not-a-token",
    ],
)
def test_unknown_token_is_the_authorizers_explicit_deny(http, authorization):
    assert gateway_error(Tasq(http, token=authorization).get(f"/profile/{README_USER}")) == EXPLICIT_DENY


@pytest.mark.parametrize("method, path, body", OPERATIONS, ids=IDS)
def test_non_administrator_gets_403_everywhere(http, method, path, body):
    assert gateway_error(Tasq(http, token=USER_TOKEN).request(method, path, body)) == EXPLICIT_DENY


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/nothing-here"),
        ("GET", "/profile"),  # routed by the gateway in 2020, not documented: not served
        ("POST", "/profile"),  # a method the resource does not have
        ("DELETE", "/users/tasq@tasqinc.com"),
        ("PUT", "/tickets"),
        ("PATCH", "/tasqs"),
        ("OPTIONS", "/users"),  # no CORS configured: OPTIONS is an undefined method too
        ("GET", "/workflows"),  # gateway resources outside the scope
        ("GET", "/"),
    ],
)
@pytest.mark.parametrize("token", [ADMIN_TOKEN, None], ids=["with token", "without token"])
def test_unknown_route_or_method_is_missing_authentication_token(http, method, path, token):
    response = Tasq(http, token=token).request(method, path)
    assert gateway_error(response) == MISSING_AUTHENTICATION_TOKEN
    assert "allow" not in response.headers


@pytest.mark.parametrize("token", [ADMIN_TOKEN, None], ids=["with token", "without token"])
def test_head_is_not_a_method_of_the_api(http, token):
    response = Tasq(http, token=token).request("HEAD", f"/profile/{README_USER}")
    assert (response.status_code, response.headers["x-amzn-errortype"], response.content) == (
        403,
        "MissingAuthenticationTokenException",
        b"",
    )  # HEAD answers carry no body


def test_outside_the_v1_stage_too(http):
    response = http.get("/tasq/v2/profile/tasq@tasqinc.com", headers={"authorization": ADMIN_TOKEN})
    assert gateway_error(response) == MISSING_AUTHENTICATION_TOKEN


def test_real_hostname_through_virtual_hosting(http):
    response = http.get(f"/v1/profile/{README_USER}", headers={"Host": "api.tasqinc.com", "authorization": ADMIN_TOKEN})
    assert ok(response)["username"] == README_USER
    unknown = http.get("/v1/nowhere", headers={"Host": "api.tasqinc.com"})
    assert gateway_error(unknown) == MISSING_AUTHENTICATION_TOKEN


# -- tokens minted through the admin API ------------------------------------------------------------------
def mint(http, **params) -> dict:
    response = http.post("/_mocks/tokens", json={"vendor": "tasq", **params})
    assert response.status_code == 201, response.text
    return response.json()


def test_minted_token_has_the_generators_fields(http, mocks):
    mocks.clock.freeze()
    minted = mint(http, name="CI")
    assert set(minted) == {
        "vendor",
        "tenant",
        "TokenID",
        "time",
        "Username",
        "AccessToken",
        "TokenName",
        "Operator",
        "admin",
        "headers",
    }
    token = minted["AccessToken"]
    assert len(token) == 80 and all(c in "0123456789abcdef" for c in token)
    assert (minted["Username"], minted["TokenName"], minted["Operator"], minted["admin"]) == (
        README_USER,
        "CI",
        "tasq",
        True,
    )
    assert minted["headers"] == {"authorization": token}
    assert minted["time"] == mocks.clock.now().strftime("%Y-%m-%d %H:%M:%S")
    assert ok(Tasq(http, token=token).get("/users"))


def test_minted_non_administrator_token_gets_403(http):
    token = mint(http, username=JOHN, admin=False)["AccessToken"]
    assert gateway_error(Tasq(http, token=token).get("/users")) == EXPLICIT_DENY


@pytest.mark.parametrize(
    "params, error",
    [
        ({"username": "nobody@tasqinc.com"}, "no user 'nobody@tasqinc.com' in operator 'tasq'"),
        ({"admin": "yes"}, "'admin' must be true or false"),
        ({"scopes": ["x"]}, "unknown parameters ['scopes']; tasq takes username, admin, name"),
    ],
)
def test_mint_rejects_bad_parameters(http, params, error):
    response = http.post("/_mocks/tokens", json={"vendor": "tasq", **params})
    assert (response.status_code, response.json()) == (400, {"error": error})


def test_a_minted_token_finds_its_operator_without_any_header(http):
    token = mint(http, tenant="acme")["AccessToken"]
    acme = Tasq(http, token=token)
    created = acme.post("/users", {"email": "only.at.acme@acme.example"})
    assert ok(created)["Username"] == "only.at.acme@acme.example"
    assert ok(acme.get("/users/only.at.acme@acme.example"))["username"] == "only.at.acme@acme.example"
    # the default operator has no such user, and does not know acme's token
    assert Tasq(http).get("/users/only.at.acme@acme.example").status_code == 404
    assert gateway_error(Tasq(http, token=token, tenant="tasq").get("/users")) == EXPLICIT_DENY


def test_a_minted_token_reaches_its_operator_after_a_snapshot_round_trip(http):
    token = mint(http, tenant="acme")["AccessToken"]
    acme = Tasq(http, token=token)
    ok(acme.post("/users", {"email": "kept@acme.example"}))
    snapshot = http.get("/_mocks/snapshot").json()
    assert http.post("/_mocks/reset").status_code == 200
    assert gateway_error(acme.get("/users/kept@acme.example")) == EXPLICIT_DENY  # acme re-seeded: no such token
    assert http.put("/_mocks/snapshot", json=snapshot).status_code == 200
    assert ok(acme.get("/users/kept@acme.example"))["username"] == "kept@acme.example"
    # the well-known token still routes to the default operator, which has no such user
    assert Tasq(http).get("/users/kept@acme.example").status_code == 404


def test_a_minted_token_reaches_its_operator_after_a_restart(http):
    """A restart loses the process memory that routes minted tokens: a new suite with a new vendor object
    that loads the snapshot must learn them from the restored worlds."""
    token = mint(http, tenant="acme")["AccessToken"]
    ok(Tasq(http, token=token).post("/users", {"email": "kept@acme.example"}))
    snapshot = http.get("/_mocks/snapshot").json()
    with MockServer(Suite([TasqVendor()])) as restarted, httpx.Client(base_url=restarted.url) as client:
        acme = Tasq(client, token=token)
        assert gateway_error(acme.get("/users")) == EXPLICIT_DENY  # not known before the snapshot is loaded
        assert client.put("/_mocks/snapshot", json=snapshot).status_code == 200
        assert ok(acme.get("/users/kept@acme.example"))["username"] == "kept@acme.example"
        assert ok(Tasq(client).get(f"/profile/{README_USER}"))["username"] == README_USER
        assert Tasq(client).get("/users/kept@acme.example").status_code == 404


def test_operators_are_isolated_by_x_mock_tenant(http):
    Tasq(http, tenant="acme").put("/profile", {"username": README_USER, "PhoneNumber": "+13035550111"})
    assert ok(Tasq(http, tenant="acme").get(f"/profile/{README_USER}"))["user_phone_number"] == "+13035550111"
    assert ok(Tasq(http).get(f"/profile/{README_USER}"))["user_phone_number"] == "+13035555555"


# -- the authorizer's cache (AuthorizerResultTtlInSeconds: 300) ---------------------------------------------
def revoke(http, token: str) -> None:
    assert http.request("DELETE", "/_mocks/tokens", json={"vendor": "tasq", "token": token}).status_code == 204


def test_a_revoked_token_works_until_the_cached_allow_expires(http, mocks):
    mocks.clock.freeze()
    token = mint(http)["AccessToken"]
    client = Tasq(http, token=token)
    ok(client.get("/users"))  # Allow cached for 300 s
    revoke(http, token)
    mocks.clock.advance(299)
    ok(client.get("/users"))
    mocks.clock.advance(1)
    assert gateway_error(client.get("/users")) == EXPLICIT_DENY


def test_a_token_never_used_is_denied_at_once_after_revocation(http, mocks):
    token = mint(http)["AccessToken"]
    revoke(http, token)
    assert gateway_error(Tasq(http, token=token).get("/users")) == EXPLICIT_DENY


def test_without_the_cache_revocation_is_immediate(http, mocks):
    response = http.patch("/_mocks/settings", json={"vendor": "tasq", "settings": {"authorizer_cache_seconds": 0}})
    assert response.json()["settings"] == {"authorizer_cache_seconds": 0}
    token = mint(http)["AccessToken"]
    client = Tasq(http, token=token)
    ok(client.get("/users"))
    revoke(http, token)
    assert gateway_error(client.get("/users")) == EXPLICIT_DENY


def test_cached_decisions_are_bounded(mocks, tasq):
    from mocks.tasq import auth

    world = mocks.world("tasq")
    for n in range(1500):
        assert auth.authorize(world, f"{n:080x}", ttl=300) is None
    assert len(world["authorizer_cache"]) <= 1000
    assert auth.authorize(world, ADMIN_TOKEN, ttl=300)["operator"] == "tasq"
    ok(tasq.get("/users"))


def test_the_well_known_credentials_are_listed(http):
    tasq = next(v for v in http.get("/_mocks/vendors").json() if v["name"] == "tasq")
    assert tasq["credentials"] == [
        {"label": "administrator (tasq@tasqinc.com)", "authorization": ADMIN_TOKEN},
        {"label": "not an administrator (john@tasqinc.com; 403 everywhere)", "authorization": USER_TOKEN},
    ]
    assert tasq["apis"][0]["base_url"].endswith("/tasq/v1")
