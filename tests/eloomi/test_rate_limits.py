"""README "Rate Limiting": 600 requests per 60 s per token, X-RateLimit-Limit/-Remaining on every response;
on exhaustion Laravel's 429 with Retry-After and X-RateLimit-Reset (inferred: eloomi only says a reset header
appears)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from .conftest import CLIENT_ID, Eloomi


def test_headers_count_down_on_every_kind_of_response(eloomi):
    responses = [
        eloomi.get("/v3/users/1"),
        eloomi.get("/v3/users/999999"),
        eloomi.send("POST", "/v3/users", {}),
        eloomi.get("/v3/units"),
        eloomi.client.get("/eloomi/v3/users", headers={"Authorization": f"Bearer {eloomi.token}"}),
    ]
    assert [r.status_code for r in responses] == [200, 204, 400, 200, 401]
    assert [r.headers["x-ratelimit-limit"] for r in responses] == ["600"] * 5
    assert [r.headers["x-ratelimit-remaining"] for r in responses] == ["599", "598", "597", "596", "595"]


def test_the_601st_request_in_a_minute_is_throttled(eloomi, mocks):
    mocks.clock.freeze(datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC))  # Laravel counts whole seconds
    remaining = [eloomi.get("/v3/courses/1").headers["x-ratelimit-remaining"] for _ in range(600)]
    assert remaining == [str(n) for n in range(599, -1, -1)]
    mocks.clock.advance(45)
    limited = eloomi.get("/v3/courses/1")
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "text/html; charset=UTF-8"
    assert limited.text == "Too Many Attempts."
    assert limited.headers["x-ratelimit-limit"] == "600"
    assert limited.headers["x-ratelimit-remaining"] == "0"
    assert limited.headers["retry-after"] == "15"
    assert limited.headers["x-ratelimit-reset"] == str(int(mocks.clock.time()) + 15)
    mocks.clock.advance(15)
    fresh = eloomi.get("/v3/courses/1")
    assert (fresh.status_code, fresh.headers["x-ratelimit-remaining"]) == (200, "599")


def test_limits_are_per_token(http, mocks):
    mocks.limit("eloomi", "api", 2)
    first, second = Eloomi(http), Eloomi(http)
    assert [first.get("/v3/users/1").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/v3/users/1").status_code == 200


def test_token_endpoint_has_passports_own_throttle(http, mocks):
    """Passport's route carries Laravel's default `throttle` (60 per minute, per client address)."""
    mocks.limit("eloomi", "token", 2)
    responses = [http.post("/eloomi/oauth/token", data={"grant_type": "client_credentials"}) for _ in range(3)]
    assert [r.status_code for r in responses] == [400, 400, 429]
    assert responses[0].headers["x-ratelimit-limit"] == "2"
    assert responses[2].text == "Too Many Attempts."


def test_limits_listed_by_the_admin_api(http):
    rules = {r["rule"]: r for r in http.get("/_mocks/ratelimits").json()["vendors"]["eloomi"]}
    assert (rules["api"]["limit"], rules["api"]["window_seconds"], rules["api"]["inferred"]) == (600, 60, False)
    assert (rules["token"]["limit"], rules["token"]["inferred"]) == (60, True)


def test_unthrottled_paths_carry_no_headers(http):
    response = http.get("/eloomi/nothing-here", headers={"ClientId": CLIENT_ID})
    assert response.status_code == 404
    assert "x-ratelimit-limit" not in response.headers


@pytest.mark.parametrize("build", ["async", "flask"])
def test_only_requests_a_route_serves_are_counted_on_both_builds(request, build):
    """Laravel's `throttle` is route middleware (the engine's RateRule.after_routing): a 404, a 405 and the
    router's own OPTIONS answer run no route middleware, so they neither count nor carry X-RateLimit headers;
    a routed request counts before authentication (its 401 is counted, as the first test shows)."""
    mocks = request.getfixturevalue("mocks" if build == "async" else "flask_mocks")
    mocks.limit("eloomi", "api", 2)
    mocks.clock.freeze(datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC))  # whole seconds: Retry-After is exact
    with httpx.Client(base_url=mocks.server.url) as http:
        eloomi = Eloomi(http)
        unrouted = [
            eloomi.get("/v3/nothing-here"),
            eloomi.send("POST", "/v3/users/1", {}),
            http.options("/eloomi/v3/users", headers={"Origin": "https://example.org"}),
        ]
        assert [r.status_code for r in unrouted] == [404, 405, 200]
        assert all("x-ratelimit-limit" not in r.headers for r in unrouted)
        routed = [eloomi.get("/v3/users/1") for _ in range(3)]
        assert [r.status_code for r in routed] == [200, 200, 429]
        assert (routed[2].text, routed[2].headers["retry-after"]) == ("Too Many Attempts.", "60")
        assert [r.headers["x-ratelimit-remaining"] for r in routed] == ["1", "0", "0"]
    rules = {r["rule"]: r for r in mocks.suite.limiter.describe()["eloomi"]}
    assert rules["api"]["after_routing"] and rules["token"]["after_routing"]
