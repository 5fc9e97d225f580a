"""Cross-cutting behaviour: tenants, atomic writes, faults per API, the admin API, the FlaskApp
build answering like the AsyncApp one."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from .conftest import COMPANY_ID, READONLY_ID, RECRUITING, V1, V2, PersonioV1, PersonioV2


def test_failed_writes_leave_the_company_unchanged(v1, mocks):
    world = mocks.world("personio")
    before = world.dump()
    responses = [
        v1.request(
            "POST",
            "/company/employees",
            json={"employee": {"email": "x@example.org", "first_name": "X", "last_name": "Y", "supervisor_id": 424242}},
        ),
        v1.request(
            "POST",
            "/company/time-offs",
            data={
                "employee_id": "4567",
                "time_off_type_id": "1234",
                "start_date": "2017-12-27",
                "end_date": "2017-12-27",
                "half_day_start": "0",
                "half_day_end": "0",
            },
        ),
        v1.request(
            "POST",
            "/company/absence-periods",
            data={
                "employee_id": "1",
                "time_off_type_id": "1234",
                "start_date": "2027-01-01",
                "end_date": "2027-01-01",
                "start_time": "09:00",
                "end_time": "10:00",
            },
        ),
        v1.request("PATCH", "/company/attendances/projects/567", json={"active": "no"}),
    ]
    assert [r.status_code for r in responses] == [422, 400, 404, 400]
    after = world.dump()
    after["collections"].pop("opaque_tokens", None), before["collections"].pop("opaque_tokens", None)
    assert after == before


def test_admin_api_mints_every_credential(http):
    for api, path, _extra in [
        ("v1", f"{V1}/company/employees/1", {}),
        ("v2", f"{V2}/persons/1", {}),
        ("recruiting", f"{V1}/recruiting/applications/documents", {}),
    ]:
        minted = http.post("/_mocks/tokens", json={"vendor": "personio", "api": api})
        assert minted.status_code == 201, minted.text
        headers = minted.json()["headers"]
        if api == "recruiting":
            assert headers == RECRUITING
            response = http.post(path, headers=headers, files={"file": ("a.txt", b"hi", "text/plain")})
        else:
            response = http.get(path, headers=headers)
        assert response.status_code == 200, (api, response.text)
    scoped = http.post("/_mocks/tokens", json={"vendor": "personio", "api": "v2", "scopes": "personio:absences:read"})
    assert http.get(f"{V2}/persons/1", headers=scoped.json()["headers"]).status_code == 403
    acme = http.post("/_mocks/tokens", json={"vendor": "personio", "tenant": "acme", "api": "recruiting"}).json()
    assert acme["headers"]["X-Mock-Tenant"] == "acme" and acme["headers"]["X-Company-ID"] != COMPANY_ID
    bad = http.post("/_mocks/tokens", json={"vendor": "personio", "api": "v3"})
    assert bad.status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"api": "v2", "scopes": 5},
        {"api": "v2", "scopes": [5]},
        {"api": "v2", "scopes": {"personio:persons:read": True}},
        {"api": "v2", "scopes": "personio:reports:read", "client_id": READONLY_ID},
        {"api": "v1", "client_id": 7},
        {"api": ["v1"]},
    ],
)
def test_admin_api_refuses_malformed_token_parameters(http, params):
    response = http.post("/_mocks/tokens", json={"vendor": "personio", **params})
    assert response.status_code == 400, response.text
    assert response.json()["error"]


def test_credentials_are_listed(http):
    personio = next(v for v in http.get("/_mocks/vendors").json() if v["name"] == "personio")
    assert {a["base_url"].rsplit("/personio", 1)[1] for a in personio["apis"]} == {"/v1", "/v2", ""}
    labels = [c["label"] for c in personio["credentials"]]
    assert len(labels) == 3 and personio["credentials"][2]["company_id"] == COMPANY_ID
    assert personio["bench"]["path"] == "/personio/v1/company/employees?limit=50"


@pytest.mark.parametrize(
    "path, status, expected",
    [
        (f"{V1}/company/employees", 503, {"success": False, "error": {"code": 0, "message": "Service Unavailable"}}),
        (
            f"{V1}/company/employees",
            401,
            {"success": False, "error": {"message": "Authorization is not provided", "code": 401}},
        ),
        (
            f"{V2}/persons",
            500,
            {
                "title": "Internal Server Error",
                "detail": "There was a problem while processing this request. Please try again later.",
                "type": "https://developer.personio.de/reference/errors#common.internal_server_error",
            },
        ),
        (f"{V1}/recruiting/applications", 401, None),
        ("/personio/recruiting/applicant", 503, {"success": False, "error": {"message": "Service Unavailable"}}),
    ],
)
def test_injected_faults_speak_each_apis_language(http, mocks, path, status, expected):
    mocks.fault("personio", status=status, path=path, times=1)
    response = http.request("POST" if "recruiting" in path else "GET", path)
    assert response.status_code == status
    if expected is None:
        assert response.content == b""
    elif "errors" in response.json():
        assert response.json()["errors"] == [expected]
    else:
        assert response.json() == expected


def test_method_not_allowed_lists_the_allowed_methods(v1):
    response = v1.request("PUT", "/company/employees/1")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, PATCH"
    assert response.json() == {"success": False, "error": {"code": 405, "message": "Method Not Allowed"}}


def test_unknown_v1_route(v1):
    response = v1.get("/company/unknown")
    assert (response.status_code, response.json()) == (
        404,
        {
            "success": False,
            "error": {"message": "personio.core.api.exceptions.api.not.found.http.exception", "code": 0},
        },
    )


def test_the_journal_records_the_calls(v1, mocks):
    v1.get("/company/employees/1")
    entry = mocks.journal(vendor="personio", path="/personio/v1/company/employees/")[-1]
    assert (entry.method, entry.status, entry.tenant) == ("GET", 200, "default")
    assert '"Alexander"' in entry.response_body


# -- the FlaskApp build ----------------------------------------------------------------------------
@pytest.fixture
def flask_http(flask_mocks):
    with httpx.Client(base_url=flask_mocks.server.url) as client:
        yield client


def _same(a: httpx.Response, f: httpx.Response) -> None:
    """The same answer from both builds (links name each server's own host; trace ids differ by design)."""
    assert a.status_code == f.status_code
    assert a.headers.get("content-type", "").split(";")[0] == f.headers.get("content-type", "").split(";")[0]
    if "json" in a.headers.get("content-type", ""):

        def strip(response: httpx.Response):
            body = httpx.Response(
                200,
                content=response.text.replace(
                    str(response.request.url.copy_with(path="/", query=None)).rstrip("/"), ""
                ),
            ).json()
            return (
                {k: v for k, v in body.items() if k not in ("personio_trace_id", "timestamp", "trace_id")}
                if isinstance(body, dict)
                else body
            )

        assert strip(a) == strip(f)
    else:
        assert a.content == f.content


def test_flask_build_answers_like_the_async_build(http, flask_http, mocks, flask_mocks):
    mocks.clock.freeze(datetime(2026, 3, 10, tzinfo=UTC))
    flask_mocks.clock.freeze(datetime(2026, 3, 10, tzinfo=UTC))
    a1, f1 = PersonioV1(http), PersonioV1(flask_http)
    for path, params in [
        ("/company/employees", {"limit": 3}),
        ("/company/employees/1", {}),
        ("/company/employees/999999", {}),
        ("/company/employees", {"limit": 0}),
        ("/company/time-offs", {"limit": 2}),
        ("/company/attendances", {}),
        ("/company/custom-reports/reports", {}),
    ]:
        _same(a1.get(path, **params), f1.get(path, **params))
    for client in (a1, f1):  # the token comes back in the header on both builds, but not from projects
        assert client.get("/company/employees/1").headers["authorization"] == f"Bearer {client.token}"
        assert "authorization" not in client.get("/company/attendances/projects").headers
    form = {
        "employee_id": "1",
        "time_off_type_id": "1234",
        "start_date": "2027-02-01",
        "end_date": "2027-02-02",
        "half_day_start": "0",
        "half_day_end": "0",
    }
    _same(a1.request("POST", "/company/time-offs", data=form), f1.request("POST", "/company/time-offs", data=form))
    _same(a1.request("POST", "/company/time-offs", data={}), f1.request("POST", "/company/time-offs", data={}))
    deleted = [c.request("DELETE", "/company/attendances/projects/570") for c in (a1, f1)]
    assert [(r.status_code, r.content, "content-type" in r.headers) for r in deleted] == [(204, b"", False)] * 2
    picture = [c.get("/company/employees/1/profile-picture/40") for c in (a1, f1)]
    assert picture[0].content == picture[1].content and picture[0].headers["content-type"] == "image/png"
    a2, f2 = PersonioV2(http), PersonioV2(flask_http)
    for path, params in [
        ("/persons", {"limit": 2}),
        ("/persons/3003", {}),
        ("/persons/404", {}),
        ("/persons", {"id.x": "1"}),
        ("/persons/5005/employments", {}),
    ]:
        first, second = a2.get(path, **params), f2.get(path, **params)
        assert first.status_code == second.status_code
        if first.status_code == 200:
            assert first.text.replace(str(http.base_url), "") == second.text.replace(str(flask_http.base_url), "")
    for client in (http, flask_http):
        assert (
            client.post(
                f"{V1}/recruiting/applications",
                json={"first_name": "A", "last_name": "B", "email": "a@b.de", "job_position_id": 4103},
                headers=RECRUITING,
            ).status_code
            == 201
        )
    bad = [
        c.post(
            f"{V1}/recruiting/applications/documents",
            headers=RECRUITING,
            files={"file": ("x.exe", b"MZ", "application/octet-stream")},
        )
        for c in (http, flask_http)
    ]
    _same(*bad)
    xml = [c.get("/personio/xml", params={"language": "de"}) for c in (http, flask_http)]
    assert xml[0].content == xml[1].content
    no_boundary = [
        c.post(
            f"{V1}/company/documents",
            content=b"x",
            headers={"Authorization": f"Bearer {t}", "Content-Type": "multipart/form-data"},
        )
        for c, t in ((http, a1.token), (flask_http, f1.token))
    ]
    assert [r.status_code for r in no_boundary] == [422, 422]
