"""POST /v1/auth, the stable token, the Authorization response header, rotation, scopes (personio-auth-api.yaml;
https://developer.personio.de/reference/auth)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from .conftest import CLIENT_ID, CLIENT_SECRET, READONLY_ID, READONLY_SECRET, V1, PersonioV1, v1_error

CREDENTIALS = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
SCOPE = (
    "employees:read employees:write attendances:read attendances:write absences:read absences:write "
    "documents:read documents:write reports.custom:read"
)


@pytest.mark.parametrize("how", ["json", "data", "params"])
def test_credentials_in_json_form_and_query_string(http, mocks, how):
    mocks.clock.freeze()
    response = http.post(f"{V1}/auth", **{how: CREDENTIALS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["success", "data"] and body["success"] is True
    assert list(body["data"]) == ["token", "expires_in", "scope"]
    assert body["data"]["token"].startswith("papi-") and len(body["data"]["token"]) == 5 + 86
    assert body["data"]["expires_in"] == 86400
    assert body["data"]["scope"] == SCOPE
    assert "authorization" not in response.headers


def test_same_token_for_24_virtual_hours_then_a_new_one(http, mocks):
    mocks.clock.freeze()
    first = http.post(f"{V1}/auth", json=CREDENTIALS).json()["data"]
    mocks.clock.advance(10 * 3600)
    again = http.post(f"{V1}/auth", data=CREDENTIALS).json()["data"]
    assert again["token"] == first["token"]
    assert again["expires_in"] == 86400 - 10 * 3600
    mocks.clock.advance(14 * 3600)
    fresh = http.post(f"{V1}/auth", json=CREDENTIALS).json()["data"]
    assert fresh["token"] != first["token"] and fresh["expires_in"] == 86400


def test_tokens_live_24_hours_then_are_not_valid(http, mocks):
    mocks.clock.freeze()
    client = PersonioV1(http)
    assert client.get("/company/employees/1").status_code == 200
    mocks.clock.advance(86400)
    expired = client.get("/company/employees/1")
    assert expired.status_code == 403
    assert expired.json() == {
        "success": False,
        "error": {"message": "Provided authorization is not valid", "code": 403},
    }


@pytest.mark.parametrize(
    "body",
    [
        {"client_id": CLIENT_ID, "client_secret": "wrong"},
        {"client_id": "papi-unknown", "client_secret": CLIENT_SECRET},
        {"client_id": CLIENT_ID},
        {},
    ],
)
def test_wrong_credentials(http, body):
    response = http.post(f"{V1}/auth", json=body)
    assert response.status_code == 403
    assert response.json() == {"success": False, "error": {"code": 0, "message": "Wrong credentials"}}


@pytest.mark.parametrize(
    "credentials, created_late, removal",
    [
        ({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}, False, datetime(2027, 1, 4, tzinfo=UTC)),
        ({"client_id": READONLY_ID, "client_secret": READONLY_SECRET}, True, datetime(2026, 12, 4, tzinfo=UTC)),
    ],
)
def test_query_string_credentials_stop_working_on_their_removal_date(http, mocks, credentials, created_late, removal):
    mocks.clock.freeze(datetime(2026, 12, 3, 23, 59, tzinfo=UTC))
    assert http.post(f"{V1}/auth", params=credentials).status_code == 200
    mocks.clock.set(removal)
    refused = http.post(f"{V1}/auth", params=credentials)
    assert refused.status_code == 403
    assert refused.json() == {"success": False, "error": {"code": 403, "message": "Forbidden"}}
    assert http.post(f"{V1}/auth", json=credentials).status_code == 200  # the body still works
    if not created_late:  # older credentials had until 2027-01-04; the day before they still worked
        mocks.clock.set(datetime(2027, 1, 3, tzinfo=UTC))
        assert http.post(f"{V1}/auth", params=credentials).status_code == 200


def test_auth_rate_limit_60_per_minute_then_a_60_second_cool_down(http, mocks):
    mocks.clock.freeze()
    assert all(http.post(f"{V1}/auth", json=CREDENTIALS).status_code == 200 for _ in range(60))
    limited = http.post(f"{V1}/auth", json=CREDENTIALS)
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "60"
    assert limited.json() == {"success": False, "error": {"code": 429, "message": "Too Many Requests"}}
    mocks.clock.advance(59)
    assert http.post(f"{V1}/auth", json=CREDENTIALS).status_code == 429
    mocks.clock.advance(1)
    assert http.post(f"{V1}/auth", json=CREDENTIALS).status_code == 200


def test_missing_and_invalid_tokens(http):
    missing = http.get(f"{V1}/company/employees")
    assert missing.status_code == 401
    assert missing.json() == {"success": False, "error": {"message": "Authorization is not provided", "code": 401}}
    for header in ("Bearer papi-nope", "Basic YTpi", "papi-no-scheme"):
        response = http.get(f"{V1}/company/employees", headers={"Authorization": header})
        expected = (
            (403, "Provided authorization is not valid")
            if header.startswith("Bearer")
            else (401, "Authorization is not provided")
        )
        assert (response.status_code, v1_error(response)["message"]) == expected


# -- the Authorization response header --------------------------------------------------------------
ECHOED = [
    ("GET", "/company/employees", {}),
    ("GET", "/company/employees/1", {}),
    ("GET", "/company/employees/attributes", {}),
    ("GET", "/company/time-off-types", {}),
    ("GET", "/company/time-offs", {}),
    ("GET", "/company/absence-periods", {}),
    ("GET", "/company/document-categories", {}),
    ("GET", "/company/custom-reports/reports", {}),
    ("GET", "/company/attendances", {"start_date": "2026-01-01", "end_date": "2026-12-31"}),
]
NOT_ECHOED = [("GET", "/company/attendances/projects", {}), ("GET", "/company/employees/1/profile-picture/32", {})]


@pytest.mark.parametrize("method, path, params", ECHOED)
def test_successful_answers_carry_the_stable_token(v1, method, path, params):
    token = v1.token
    response = v1.request(method, path, params=params)
    assert response.status_code == 200
    assert response.headers["authorization"] == f"Bearer {token}"


@pytest.mark.parametrize("method, path, params", NOT_ECHOED)
def test_attendance_writes_projects_and_pictures_return_no_token(v1, method, path, params):
    response = v1.request(method, path, params=params)
    assert response.status_code == 200
    assert "authorization" not in response.headers


def test_errors_carry_no_token(v1):
    response = v1.get("/company/employees/999999")
    assert response.status_code == 404 and "authorization" not in response.headers


def test_rotation_gives_a_new_token_per_answer_and_blacklists_the_used_one(http, v1):
    assert http.patch("/_mocks/settings", json={"vendor": "personio", "settings": {"rotate": True}}).status_code == 200
    used = v1.token
    first = v1.get("/company/employees/1")
    assert first.status_code == 200
    assert first.headers["authorization"] != f"Bearer {used}"
    replay = http.get(f"{V1}/company/employees/1", headers={"Authorization": f"Bearer {used}"})
    assert replay.status_code == 401
    assert replay.json() == {"success": False, "error": {"message": "The token has been blacklisted", "code": 401}}
    # a client that follows the header (personio-py) keeps working
    assert [v1.get("/company/employees/2").status_code for _ in range(3)] == [200, 200, 200]
    # endpoints that return no token do not spend it
    kept = v1.token
    assert v1.get("/company/attendances/projects").status_code == 200
    assert v1.token == kept and v1.get("/company/employees/1").status_code == 200


def test_revoked_tokens_through_the_admin_api_are_blacklisted(http, v1):
    assert http.request("DELETE", "/_mocks/tokens", json={"vendor": "personio", "token": v1.token}).status_code == 204
    assert v1_error(v1.get("/company/employees"))["message"] == "The token has been blacklisted"


def test_a_credential_without_the_right_gets_forbidden(http):
    readonly = PersonioV1(http, READONLY_ID, READONLY_SECRET)
    assert readonly.get("/company/employees").status_code == 200
    for method, path in [
        ("GET", "/company/time-offs"),
        ("GET", "/company/attendances/projects"),
        ("POST", "/company/employees"),
    ]:
        response = readonly.request(method, path, json={"employee": {}} if method == "POST" else None)
        assert response.status_code == 403
        assert response.json() == {
            "success": False,
            "error": {"message": "personio.core.api.exceptions.api.forbidden.http.exception", "code": 0},
        }


def test_tokens_of_another_company_route_to_it_without_the_tenant_header(http):
    acme = PersonioV1(http, headers={"X-Mock-Tenant": "acme"})
    assert "." in acme.token
    default = PersonioV1(http)
    created = acme.request(
        "POST",
        "/company/employees",
        json={"employee": {"email": "only.at.acme@example.org", "first_name": "Only", "last_name": "Acme"}},
    )
    assert created.status_code == 200
    plain = {"Authorization": f"Bearer {acme.token}"}
    found = http.get(f"{V1}/company/employees", params={"email": "only.at.acme@example.org"}, headers=plain)
    assert found.json()["metadata"]["total_elements"] == 1
    assert default.get("/company/employees", email="only.at.acme@example.org").json()["metadata"]["total_elements"] == 0
    assert (
        http.get(
            f"{V1}/company/employees/1", headers={"Authorization": f"Bearer {default.token}", "X-Mock-Tenant": "acme"}
        ).status_code
        == 403
    )


# -- rate limits: per API client, so neither rotation nor a new token resets them --------------------------
# https://developer.personio.de/changelog/rate-limits-on-get-employees-endpoint-may-6-2024,
# https://developer.personio.de/changelog/ip-address-based-rate-limiting-v1-endpoints
TOO_MANY = {"success": False, "error": {"code": 429, "message": "Too Many Requests"}}


def test_employee_list_burst_and_minute_limits_follow_the_client_through_rotation(http, mocks):
    assert http.patch("/_mocks/settings", json={"vendor": "personio", "settings": {"rotate": True}}).status_code == 200
    mocks.clock.freeze()
    v1 = PersonioV1(http)
    tokens = set()
    for _ in range(15):
        tokens.add(v1.token)
        assert v1.get("/company/employees", limit=1).status_code == 200
    assert len(tokens) == 15  # every call used a token of its own
    limited = v1.get("/company/employees", limit=1)  # the 16th in the same second
    assert (limited.status_code, limited.json(), limited.headers["retry-after"]) == (429, TOO_MANY, "1")
    fresh = PersonioV1(http)  # POST /auth with rotation: yet another token
    assert fresh.token not in tokens and fresh.get("/company/employees", limit=1).status_code == 429
    other = PersonioV1(http, READONLY_ID, READONLY_SECRET)  # other credentials have their own budget
    assert other.get("/company/employees", limit=1).status_code == 200
    for _ in range(19):  # 15 per second up to 300 in the minute
        mocks.clock.advance(1)
        assert [v1.get("/company/employees", limit=1).status_code for _ in range(15)] == [200] * 15
    mocks.clock.advance(1)  # 20 s after the first call: the 301st
    limited = v1.get("/company/employees", limit=1)
    assert (limited.status_code, limited.json(), limited.headers["retry-after"]) == (429, TOO_MANY, "40")
    assert v1.get("/company/employees/1").status_code == 200  # only the list is limited
    mocks.clock.advance(40)
    assert v1.get("/company/employees", limit=1).status_code == 200


def test_2000_requests_per_minute_per_ip_on_every_v1_endpoint(http, mocks):
    mocks.clock.freeze()
    codes = {http.get(f"{V1}/company/employees/1").status_code for _ in range(1999)}
    assert codes == {401}  # unauthenticated calls count too
    v1 = PersonioV1(http)  # the 2000th: POST /auth
    limited = v1.get("/company/employees/1")
    assert (limited.status_code, limited.json(), limited.headers["retry-after"]) == (429, TOO_MANY, "60")
    assert http.post(f"{V1}/auth", json=CREDENTIALS).status_code == 429
    assert http.post(f"{V1}/recruiting/applications/documents").status_code != 429  # not a v1 endpoint
    mocks.clock.advance(60)
    assert v1.get("/company/employees/1").status_code == 200


@pytest.mark.parametrize("api", ["v1", "v2"])
def test_a_token_on_a_company_never_seeded_is_refused_without_seeding_it(http, mocks, monkeypatch, api):
    """Tokens are issued into a company's world: on one never touched none can be valid, so the mock answers as
    for any unknown token and does not seed the company (that would make each bad call cost a whole seeding)."""
    seeded = []
    if mocks.suite.shared is None:  # a worker of a shared store seeds its replica before any check, and drops it
        seeders = mocks.suite.worlds._seeders
        monkeypatch.setitem(seeders, "personio", lambda world, seed=seeders["personio"]: seeded.append(seed(world)))
    headers = {"Authorization": "Bearer not-a-token", "X-Mock-Tenant": "never-seeded"}
    path = f"{V1}/company/employees/1" if api == "v1" else "/personio/v2/persons"
    response = http.get(path, headers=headers)
    if api == "v1":
        assert (response.status_code, v1_error(response)["message"]) == (403, "Provided authorization is not valid")
    else:
        assert response.status_code == 401 and response.headers["content-type"] == "application/problem+json"
        assert "The access token is missing, invalid, expired or revoked." in response.text  # as for any bad token
    assert ("personio", "never-seeded") not in mocks.worlds() and seeded == []
