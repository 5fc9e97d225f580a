"""The shared rate counters (core/ratelimit_redis.py) against a real redis-server: the same decisions as the
in-memory limiter for any sequence of requests on the virtual clock, and exact limits under parallel workers."""

from __future__ import annotations

import asyncio
import random
from contextlib import asynccontextmanager

import pytest

from mocks.core.clock import VirtualClock
from mocks.core.ratelimit import RateLimiter, RateRule, RequestInfo
from mocks.core.ratelimit_redis import RedisRateCounts
from tests.redis_server import connected


def _sent(info: RequestInfo) -> str | None:
    return info.header("x-key")


def _listed(name: str):
    return lambda info: name in info.header("x-rules", "").split(",")


# each request names the rules it is counted under (x-rules) and its key (x-key)
RULES = [
    RateRule("minute", 5, 60, applies=_listed("minute"), key=_sent),
    RateRule("second", 3, 1.5, applies=_listed("second"), key=_sent),
    RateRule("bucket", 4, 2, algorithm="bucket", applies=_listed("bucket"), key=_sent),
    RateRule("login", 2, 10, cooldown=30, applies=_listed("login"), key=_sent),
]


@pytest.fixture
def redis_url(redis_server):
    return redis_server.url


@asynccontextmanager
async def _counts(url: str, namespace: str):
    async with connected(url) as (redis,):
        yield RedisRateCounts(redis, namespace)


def _shape(decisions):
    return [(d.rule.name, d.allowed, d.limit, d.remaining, d.reset_at, d.retry_after) for d in decisions]


@pytest.mark.parametrize("seed", range(5))
def test_the_same_decisions_as_the_in_memory_limiter(redis_url, seed):
    pick = random.Random(seed)
    clock = VirtualClock("2023-11-14T22:13:20Z", frozen=True)
    limiter = RateLimiter(clock)
    limiter.register("v", RULES)

    async def scenario():
        compared = denied = 0
        async with _counts(redis_url, f"test{seed}:") as shared:
            for _ in range(400):
                clock.advance(pick.choice([0, 0, 0.05, 0.3, 0.7, 1.1, 5, 31, 61]))
                rules = sorted(pick.sample(RULES, pick.randint(1, len(RULES))), key=RULES.index)
                key = pick.choice(["alice", "bob"])
                headers = {"x-rules": ",".join(rule.name for rule in rules), "x-key": key}
                expected = _shape(limiter.check(RequestInfo("v", None, "GET", "/", "/", headers, "127.0.0.1")))
                counted = [(rule, key) for rule in rules]  # what the request path will hand the shared counts
                got = _shape(await shared.count("v", counted, clock.time()))
                assert got == expected, (clock.time(), headers)
                compared += 1
                denied += not expected[-1][1]
        return compared, denied

    compared, denied = asyncio.run(scenario())
    assert compared == 400 and 40 < denied < 360  # both answers were exercised


def test_parallel_workers_share_one_limit_exactly(redis_url):
    """Two connections (two workers) fire 60 requests each at once against a limit of 25: 25 are allowed."""
    rule = RateRule("burst", 25, 60)

    async def worker(shared: RedisRateCounts) -> list[bool]:
        answers = await asyncio.gather(*(shared.count("v", [(rule, "same-token")], 1000.0) for _ in range(60)))
        return [decisions[0].allowed for decisions in answers]

    async def scenario():
        async with _counts(redis_url, "race:") as first, _counts(redis_url, "race:") as second:
            results = await asyncio.gather(worker(first), worker(second))
            return results, (await first.count("v", [(rule, "same-token")], 1000.0))[0]

    (one, two), after = asyncio.run(scenario())
    assert sum(one) + sum(two) == 25
    assert after.allowed is False and after.retry_after == 60


def test_no_token_is_stored(redis_url):
    async def scenario():
        async with _counts(redis_url, "secret:") as shared:
            await shared.count("v", [(RULES[0], "bearer:eyJ-very-secret")], 5.0)
            fields = await shared.redis.call("HKEYS", "secret:rl:c:v")
            await shared.clear("v")
            return fields, await shared.redis.call("EXISTS", "secret:rl:c:v")

    fields, left = asyncio.run(scenario())
    assert len(fields) == 1 and b"secret" not in fields[0] and fields[0].startswith(b"minute\x1f")
    assert left == 0
