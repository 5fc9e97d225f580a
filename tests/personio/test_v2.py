"""v2: OAuth token and revocation, persons, employments, cursors, errors, rate limits
(the v2 specs in tests/reference/personio/v2/)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    PROBLEM,
    READONLY_ID,
    READONLY_SECRET,
    V2,
    PersonioV2,
    v2_errors,
    without_volatile,
)

OAUTH = "https://developer.personio.de/reference/errors#credentials.oauth2."
ERRORS = "https://developer.personio.de/reference/errors#"


def test_token(http, mocks):
    response = http.post(
        f"{V2}/auth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["access_token", "expires_in", "token_type", "scope"]
    assert body["access_token"].startswith("papi-") and body["token_type"] == "Bearer" and body["expires_in"] == 86400
    assert body["scope"].split()[0] == "personio:persons:read"
    again = http.post(
        f"{V2}/auth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    ).json()
    assert again["access_token"] != body["access_token"]  # every call obtains a new token


# the documented examples of credentials-service-api-v2.json, request and answer
DOCUMENTED = [
    (
        {"client_id": "papi-baaaaaad-c0de-fade-baad-00000000001d"},
        {
            "error": "invalid_request",
            "error_description": "The request has missing or invalid required parameters.",
            "error_uri": OAUTH + "invalid_request.required_parameters_missing",
            "meta": {"missing_parameters": ["grant_type"]},
        },
    ),
    (
        {"grant_type": "client_credentials", "client_id": "client_who"},
        {
            "error": "invalid_client",
            "error_description": "Client authentication failed (e.g., unknown client, wrong "
            "secret, no client authentication included, or unsupported authentication method).",
            "error_uri": OAUTH + "invalid_client",
        },
    ),
    (
        {"grant_type": "lilu_dallas_multipass"},
        {
            "error": "invalid_grant",
            "error_description": "Error in the authorization flow. Examples: client doesn't have "
            "access to all attributes in the requested scope, refresh token has been revoked, authorization code has "
            "already been consumed...",
            "error_uri": OAUTH + "invalid_grant",
        },
    ),
    (
        {
            "grant_type": "client_credentials",
            "client_id": "papi-baaaaaad-c0de-fade-baad-00000000001d",
            "client_secret": "verY-wr0ng-p4ssw0rd",
        },
        {
            "error": "unauthorized_client",
            "error_description": "Client is not allowed to use the specified grant type flow.",
            "error_uri": OAUTH + "unauthorized_client",
        },
    ),
    (
        {"grant_type": "urn:ietf:params:oauth:grant-type:device_code"},
        {
            "error": "unsupported_grant_type",
            "error_description": "The requested authorization grant type is not supported by the server.",
            "error_uri": OAUTH + "unsupported_grant_type",
            "meta": {"grant_type": "urn:ietf:params:oauth:grant-type:device_code"},
        },
    ),
    (
        {
            "grant_type": "client_credentials",
            "client_id": "papi-baaaaaad-c0de-fade-baad-00000000001d",
            "client_secret": "verY-s3cr3t-p4ssw0rd",
            "scope": "personio:person:read fake_scope:777",
        },
        {
            "error": "invalid_scope",
            "error_description": "One of the requested scopes is invalid.",
            "error_uri": OAUTH + "invalid_scope",
        },
    ),
]


@pytest.mark.parametrize("form, expected", DOCUMENTED, ids=[d[1]["error"] for d in DOCUMENTED])
def test_documented_token_errors(http, mocks, form, expected):
    mocks.clock.freeze()
    response = http.post(f"{V2}/auth/token", data=form)
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["timestamp"] == mocks.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ") and len(body["trace_id"]) == 36
    assert without_volatile(body) == expected


def test_token_endpoint_takes_forms_only(http):
    response = http.post(
        f"{V2}/auth/token",
        json={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    assert response.status_code == 400
    assert without_volatile(response.json()) == {
        "error": "invalid_request",
        "error_description": 'The content type of the request must be "application/x-www-form-urlencoded".',
        "type": OAUTH + "invalid_request.invalid_request_content_type",
    }


def test_scopes_limit_the_token(http):
    narrow = PersonioV2(http, scope="personio:absences:read")
    response = narrow.get("/persons")
    assert response.status_code == 403
    assert v2_errors(response)[0]["type"] == ERRORS + "common.forbidden"
    granted = PersonioV2(http, scope="personio:persons:read")
    assert granted.get("/persons").status_code == 200
    not_granted = http.post(
        f"{V2}/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": READONLY_ID,
            "client_secret": READONLY_SECRET,
            "scope": "personio:reports:read",
        },
    )
    assert without_volatile(not_granted.json())["error"] == "invalid_grant"


def test_revoked_tokens_get_401(http, v2):
    assert v2.get("/persons/3003").status_code == 200
    revoked = http.post(f"{V2}/auth/revoke", data={"token": v2.token}, headers={"Authorization": f"Bearer {v2.token}"})
    assert (revoked.status_code, revoked.content, "content-type" in revoked.headers) == (200, b"", False)
    response = v2.get("/persons/3003")
    assert response.status_code == 401
    assert v2_errors(response)[0]["title"] == "Unauthorized"
    other = PersonioV2(http)
    unknown = http.post(
        f"{V2}/auth/revoke", data={"token": "papi-unknown"}, headers={"Authorization": f"Bearer {other.token}"}
    )
    assert (unknown.status_code, unknown.content) == (200, b"")


def test_revoking_needs_a_v2_token_and_touches_only_the_callers_v2_tokens(http, v1):
    """The official file declares no security; users report 401s and dlt sends the bearer (x-inferred)."""
    caller = PersonioV2(http)
    victim = PersonioV2(http)  # same credentials
    stranger = PersonioV2(http, client_id=READONLY_ID, secret=READONLY_SECRET)
    for headers in ({}, {"Authorization": "Bearer papi-unknown"}):
        refused = http.post(f"{V2}/auth/revoke", data={"token": victim.token}, headers=headers)
        assert refused.status_code == 401
        assert [without_volatile(e) for e in v2_errors(refused)] == [
            {
                "title": "Unauthorized",
                "detail": "The access token is missing, invalid, expired or revoked.",
                "type": ERRORS + "common.unauthorized",
            }
        ]
    with_v1 = http.post(
        f"{V2}/auth/revoke", data={"token": victim.token}, headers={"Authorization": f"Bearer {v1.token}"}
    )
    assert (with_v1.status_code, v2_errors(with_v1)[0]["detail"]) == (403, "Insufficient access scope")
    bearer = {"Authorization": f"Bearer {caller.token}"}
    for token in (v1.token, stranger.token):  # not this client's v2 tokens: left alone
        assert http.post(f"{V2}/auth/revoke", data={"token": token}, headers=bearer).status_code == 200
    assert v1.get("/company/employees/1").status_code == 200
    assert stranger.get("/persons/3003").status_code == 200
    assert victim.get("/persons/3003").status_code == 200
    assert http.post(f"{V2}/auth/revoke", data={"token": victim.token}, headers=bearer).status_code == 200
    assert victim.get("/persons/3003").status_code == 401
    assert caller.get("/persons/3003").status_code == 200
    missing = http.post(f"{V2}/auth/revoke", data={}, headers=bearer)
    assert (missing.status_code, without_volatile(missing.json())["meta"]) == (400, {"missing_parameters": ["token"]})


def test_trace_ids_differ_for_requests_in_the_same_instant(v2, mocks):
    mocks.clock.freeze()
    first, second = v2.get("/persons/999999"), v2.get("/persons/999999")
    assert first.status_code == second.status_code == 404
    assert first.json()["timestamp"] == second.json()["timestamp"]
    ids = {first.json()["personio_trace_id"], second.json()["personio_trace_id"]}
    assert len(ids) == 2 and all(len(i) == 36 for i in ids)


def test_tokens_expire_after_a_day(v2, mocks):
    mocks.clock.advance(86399)
    assert v2.get("/persons/3003").status_code == 200
    mocks.clock.advance(1)
    expired = v2.get("/persons/3003")
    assert expired.status_code == 401
    assert [without_volatile(e) for e in v2_errors(expired)] == [
        {
            "title": "Unauthorized",
            "detail": "The access token is missing, invalid, expired or revoked.",
            "type": ERRORS + "common.unauthorized",
        }
    ]


# -- persons ---------------------------------------------------------------------------------------
def test_documented_person_3003(v2, mocks):
    response = v2.get("/persons/3003")
    assert response.status_code == 200
    person = response.json()
    base = mocks.url()
    assert person == {
        "id": "3003",
        "email": "jen.doe@personio.de",
        "created_at": "2017-07-21T17:32:28Z",
        "updated_at": "2017-07-21T17:32:28Z",
        "first_name": "John",
        "last_name": "Smith",
        "preferred_name": "John Smith",
        "gender": "MALE",
        "profile_picture": {"url": f"{base}/personio/v1/company/employees/3003/profile-picture"},
        "status": "ACTIVE",
        "custom_attributes": [
            {"id": "dynamic_21827", "type": "string", "value": "DExx-xxff-ss-os02", "global_id": "iban"},
            {"id": "dynamic_305", "type": "string", "value": "Red", "global_id": "color"},
        ],
        "employments": [{"id": person["employments"][0]["id"]}],
        "_meta": {"links": {"employments": {"href": f"{base}/personio/v2/persons/3003/employments"}}},
    }


@pytest.mark.parametrize("person_id", ["404", "not-a-person"])
def test_unknown_person(v2, person_id):
    response = v2.get(f"/persons/{person_id}")
    assert response.status_code == 404
    assert [without_volatile(e) for e in v2_errors(response)] == [
        {
            "title": "Resource not found",
            "detail": "There is no resource for the specified id.",
            "type": ERRORS + "common.resource_not_found",
        }
    ]


def _walk(client: PersonioV2, **params) -> tuple[list[str], int]:
    """Follow _meta.links.next.href as is (dlt), counting requests."""
    ids, url, requests = [], "/persons", 0
    page = client.get(url, **params).json()
    while True:
        requests += 1
        ids += [p["id"] for p in page["_data"]]
        following = page["_meta"]["links"].get("next")
        if following is None:
            return ids, requests
        page = client.get(following["href"]).json()


def test_following_next_href_walks_everyone_exactly_once(v2, mocks):
    everyone = sorted(mocks.world("personio")["employees"].keys())
    ids, requests = _walk(v2, limit=7)
    assert ids == [str(i) for i in everyone]
    assert requests == -(-len(everyone) // 7)


def test_resending_filters_with_the_cursor_works_too(v2):
    """personio-client: extract the cursor from next.href and resend the filters with it."""
    seen, cursor = [], None
    while True:
        params = {"limit": 10, "status": "ACTIVE", **({"cursor": cursor} if cursor else {})}
        page = v2.get("/persons", **params).json()
        assert {p["status"] for p in page["_data"]} <= {"ACTIVE"}
        seen += [p["id"] for p in page["_data"]]
        following = page["_meta"]["links"].get("next")
        if not following:
            break
        new_cursor = parse_qs(urlparse(following["href"]).query)["cursor"][0]
        assert new_cursor != cursor
        cursor = new_cursor
    assert len(seen) == len(set(seen)) > 10


def test_links_are_absolute_on_the_callers_host(http, v2):
    page = v2.get("/persons", limit=2).json()
    links = page["_meta"]["links"]
    assert links["next"]["href"].startswith(f"{http.base_url}/personio/v2/persons?cursor=cur_")
    assert links["self"]["href"].startswith(f"{http.base_url}/personio/v2/persons?cursor=cur_")
    plain = v2.get("/persons").json()["_meta"]["links"]["self"]["href"]
    assert plain == f"{http.base_url}/personio/v2/persons"
    via_host = http.get(
        "/v2/persons", params={"limit": 1}, headers={"Host": "api.personio.de", "Authorization": f"Bearer {v2.token}"}
    ).json()
    assert via_host["_meta"]["links"]["next"]["href"].startswith("http://api.personio.de/v2/persons?cursor=cur_")
    assert (
        via_host["_data"][0]["_meta"]["links"]["employments"]["href"]
        == "http://api.personio.de/v2/persons/1/employments"
    )


def test_last_page_has_no_next(v2):
    page = v2.get("/persons", limit=50, id="1,2,3003").json()
    assert [p["id"] for p in page["_data"]] == ["1", "2", "3003"]
    assert "next" not in page["_meta"]["links"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"id": "3003,5005"}, ["3003", "5005"]),
        ({"email": "JEN.DOE@personio.de,alexander.bergmann@demo.email"}, ["1", "3003"]),
        ({"first_name": "John", "last_name": "Smith"}, ["3003"]),
        ({"preferred_name": "Alexander Bergmann"}, ["1"]),
        ({"created_at": "2017-07-21T17:32:28Z"}, ["3003"]),
        (
            {"created_at.gt": "2017-07-21T17:32:28Z", "created_at.lt": "2023-01-01T14:07:18Z", "id": "1,3003,5005"},
            ["5005"],
        ),
        ({"updated_at.lt": "2017-07-21T17:32:29Z", "id": "3003,4567"}, ["3003"]),
    ],
)
def test_person_filters(v2, params, expected):
    assert [p["id"] for p in v2.get("/persons", limit=50, **params).json()["_data"]] == expected


def test_status_filter(v2, mocks):
    rows = mocks.world("personio")["employees"].values()
    inactive = sorted(str(r["id"]) for r in rows if r["status"] == "inactive")
    assert inactive
    assert [p["id"] for p in v2.get("/persons", limit=50, status="INACTIVE").json()["_data"]] == inactive


@pytest.mark.parametrize(
    "params, detail",
    [
        ({"id.nooperator": "0825e977-b879-4106-a73e-3d9aedad733d"}, "Provided filter encoding is invalid."),
        ({"created_at.lt": "wrong-date-format"}, "Provided request parameters are invalid."),
        ({"limit": 51}, "Provided request parameters are invalid."),
        ({"status": "SLEEPING"}, "Provided request parameters are invalid."),
        ({"cursor": "cur_garbage"}, "Provided request parameters are invalid."),
    ],
)
def test_bad_requests(v2, params, detail):
    response = v2.get("/persons", **params)
    assert response.status_code == 400
    assert [without_volatile(e) for e in v2_errors(response)] == [
        {"title": "Bad request", "detail": detail, "type": ERRORS + "common.bad_request"}
    ]


def test_unknown_endpoint(v2):
    response = v2.get("/recruiting/jobs")
    assert response.status_code == 404
    assert v2_errors(response) == [
        {
            "title": "Not Found",
            "detail": "The endpoint with /v2/recruiting/jobs was not found.",
            "type": "https://developer.personio.de/v2.0/page/public-api-error-codes#apinot_found",
            "_meta": {"path": "/v2/recruiting/jobs"},
        }
    ]


# -- employments -----------------------------------------------------------------------------------
def test_documented_employment(v2, mocks):
    base = mocks.url()
    response = v2.get("/persons/5005/employments/2306b77a-35fb-4b1d-8044-3b14f7f2ca65")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": "2306b77a-35fb-4b1d-8044-3b14f7f2ca65",
        "status": "ACTIVE",
        "weekly_working_hours": 40,
        "probation_end_date": "2023-07-01",
        "employment_start_date": "2023-01-01",
        "full_time_weekly_working_hours": 40,
        "employment_end_date": None,
        "type": "INTERNAL",
        "contract_end_date": None,
        "created_at": "2023-01-01T14:07:17Z",
        "updated_at": "2023-06-17T14:07:17Z",
        "position": {"title": "Software Engineer"},
        "supervisor": {"id": "3003"},
        "office": {"id": "60302"},
        "legal_entity": {"id": "170"},
        "job": {"id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890"},
        "sub_company": {"id": "47"},
        "org_units": [{"type": "team", "id": "4502"}, {"type": "department", "id": "401"}],
        "cost_centers": [{"id": "1000", "weight": 100}],
        "person": {"id": "5005"},
        "_meta": {
            "links": {
                "person": {"href": f"{base}/personio/v2/persons/5005"},
                "supervisor": {"href": f"{base}/personio/v2/persons/3003"},
            }
        },
    }


def test_employments_newest_first(v2, mocks):
    rehired = next(r for r in mocks.world("personio")["employees"].values() if r["past_employments"])
    body = v2.get(f"/persons/{rehired['id']}/employments").json()
    starts = [e["employment_start_date"] for e in body["_data"]]
    assert len(starts) == 2 and starts == sorted(starts, reverse=True)
    assert [e["status"] for e in body["_data"]] == ["ACTIVE", "INACTIVE"]
    assert body["_data"][1]["termination"]["type"] == "QUIT"
    one = v2.get(f"/persons/{rehired['id']}/employments", limit=1).json()
    assert [e["id"] for e in one["_data"]] == [body["_data"][0]["id"]]
    second = v2.get(one["_meta"]["links"]["next"]["href"]).json()
    assert [e["id"] for e in second["_data"]] == [body["_data"][1]["id"]] and "next" not in second["_meta"]["links"]
    filtered = v2.get(f"/persons/{rehired['id']}/employments", id=body["_data"][1]["id"]).json()
    assert [e["id"] for e in filtered["_data"]] == [body["_data"][1]["id"]]


@pytest.mark.parametrize(
    "path",
    ["/persons/404/employments", "/persons/404/employments/x", "/persons/5005/employments/id-that-does-not-exist"],
)
def test_employment_404s(v2, path):
    response = v2.get(path)
    assert response.status_code == 404
    assert v2_errors(response)[0]["detail"] == "There is no resource for the specified id."


def test_employment_wrong_filter_format(v2):
    response = v2.get("/persons/5005/employments", **{"id.invalid": "0825e977-b879-4106-a73e-3d9aedad733d"})
    assert v2_errors(response)[0]["detail"] == "Provided filter encoding is invalid."
    response = v2.get("/persons/5005/employments", **{"created_at.lt": "wrong-date-format"})
    assert v2_errors(response)[0]["detail"] == "Provided request parameters are invalid."


@pytest.mark.parametrize("path", ["/persons/²", "/persons/١٢", "/persons/²/employments", "/persons/" + "9" * 5000])
def test_ids_of_other_digits_are_unknown_persons(v2, path):
    """'²' passes str.isdigit() but is no id: the documented 404, never a 500."""
    response = v2.get(path)
    assert response.status_code == 404
    assert [without_volatile(e) for e in v2_errors(response)] == [
        {
            "title": "Resource not found",
            "detail": "There is no resource for the specified id.",
            "type": ERRORS + "common.resource_not_found",
        }
    ]


# -- rate limits -----------------------------------------------------------------------------------
def test_token_bucket_headers_and_429(v2, mocks):
    mocks.clock.freeze()
    first = v2.get("/persons/3003")
    assert (
        first.headers["x-ratelimit-burst-capacity"],
        first.headers["x-ratelimit-replenish-rate"],
        first.headers["x-ratelimit-remaining"],
    ) == ("100", "10", "99")
    assert v2.get("/persons/3003").headers["x-ratelimit-remaining"] == "98"
    mocks.limit("personio", "v2_api", 2, window=20)  # a bucket of 2, refilled 1 every 10 s
    assert [v2.get("/persons/3003").status_code for _ in range(3)] == [200, 200, 429]
    limited = v2.get("/persons/3003")
    assert limited.headers["retry-after"] == "10"
    assert limited.headers["x-ratelimit-remaining"] == "0"
    assert [without_volatile(e) for e in v2_errors(limited)] == [
        {
            "title": "Too Many Requests",
            "detail": "The rate limit was exceeded. Please try again later.",
            "type": ERRORS + "common.too_many_requests",
        }
    ]
    mocks.clock.advance(10)
    assert v2.get("/persons/3003").status_code == 200


def test_a_new_token_does_not_refill_the_bucket(http, mocks):
    """The bucket belongs to the API client: every new token of the same credentials shares it."""
    mocks.clock.freeze()
    mocks.limit("personio", "v2_api", 3, window=30)  # a bucket of 3, refilled 1 every 10 s
    assert [PersonioV2(http).get("/persons/3003").status_code for _ in range(4)] == [200, 200, 200, 429]
    fresh = PersonioV2(http)
    limited = fresh.get("/persons/3003")
    assert (limited.status_code, limited.headers["x-ratelimit-remaining"]) == (429, "0")
    other_client = PersonioV2(http, client_id=READONLY_ID, secret=READONLY_SECRET)
    assert other_client.get("/persons/3003").headers["x-ratelimit-remaining"] == "2"
    mocks.clock.advance(10)
    assert fresh.get("/persons/3003").status_code == 200


def test_every_v2_token_starts_from_the_documented_bucket_of_100_per_client(http, mocks):
    mocks.clock.freeze()
    remaining = [PersonioV2(http).get("/persons/3003").headers["x-ratelimit-remaining"] for _ in range(3)]
    assert remaining == ["99", "98", "97"]


def test_token_endpoint_limit(http, mocks):
    mocks.limit("personio", "v2_token", 1)
    form = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    assert http.post(f"{V2}/auth/token", data=form).status_code == 200
    limited = http.post(f"{V2}/auth/token", data=form)
    assert limited.status_code == 429 and limited.headers["retry-after"] == "60"
