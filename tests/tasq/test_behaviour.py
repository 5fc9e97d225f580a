"""Cross-cutting behaviour on Tasq: optional gateway throttling, injected faults, the journal,
and the FlaskApp build answering like the AsyncApp one."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from .conftest import (
    ADMIN_TOKEN,
    EXPLICIT_DENY,
    JOHN,
    OPERATIONS,
    README_USER,
    TOO_MANY_REQUESTS,
    USER_TOKEN,
    Tasq,
    failure,
    gateway_error,
    ok,
)


# -- throttling (none configured by Tasq; API Gateway's when switched on) ----------------------------------
def test_no_throttling_by_default(tasq, http):
    assert all(tasq.get("/users").status_code == 200 for _ in range(50))
    rule = http.get("/_mocks/ratelimits").json()["vendors"]["tasq"]
    assert rule == [
        {
            "rule": "throttle",
            "limit": 5000,
            "window_seconds": 0.5,
            "algorithm": "bucket",
            "cooldown_seconds": 0.0,
            "enabled": False,
            "inferred": True,
            "note": rule[0]["note"],
            "after_routing": False,
        }
    ]


def test_throttling_switched_on_through_the_admin_api(tasq, http, mocks):
    mocks.clock.freeze()
    response = http.put(
        "/_mocks/ratelimits", json={"vendor": "tasq", "rule": "throttle", "enabled": True, "limit": 2, "window": 10}
    )
    assert response.status_code == 200
    assert [tasq.get("/users").status_code for _ in range(2)] == [200, 200]
    limited = tasq.get("/users")
    assert gateway_error(limited) == TOO_MANY_REQUESTS
    assert "retry-after" not in limited.headers and "x-ratelimit-limit" not in limited.headers
    # the stage is throttled as a whole: any caller, any route, even without a token
    assert gateway_error(Tasq(http, token=None).get("/tickets")) == TOO_MANY_REQUESTS
    mocks.clock.advance(5)  # the bucket refills 2 per 10 s
    assert tasq.get("/users").status_code == 200
    assert gateway_error(tasq.get("/users")) == TOO_MANY_REQUESTS
    assert http.delete("/_mocks/ratelimits", params={"vendor": "tasq"}).status_code == 200
    assert tasq.get("/users").status_code == 200


# -- faults, journal -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "status, body, error_type",
    [
        (500, {"message": "Internal server error"}, "InternalServerErrorException"),
        (502, {"message": "Internal server error"}, "InternalServerErrorException"),
        (504, {"message": "Endpoint request timed out"}, "InternalServerErrorException"),
        (*EXPLICIT_DENY,),
        (*TOO_MANY_REQUESTS,),
    ],
)
def test_injected_faults_in_the_gateways_format(tasq, mocks, status, body, error_type):
    mocks.fault("tasq", status=status, path="/v1/users", method="GET")
    failed = tasq.get("/users")
    assert (failed.status_code, failed.json(), failed.headers["x-amzn-errortype"]) == (status, body, error_type)
    assert tasq.get("/users").status_code == 200  # times=1: spent


def test_injected_4xx_in_the_lambdas_envelope(tasq, mocks):
    mocks.fault("tasq", status=404, path="/v1/profile/*")
    response = tasq.get(f"/profile/{README_USER}")
    assert (response.status_code, response.json()) == (404, failure("Injected failure"))


def test_journal_records_the_exchange(tasq, mocks):
    tasq.get(f"/profile/{README_USER}")
    entry = mocks.journal(vendor="tasq")[-1]
    assert (entry.method, entry.path, entry.status, entry.tenant) == (
        "GET",
        f"/tasq/v1/profile/{README_USER}",
        200,
        "tasq",
    )
    assert entry.request_headers["authorization"] == ADMIN_TOKEN
    assert '"user_phone_number":"+13035555555"' in entry.response_body


# -- the FlaskApp build ------------------------------------------------------------------------------------
@pytest.fixture
def flask_client(flask_mocks):
    with httpx.Client(base_url=flask_mocks.server.url) as client:
        yield client


PARITY = [
    *OPERATIONS,
    ("GET", "/profile/nobody@tasqinc.com", None),
    ("PUT", "/profile", {"username": JOHN, "Team": "Team_1"}),
    ("POST", "/tickets", {"Username": README_USER}),
    ("GET", "/tickets/abc", None),
    ("DELETE", "/profile", None),
    ("GET", "/users/a%0Ab", None),
    ("HEAD", f"/profile/{README_USER}", None),
]


def test_flask_build_answers_like_the_async_build(http, mocks, flask_mocks, flask_client):
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # both worlds seeded at the same instant
    mocks.clock.freeze(moment)
    flask_mocks.clock.freeze(moment)
    for token in (ADMIN_TOKEN, USER_TOKEN, f"Bearer {ADMIN_TOKEN}", None):
        for method, path, body in PARITY:
            a = Tasq(http, token=token).request(method, path, body)
            f = Tasq(flask_client, token=token).request(method, path, body)
            assert (a.status_code, a.headers["content-type"], a.headers.get("x-amzn-errortype"), a.content) == (
                f.status_code,
                f.headers["content-type"],
                f.headers.get("x-amzn-errortype"),
                f.content,
            ), (token, method, path)
    assert ok(Tasq(flask_client).get(f"/profile/{README_USER}"))["username"] == README_USER
