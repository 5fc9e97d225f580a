"""What real clients trip over (issue 17): each test cites the Personio document it follows."""

from __future__ import annotations

import time

import pytest

from .conftest import READONLY_ID, READONLY_SECRET, V1, V2, PersonioV1, PersonioV2, v1_error, v2_errors

PERSONS_SPEC = "tests/reference/personio/v2/persons-service-api-v2.json (components.examples, every Person)"


def _all_persons(v2: PersonioV2) -> list[dict]:
    page = v2.get("/persons", limit=50).json()
    found = list(page["_data"])
    while "next" in page["_meta"]["links"]:
        page = v2.get(page["_meta"]["links"]["next"]["href"]).json()
        found += page["_data"]
    return found


def test_every_person_carries_profile_picture_and_every_custom_attribute_global_id(v2, mocks):
    """Source: PERSONS_SPEC — every example person has `profile_picture`, every custom attribute `global_id`.
    Absent data is null, not a missing key."""
    persons = _all_persons(v2)
    assert len(persons) == len(mocks.world("personio")["employees"])
    without_picture = [p for p in persons if p["profile_picture"] is None]
    with_picture = [p for p in persons if p["profile_picture"] is not None]
    assert without_picture and with_picture  # the seeded company has both kinds
    assert all("profile_picture" in p for p in persons)
    for person in with_picture:
        assert person["profile_picture"]["url"].endswith(f"/v1/company/employees/{person['id']}/profile-picture")
    attributes = [a for p in persons for a in p["custom_attributes"]]
    assert attributes and all("global_id" in a for a in attributes)
    assert {a["global_id"] for a in attributes} >= {"iban", None}


def test_a_person_without_picture_says_null_and_one_call_shows_it(v2, mocks):
    world = mocks.world("personio")
    row = next(r for r in world["employees"].values() if not r["has_picture"])
    body = v2.get(f"/persons/{row['id']}").json()
    assert body["profile_picture"] is None
    assert list(body)[:9] == [
        "id",
        "email",
        "created_at",
        "updated_at",
        "first_name",
        "last_name",
        "preferred_name",
        "gender",
        "profile_picture",
    ]


# -- one set of credentials, two token kinds --------------------------------------------------------
AUTH_PAGE = (
    'https://developer.personio.de/reference/auth and /reference/authentication: the token "can then be '
    'used to access any Personnel Data endpoint (i.e. all endpoints except Auth and Recruiting)"'
)


def test_a_v2_token_reads_v1_personnel_data(http, v2):
    """Source: AUTH_PAGE. The profile-picture URL v2 itself hands out works with the v2 token."""
    person = v2.get("/persons/3003").json()
    bearer = {"Authorization": f"Bearer {v2.token}"}
    picture = http.get(person["profile_picture"]["url"], headers=bearer)
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")
    employees = http.get(f"{V1}/company/employees", params={"limit": 2}, headers=bearer)
    assert employees.status_code == 200, employees.text
    assert employees.json()["success"] is True and len(employees.json()["data"]) == 2
    absences = http.get(f"{V1}/company/time-off-types", headers=bearer)
    assert absences.status_code == 200 and absences.json()["success"] is True


def test_a_v2_token_is_not_rotated_and_a_revoked_one_is_refused_on_v1(http, v2, mocks):
    bearer = {"Authorization": f"Bearer {v2.token}"}
    http.patch("/_mocks/settings", json={"vendor": "personio", "settings": {"rotate": True}})
    for _ in range(2):
        response = http.get(f"{V1}/company/employees/1", headers=bearer)
        assert response.status_code == 200
        assert response.headers["authorization"] == f"Bearer {v2.token}"
    assert http.post(f"{V2}/auth/revoke", data={"token": v2.token}, headers=bearer).status_code == 200
    refused = http.get(f"{V1}/company/employees/1", headers=bearer)
    assert refused.status_code == 403
    assert refused.json() == {
        "success": False,
        "error": {"message": "Provided authorization is not valid", "code": 403},
    }


def test_a_v2_token_is_no_recruiting_key(http, v2):
    """Source: AUTH_PAGE ("except Auth and Recruiting"); the Recruiting API answers 401 without a body."""
    response = http.post(
        f"{V1}/recruiting/applications",
        json={},
        headers={"Authorization": f"Bearer {v2.token}", "X-Company-ID": "33434"},
    )
    assert response.status_code == 401 and response.content == b""


def test_v2_rights_follow_the_credentials_api_access(http):
    """The read-only credentials (employees:read) read employees with a v2 token but cannot write them."""
    client = PersonioV2(http, client_id=READONLY_ID, secret=READONLY_SECRET)
    bearer = {"Authorization": f"Bearer {client.token}"}
    assert http.get(f"{V1}/company/employees/1", headers=bearer).status_code == 200
    denied = http.patch(f"{V1}/company/employees/1", json={"employee": {"position": "x"}}, headers=bearer)
    assert denied.status_code == 403
    assert denied.json()["error"]["message"] == "personio.core.api.exceptions.api.forbidden.http.exception"


