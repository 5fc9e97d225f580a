"""Shared faults (core/faults_redis.py) against a real redis-server: two workers, each with its own
FaultInjector copy and connection, see one list and spend a fault's `times` together, exactly."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import pytest

from mocks.core.faults import FaultInjector
from mocks.core.faults_redis import SharedFaults
from tests.redis_server import connected

VENDORS = {"piwik_pro", "eloomi"}
USERS = ("piwik_pro", "GET", "/piwik_pro/api/users/v2", "/api/users/v2")


@asynccontextmanager
async def _workers(url: str, namespace: str):
    async with connected(url, 2) as connections:
        yield [SharedFaults(redis, FaultInjector(), namespace) for redis in connections]


def test_a_fault_added_through_one_worker_answers_on_the_other(redis_server):
    async def scenario():
        async with _workers(redis_server.url, "seen:") as (a, b):
            added = await a.add({"vendor": "piwik_pro", "path": "/api/users/*", "status": 503}, known_vendors=VENDORS)
            taken = await b.take(*USERS)
            again = await a.take(*USERS)
            return added, taken, again, a.injector.list(), b.injector.list()

    added, taken, again, left_a, left_b = asyncio.run(scenario())
    assert (taken.id, taken.status, taken.hits) == (added.id, 503, 1)
    assert again is None and left_a == left_b == []  # times defaults to 1: spent for both


def test_times_n_fires_exactly_n_times_across_parallel_workers(redis_server):
    async def scenario():
        async with _workers(redis_server.url, "race:") as (a, b):
            await a.add({"status": 500, "times": 10}, known_vendors=VENDORS)
            await b.refresh()
            answers = await asyncio.gather(*(worker.take(*USERS) for _ in range(30) for worker in (a, b)))
            return [answer for answer in answers if answer is not None]

    taken = asyncio.run(scenario())
    assert len(taken) == 10 and sorted(f.hits for f in taken)[-1] == 10


def test_an_unlimited_fault_counts_every_workers_hits_until_removed(redis_server):
    async def scenario():
        async with _workers(redis_server.url, "unlimited:") as (a, b):
            fault = await a.add({"latency_ms": 5, "times": None}, known_vendors=VENDORS)
            for _ in range(3):
                await a.take(*USERS)
                await b.take(*USERS)
            counted = int(await a.redis.call("HGET", "unlimited:faults:hits", fault.id))
            removed = await b.remove(fault.id)
            after = await a.take(*USERS)
            return counted, b.injector.list(), removed, after

    counted, listed_on_b, removed, after = asyncio.run(scenario())
    assert counted == 6 and listed_on_b == [] and removed is True and after is None


def test_bad_faults_are_refused_as_the_embedded_store_refuses_them(redis_server):
    async def scenario():
        async with _workers(redis_server.url, "bad:") as (a, _):
            with pytest.raises(ValueError, match="'times' must be a positive integer or null"):
                await a.add({"status": 500, "times": 0}, known_vendors=VENDORS)
            with pytest.raises(ValueError, match="unknown vendor 'tasq'"):
                await a.add({"status": 500, "vendor": "tasq"}, known_vendors=VENDORS)
            await a.refresh()
            return a.injector.list(), await a.redis.call("HLEN", "bad:faults")

    assert asyncio.run(scenario()) == ([], 0)


def test_clear_empties_every_workers_list(redis_server):
    async def scenario():
        async with _workers(redis_server.url, "clear:") as (a, b):
            await a.add({"status": 500, "times": None}, known_vendors=VENDORS)
            await b.refresh()
            await a.clear()
            return await b.take(*USERS)

    assert asyncio.run(scenario()) is None


def test_the_shared_list_is_bounded_as_the_embedded_one(redis_server):
    async def scenario():
        async with _workers(redis_server.url, "full:") as (a, b):
            a.max_faults = b.max_faults = 2
            await a.add({"status": 500, "times": None}, known_vendors=VENDORS)
            await b.add({"status": 502, "times": None}, known_vendors=VENDORS)
            with pytest.raises(ValueError, match=r"too many faults \(2\); delete some first"):
                await a.add({"status": 503}, known_vendors=VENDORS)
            await b.refresh()
            return [fault.status for fault in b.injector.list()]

    assert asyncio.run(scenario()) == [500, 502]
