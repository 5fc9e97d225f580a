from datetime import UTC, datetime

import pytest

from mocks.core.clock import VirtualClock
from mocks.core.ratelimit import RateLimiter, RateRule, RequestInfo, laravel_429_headers, laravel_headers


def info(method="GET", auth="Bearer a", client="1.2.3.4"):
    return RequestInfo("v", "t", method, "/v/x", "/x", {"authorization": auth} if auth else {}, client)


@pytest.fixture
def limiter():
    limiter = RateLimiter(VirtualClock(datetime(2026, 1, 1, tzinfo=UTC), frozen=True))
    limiter.register("v", [RateRule("reads", 3, 60, applies=lambda i: i.method == "GET")])
    return limiter


def test_fixed_window_counts_then_denies_without_counting(limiter):
    remaining = [limiter.check(info())[0].remaining for _ in range(3)]
    assert remaining == [2, 1, 0]
    denied = limiter.check(info())[0]
    assert (denied.allowed, denied.retry_after) == (False, 60)
    limiter.clock.advance(59)
    assert limiter.check(info())[0].retry_after == 1
    limiter.clock.advance(1)
    assert limiter.check(info())[0].allowed


def test_rules_apply_and_key_per_credential(limiter):
    assert limiter.check(info(method="POST")) == []
    for _ in range(3):
        limiter.check(info())
    assert not limiter.check(info())[0].allowed
    assert limiter.check(info(auth="Bearer b"))[0].allowed
    assert limiter.check(info(auth=None))[0].allowed  # unauthenticated: keyed by address


def test_override_and_restore(limiter):
    limiter.override("v", "reads", limit=1)
    limiter.check(info())
    assert not limiter.check(info())[0].allowed
    limiter.restore_defaults()
    assert limiter.check(info())[0].allowed
    with pytest.raises(KeyError):
        limiter.override("v", "nope", limit=1)
    limiter.override("v", enabled=False)
    assert limiter.check(info()) == []


def test_token_bucket_refills(limiter):
    limiter.register("v", [RateRule("bucket", 2, 10, algorithm="bucket")])  # 1 token per 5 s
    assert [limiter.check(info())[0].allowed for _ in range(3)] == [True, True, False]
    limiter.clock.advance(5)
    assert limiter.check(info())[0].allowed
    assert not limiter.check(info())[0].allowed


def test_cooldown_after_exceeding(limiter):
    limiter.register("v", [RateRule("auth", 2, 60, cooldown=60)])
    limiter.check(info()), limiter.check(info())
    limiter.clock.advance(30)
    assert limiter.check(info())[0].retry_after == 60  # blocked for 60 s from the excess, not the window end
    limiter.clock.advance(45)  # window over, still cooling down
    assert not limiter.check(info())[0].allowed
    limiter.clock.advance(15)
    assert limiter.check(info())[0].allowed


def test_counters_stay_bounded():
    limiter = RateLimiter(VirtualClock(), max_keys=10)
    limiter.register("v", [RateRule("all", 5, 60)])
    for n in range(100):
        limiter.check(info(auth=f"Bearer {n}"))
    assert len(limiter._counters) <= 10


def test_laravel_header_profile(limiter):
    allowed = limiter.check(info())
    assert laravel_headers(allowed) == {"X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "2"}
    limiter.check(info()), limiter.check(info())
    denied = limiter.check(info())[0]
    assert laravel_429_headers(denied) == {
        "X-RateLimit-Limit": "3",
        "X-RateLimit-Remaining": "0",
        "Retry-After": "60",
        "X-RateLimit-Reset": str(int(limiter.clock.time()) + 60),
    }


def test_default_key_is_the_token_however_bearer_is_spelled(limiter):
    for _ in range(3):
        limiter.check(info(auth="Bearer tok"))
    assert not limiter.check(info(auth="bearer tok"))[0].allowed
    assert not limiter.check(info(auth="Bearer   tok "))[0].allowed
    assert limiter.check(info(auth="Bearer other"))[0].allowed


def test_stages_follow_switches_and_overrides():
    """A rule counts in its stage (edge or after routing) only while enabled; overrides and restores take effect
    on the next request."""
    limiter = RateLimiter(VirtualClock(datetime(2026, 1, 1, tzinfo=UTC), frozen=True))
    limiter.register("v", [RateRule("edge", 5, 60), RateRule("routed", 2, 60, after_routing=True)])
    assert [d.rule.name for d in limiter.check(info())] == ["edge"]
    assert [d.rule.name for d in limiter.check(info(), after_routing=True)] == ["routed"]
    assert limiter.counts_after_routing("v")
    limiter.override("v", "routed", enabled=False)
    assert limiter.check(info(), after_routing=True) == [] and not limiter.counts_after_routing("v")
    limiter.override("v", "edge", limit=1)  # counters cleared: one allowed, then denied
    assert [d.allowed for d in limiter.check(info()) + limiter.check(info())] == [True, False]
    limiter.restore_defaults("v")
    assert limiter.counts_after_routing("v")
    assert [(d.rule.name, d.remaining) for d in limiter.check(info(), after_routing=True)] == [("routed", 1)]