def test_a_v1_token_on_v2_is_authenticated_but_has_no_scope(http, v1):
    """INFERRED from a Personio developer forum report: a v1 token on /v2 gets 403 "Insufficient access scope"
    (authenticated), not 401. An unknown token stays 401."""
    response = http.get(f"{V2}/persons", headers={"Authorization": f"Bearer {v1.token}"})
    assert response.status_code == 403
    errors = v2_errors(response)
    assert errors == [
        {
            "title": "Forbidden",
            "detail": "Insufficient access scope",
            "type": "https://developer.personio.de/reference/errors#common.forbidden",
        }
    ]
    unknown = http.get(f"{V2}/persons", headers={"Authorization": "Bearer papi-nothing"})
    assert unknown.status_code == 401


# -- dates as documented ----------------------------------------------------------------------------
FILTERS = [
    ("/company/time-offs", {}, "updated_from"),
    ("/company/time-offs", {}, "updated_to"),
    ("/company/absence-periods", {}, "updated_from"),
    ("/company/absence-periods", {}, "updated_to"),
    ("/company/attendances", {"start_date": "2000-01-01", "end_date": "2100-12-31"}, "updated_from"),
    ("/company/attendances", {"start_date": "2000-01-01", "end_date": "2100-12-31"}, "updated_to"),
    ("/company/employees", {}, "updated_since"),
]


# time-offs take days only (`format: date` in the official file)
EDGES = [
    (*f, v)
    for f in FILTERS
    for v in ("0001-01-01", "9999-12-31", "0001-01-01T00:00:00", "9999-12-31T23:59:59")
    if f[0] != "/company/time-offs" or "T" not in v
]


@pytest.mark.parametrize("path, params, name, value", EDGES)
def test_every_year_of_the_documented_format_is_a_filter(v1, mocks, path, params, name, value):
    """Source: personio-personnel-data-api-oa3.yaml, `updated_since`: "ISO 8601 (2022-12-24T08:15:30) or
    YYYY-MM-DD" (the same formats for updated_from/updated_to): years 0001-9999 are dates of that format."""
    response = v1.get(path, **params, **{name: value})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    early = value.startswith("0001")
    # from the year 1 on everything matches (for "to" filters: nothing), until 9999 the reverse
    matches_all = early != name.endswith("_to")
    if name == "updated_since":
        assert (body["metadata"]["total_elements"] == len(mocks.world("personio")["employees"])) is early
    elif not matches_all:
        assert body["data"] == []
    else:
        assert body["data"], body


@pytest.mark.parametrize("path, params, name", FILTERS)
@pytest.mark.parametrize("value", ["2026-02-30", "10000-01-01", "yesterday"])
def test_what_is_no_date_stays_the_endpoints_validation_error(v1, path, params, name, value):
    response = v1.get(path, **params, **{name: value})
    text = f"The {name.replace('_', ' ')} is not a valid date."
    if path == "/company/absence-periods":  # the spec lists a 400 ErrorResponse (problem+json), no 422
        assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
        assert response.json() == {"success": False, "error": {"code": 400, "message": text}}
    else:  # the specs list no error: Laravel's 422 (inferred)
        assert response.status_code == 422, response.text
        assert v1_error(response)["error_data"] == {name: [text]}


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_v2_filters_take_every_year_too(v2, value):
    response = v2.get("/persons", **{"updated_at.gt": value})
    assert response.status_code == 200, response.text
    assert bool(response.json()["_data"]) is value.startswith("0001")


