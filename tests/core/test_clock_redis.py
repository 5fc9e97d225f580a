"""The shared clock (core/clock_redis.py) against a real redis-server: two workers, each with its own
VirtualClock and connection, read one virtual time however it is moved and through whichever of them."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import pytest

from mocks.core.clock import VirtualClock, parse_instant
from mocks.core.clock_redis import SharedClock
from tests.redis_server import connected

START = parse_instant("2026-01-01T00:00:00Z").timestamp()


@pytest.fixture
def redis_url(redis_server):
    return redis_server.url


@asynccontextmanager
async def _workers(url: str, namespace: str, *clocks: VirtualClock):
    """One SharedClock per clock, joined in order (the first one's clock becomes the shared one)."""
    async with connected(url, len(clocks)) as connections:
        shared = [SharedClock(redis, clock, namespace) for redis, clock in zip(connections, clocks, strict=True)]
        for worker in shared:
            await worker.join()
        yield shared


def test_the_first_worker_sets_the_clock_and_a_move_through_one_is_read_by_the_other(redis_url):
    async def scenario():
        first, second = VirtualClock("2026-01-01T00:00:00Z", frozen=True), VirtualClock()
        async with _workers(redis_url, "join:", first, second) as (a, b):
            joined = second.time(), second.frozen
            await a.move(lambda clock: clock.advance("PT1H"))
            moved = await b.refresh()
            return joined, moved, first.time(), second.time()

    (joined, frozen), moved, first, second = asyncio.run(scenario())
    assert (joined, frozen) == (START, True)
    assert moved is True and first == second == START + 3600


def test_a_flowing_clock_flows_alike_on_both(redis_url):
    async def scenario():
        first, second = VirtualClock("2026-01-01T00:00:00Z", frozen=True), VirtualClock(frozen=True)
        async with _workers(redis_url, "flow:", first, second) as (a, b):
            await b.move(lambda clock: clock.unfreeze())
            await a.refresh()
            await asyncio.sleep(0.2)
            return first.frozen, first.time(), second.time()

    frozen, first, second = asyncio.run(scenario())
    assert frozen is False
    assert START + 0.15 < first < START + 5 and abs(first - second) < 0.05


def test_moves_apply_all_or_none(redis_url):
    async def scenario():
        first, second = VirtualClock("2026-01-01T00:00:00Z", frozen=True), VirtualClock(frozen=True)
        async with _workers(redis_url, "atomic:", first, second) as (a, b):
            joined = a.generation
            with pytest.raises(ValueError, match="must stay within"):
                await a.move(lambda clock: (clock.advance(60), clock.set("9999-01-01T00:00:00Z")))
            changed = await b.refresh()
            return first.time(), changed, second.time(), a.generation == joined

    first, changed, second, unmoved = asyncio.run(scenario())
    assert first == second == START and changed is False and unmoved


def test_concurrent_moves_through_both_workers_all_land(redis_url):
    async def scenario():
        first, second = VirtualClock("2026-01-01T00:00:00Z", frozen=True), VirtualClock(frozen=True)
        async with _workers(redis_url, "race:", first, second) as (a, b):
            await asyncio.gather(*(worker.move(lambda c: c.advance(1)) for _ in range(20) for worker in (a, b)))
            await a.refresh()
            await b.refresh()
            return first.time(), second.time()

    assert asyncio.run(scenario()) == (START + 40, START + 40)


def test_reset_through_either_returns_both_to_the_shared_start(redis_url):
    async def scenario():
        first, second = VirtualClock("2026-01-01T00:00:00Z", frozen=True), VirtualClock("2030-05-05T00:00:00Z")
        async with _workers(redis_url, "reset:", first, second) as (a, b):
            await a.move(lambda clock: clock.set("2027-02-02T00:00:00Z"))
            await b.move(lambda clock: clock.reset())
            await a.refresh()
            return first.time(), second.time(), second.frozen

    assert asyncio.run(scenario()) == (START, START, True)


def test_a_clock_redis_lost_is_published_again_by_the_next_worker_to_look(redis_url):
    async def scenario():
        first, second = VirtualClock("2026-01-01T00:00:00Z", frozen=True), VirtualClock(frozen=True)
        async with _workers(redis_url, "lost:", first, second) as (a, b):
            await a.move(lambda clock: clock.advance(30))
            await a.redis.call("DEL", "lost:clock", "lost:clock:start")  # a Redis restarted without persistence
            rejoined = await a.refresh()
            await b.refresh()
            await b.move(lambda clock: clock.advance(1))
            await a.refresh()
            return rejoined, first.time(), second.time()

    assert asyncio.run(scenario()) == (True, START + 31, START + 31)
