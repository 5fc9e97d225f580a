"""Cross-cutting behaviour on eloomi: the real hostname, tenants, Laravel's answers to unknown
routes, injected faults, the journal, and the FlaskApp build answering like the AsyncApp one."""

from __future__ import annotations

import httpx
import pytest

from .conftest import CLIENT_ID, CREDENTIALS, UNAUTHENTICATED, Eloomi, assert_no_content, envelope, same_second


def test_the_real_hostname_serves_the_documented_urls(http):
    host = {"Host": "api.eloomi.com"}
    token = http.post("/oauth/token", data=CREDENTIALS, headers=host).json()["access_token"]
    response = http.get("/v3/users/1", headers={**host, "Authorization": f"Bearer {token}", "ClientId": CLIENT_ID})
    assert response.json()["data"]["email"] == "admin@eloomi.com"


def test_documented_records_are_the_same_in_every_world(http):
    default, acme = Eloomi(http), Eloomi(http, tenant="acme")
    for path in ("/v3/users/1", "/v3/users/37", "/v3/units/354"):
        assert default.get(path).json() == acme.get(path).json()


def test_tenants_are_isolated(http):
    default, acme = Eloomi(http), Eloomi(http, tenant="acme")
    default.send("POST", "/v3/users", {"email": "only-here@example.org", "employee_id": "ONLY-1"})
    assert default.get("/v3/users-employee_id/ONLY-1").status_code == 200
    assert_no_content(acme.get("/v3/users-employee_id/ONLY-1"))


@pytest.mark.parametrize(
    "method, path, status, body",
    [
        ("GET", "/eloomi/v3/nothing", 404, '{\n    "message": ""\n}'),
        ("GET", "/eloomi/v2/users", 404, '{\n    "message": ""\n}'),
        ("POST", "/eloomi/v3/users/1", 405, '{\n    "message": ""\n}'),
    ],
)
def test_unknown_routes_get_laravels_answer(eloomi, method, path, status, body):
    response = eloomi.client.request(method, path, headers=eloomi.headers())
    assert (response.status_code, response.text, response.headers["content-type"]) == (status, body, "application/json")
    if status == 405:
        assert response.headers["allow"] == "GET, HEAD, PATCH, DELETE"


@pytest.mark.parametrize(
    "status, expected",
    [
        (401, UNAUTHENTICATED),
        (404, envelope(404, "Not Found", "")),
        (
            503,
            {
                "status": "Service Unavailable",
                "status_code": 503,
                "message": "Service Unavailable",
                "extended_message": "",
            },
        ),
    ],
)
def test_injected_faults_in_eloomis_formats(eloomi, mocks, status, expected):
    mocks.fault("eloomi", status=status, path="/v3/users", method="GET", times=1)
    failed = eloomi.get("/v3/users")
    assert (failed.status_code, failed.json()) == (status, expected)
    assert eloomi.get("/v3/users").status_code == 200


def test_injected_429_and_500(eloomi, mocks):
    mocks.fault("eloomi", status=429, path="/v3/users", method="GET", times=1)
    mocks.fault("eloomi", status=500, path="/v3/units", method="GET", times=1)
    throttled, crashed = eloomi.get("/v3/users"), eloomi.get("/v3/units")
    assert (throttled.text, throttled.headers["retry-after"]) == ("Too Many Attempts.", "60")
    assert (crashed.status_code, crashed.json()) == (500, {"message": "Server Error"})


def test_journal_records_requests_and_responses(eloomi, mocks):
    eloomi.get("/v3/users-email/admin@eloomi.com")
    entry = mocks.journal(vendor="eloomi", path="/v3/users-email/")[-1]
    assert (entry.method, entry.status, entry.tenant) == ("GET", 200, "default")
    assert '"admin@eloomi.com"' in entry.response_body
    assert entry.request_headers["clientid"] == CLIENT_ID


# -- the FlaskApp build ---------------------------------------------------------------------------------


@pytest.fixture
def flask_eloomi(flask_mocks):
    with httpx.Client(base_url=flask_mocks.server.url) as client:
        yield Eloomi(client)


def test_flask_build_answers_like_the_async_build(eloomi, flask_eloomi, mocks, flask_mocks):
    same_second(mocks, flask_mocks)  # writes stamp their second (assigned_at, activated_at)
    for path, params in [
        ("/v3/users", {"per_page": 5, "page": 2}),
        ("/v3/users/1", {}),
        ("/v3/users/abc", {}),
        ("/v3/users", {"mode": "gone"}),
        ("/v3/units-code/api_test_code", {}),
        ("/v3/courses/1/participants", {"extended_mode": "1"}),
        ("/v3/nothing", {}),
    ]:
        a, f = eloomi.get(path, **params), flask_eloomi.get(path, **params)
        assert (a.status_code, a.headers.get("content-type"), a.content) == (
            f.status_code,
            f.headers.get("content-type"),
            f.content,
        )
    writes = [
        ("POST", "/v3/users", {"email": "p@example.com", "department_id[]": ["10", "13"], "activate": "0"}, True),
        ("POST", "/v3/users", {"email": "q@example.com", "level": "x"}, False),
        ("POST", "/v3/users", {"first_name": "no email"}, True),
        ("PATCH", "/v3/users-email/p@example.com", {"title": "T", "add_direct_manager_ids": "1,37"}, True),
        ("PATCH", "/v3/users/999999", {"title": "T"}, False),
        ("POST", "/v3/teams", {"name": "T", "course_ids[3][deadline]": "2031-01-01"}, True),
        ("POST", "/v3/courses/3/participants/1", {"required": "1"}, True),
        ("DELETE", "/v3/units/8", None, False),
    ]
    for method, path, body, form in writes:
        a, f = eloomi.send(method, path, body, form=form), flask_eloomi.send(method, path, body, form=form)
        assert (a.status_code, a.headers.get("content-type"), a.content) == (
            f.status_code,
            f.headers.get("content-type"),
            f.content,
        ), path
    for content_type in ("text/plain", "multipart/form-data"):
        a, f = [
            e.client.post("/eloomi/v3/units", content=b"name=x", headers=e.headers(**{"Content-Type": content_type}))
            for e in (eloomi, flask_eloomi)
        ]
        assert (
            (a.status_code, a.json())
            == (f.status_code, f.json())
            == (400, envelope(400, "Could not create the unit, try again.", "Unit name parameter is missing."))
        )
    token = [
        e.client.post("/eloomi/oauth/token", content=b"x", headers={"Content-Type": "multipart/form-data"})
        for e in (eloomi, flask_eloomi)
    ]
    assert token[0].json() == token[1].json()