# -- statuses the spec documents --------------------------------------------------------------------
@pytest.mark.parametrize(
    "params, text",
    [
        ({"limit": 0}, "The limit must be at least 1."),
        ({"offset": -1}, "The offset must be at least 0."),
        ({"limit": 2147483648}, "The limit may not be greater than 2147483647."),
        (
            {"start_date": "2026-02-01", "end_date": "2026-01-01"},
            "The end date must be a date after or equal to start date.",
        ),
    ],
)
def test_absence_periods_bad_requests_are_the_documented_400(v1, params, text):
    """Source: personio-personnel-data-api-oa3.yaml, GET /company/absence-periods documents 200, 400
    (`ErrorResponse`, content problem+json), 404 and 500 — no 422."""
    response = v1.get("/company/absence-periods", **params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {"success": False, "error": {"code": 400, "message": text}}


# -- career sites -----------------------------------------------------------------------------------
def test_an_unknown_career_site_is_redirected_to_personio(http, mocks):
    """An unknown subdomain answers 301 to personio.de: INFERRED (Personio does not document it) from third-party
    scrapers of {company}.jobs.personio.de, which read such a 301 as "no such company". Companies the mock knows keep
    their feed."""
    unknown = http.get("/xml", headers={"Host": "no-such-company.jobs.personio.de"})
    assert unknown.status_code == 301
    assert unknown.headers["location"] == "https://www.personio.de/" and unknown.content == b""
    for _ in range(5):  # nothing was created (on Redis a kept world is confirmed just after the answer: give it time)
        assert ("personio", "no-such-company") not in mocks.worlds()
        time.sleep(0.05)
    seeded = http.get("/xml", headers={"Host": "personio.jobs.personio.de"})
    assert seeded.status_code == 200 and seeded.text.startswith('<?xml version="1.0"')
    created = http.post("/_mocks/tokens", json={"vendor": "personio", "api": "recruiting", "tenant": "globex"})
    assert created.status_code == 201, created.text
    feed = http.get("/xml", headers={"Host": "globex.jobs.personio.com"})
    assert feed.status_code == 200 and "<workzag-jobs>" in feed.text
    named = http.get("/xml", headers={"Host": "initech.jobs.personio.de", "X-Mock-Tenant": "initech"})
    assert named.status_code == 200


# -- loopback speed vs Personio's limits ------------------------------------------------------------
RATE_LIMITS = (
    "https://developer.personio.de/changelog/rate-limits-on-get-employees-endpoint-may-6-2024: "
    "GET /company/employees 300 per minute, bursts of 15 per second"
)


def test_the_burst_limit_stays_faithful_and_its_429_says_the_way_out(v1, mocks):
    """Source: RATE_LIMITS. The 16th list call in one second is a 429; its journal entry carries the hint."""
    mocks.clock.freeze()
    assert [v1.get("/company/employees", limit=1).status_code for _ in range(15)] == [200] * 15
    limited = v1.get("/company/employees", limit=1)
    assert limited.status_code == 429
    assert limited.json() == {"success": False, "error": {"code": 429, "message": "Too Many Requests"}}
    hint = limited.headers["x-mock-hint"]
    assert "v1_employees_burst (15 per 1 s)" in hint and '"rate_limits": false' in hint
    entry = mocks.journal(vendor="personio", path="/company/employees")[-1]
    assert entry.status == 429 and {k.lower(): v for k, v in entry.response_headers.items()}["x-mock-hint"] == hint


def test_one_setting_switches_the_limits_off_for_one_company(http, v1, mocks):
    mocks.clock.freeze()
    switched = http.patch("/_mocks/settings", json={"vendor": "personio", "settings": {"rate_limits": False}})
    assert switched.status_code == 200 and switched.json()["settings"]["rate_limits"] is False
    assert {v1.get("/company/employees", limit=1).status_code for _ in range(40)} == {200}
    v2 = PersonioV2(http)
    answers = [v2.get("/persons/1") for _ in range(120)]  # the v2 bucket holds 100
    assert {a.status_code for a in answers} == {200}
    assert "x-ratelimit-remaining" not in answers[-1].headers  # nothing is counted
    other = PersonioV1(http, headers={"X-Mock-Tenant": "acme"})  # another company keeps Personio's limits
    codes = [other.get("/company/employees", limit=1).status_code for _ in range(16)]
    assert codes == [200] * 15 + [429]
    http.patch("/_mocks/settings", json={"vendor": "personio", "settings": {"rate_limits": True}})
    assert v1.get("/company/employees", limit=1).status_code == 200
    assert [v1.get("/company/employees", limit=1).status_code for _ in range(15)][-1] == 429


def test_the_admin_switch_and_the_pytest_fixture_turn_them_off_everywhere(http, v1, mocks):
    mocks.clock.freeze()
    mocks.limit("personio", enabled=False)  # pytest: every rule of Personio, every company
    assert {v1.get("/company/employees", limit=1).status_code for _ in range(30)} == {200}
    restored = http.delete("/_mocks/ratelimits", params={"vendor": "personio"})
    assert restored.status_code == 200
    off = http.put("/_mocks/ratelimits", json={"vendor": "personio", "enabled": False})  # the admin API
    assert off.status_code == 200
    assert {v1.get("/company/employees", limit=1).status_code for _ in range(30)} == {200}


# -- API_BASE with a path prefix vs urljoin ---------------------------------------------------------
def test_clients_that_urljoin_absolute_paths_work_through_the_host_header(http):
    """docs/vendors/personio.md: urljoin(base, "/v2/auth/token") drops a path prefix (RFC 3986 §5.2.2), so such
    clients get the mock's origin and `Host: api.personio.de`; the paths then stay Personio's own."""
    from urllib.parse import urljoin

    base = str(http.base_url).rstrip("/") + "/personio"
    assert urljoin(base, "/v2/auth/token") == str(http.base_url).rstrip("/") + "/v2/auth/token"  # prefix lost
    host = {"Host": "api.personio.de"}
    token = http.post(
        urljoin(str(http.base_url), "/v2/auth/token"),
        headers=host,
        data={
            "grant_type": "client_credentials",
            "client_id": "papi-baaaaaad-c0de-fade-baad-00000000001d",
            "client_secret": "verY-Secret-p4ssw0rd",
        },
    )
    assert token.status_code == 200, token.text
    page = http.get(
        urljoin(str(http.base_url), "/v2/absence-periods"),
        params={"limit": 1},
        headers={**host, "Authorization": f"Bearer {token.json()['access_token']}"},
    )
    assert page.status_code == 200
    following = page.json()["_meta"]["links"]["next"]["href"]
    assert following.startswith("http://api.personio.de") and "/personio/" not in following
