"""Worlds shared through Redis (core/worlds_redis.py) against a real redis-server: each simulated worker has its own
TenantWorlds (every vendor registered), clock and connections; what one commits, the others hold after `sync()`.

The workers' clocks are an hour apart on purpose: a world is seeded at the instant Redis records for it, so the
replicas still agree (tests/core/test_seeding_birth.py shows that seeding at different instants differs).
"""

from __future__ import annotations

import asyncio
import json
import random
from contextlib import asynccontextmanager

import pytest

from mocks.core.clock import VirtualClock
from mocks.core.redis_client import BlockingRedis, RedisUnavailable, parse_store_url
from mocks.core.store import TenantWorlds
from mocks.core.worlds_redis import COMMIT, LockTimeout, SharedWorlds, StaleWorld
from mocks.registry import load_vendors
from tests.redis_server import connected

VENDORS = load_vendors()
HOUR = 3600


def _local_worlds(offset: float) -> TenantWorlds:
    worlds = TenantWorlds(VirtualClock(f"2026-03-02T10:00:{int(offset) % 60:02d}Z", frozen=True), 0)
    worlds.clock.advance(offset - offset % 60)
    for vendor in VENDORS:
        worlds.register(vendor.name, vendor.seed, locale=vendor.locale, restored=vendor.restored)
    return worlds


@asynccontextmanager
async def _workers(url: str, namespace: str, count: int = 2, **options):
    """`count` workers sharing the Redis at `url`; worker i's clock is i hours ahead of worker 0's."""
    async with connected(url, count) as connections:
        committers = [BlockingRedis(parse_store_url(url)) for _ in range(count)]
        try:
            yield [
                SharedWorlds(_local_worlds(i * HOUR), redis, committer, namespace, **options)
                for i, (redis, committer) in enumerate(zip(connections, committers, strict=True))
            ]
        finally:
            for committer in committers:
                committer.close()


def _state(world) -> str:
    return json.dumps(world.dump(), sort_keys=True, default=str)


def _add_user(world, email: str) -> None:
    with world.transaction():
        users = world["test_users"]
        users.insert({"id": users.next_id(), "email": email, "name": world.rnd.faker.name()})


@pytest.fixture
def url(redis_server):
    return redis_server.url


@pytest.mark.parametrize("vendor", [v.name for v in VENDORS])
def test_a_world_written_through_one_worker_is_the_same_world_on_the_other(url, vendor):
    async def scenario():
        async with _workers(url, f"same-{vendor}:") as (a, b):
            tenant = "acme"
            world_a = await a.sync(vendor, tenant)
            _add_user(world_a, "ada@example.com")
            world_a.update_settings({"switch": True})
            world_b = await b.sync(vendor, tenant)
            return _state(world_a), _state(world_b), world_b["test_users"].values()

    on_a, on_b, users = asyncio.run(scenario())
    assert on_a == on_b
    assert [u["email"] for u in users] == ["ada@example.com"]


def test_random_writes_through_either_worker_leave_every_replica_equal_even_one_that_joins_late(url):
    """Inserts, updates, deletes, sequences, trims and settings in transactions of which 30% fail, through two
    workers in turn; compaction every 7 entries, so the late third worker starts from a base."""

    async def scenario():
        draws = random.Random(11)
        async with _workers(url, "random:", 3, compact_every=7) as (a, b, late):
            for step in range(120):
                worker = (a, b)[draws.random() < 0.5]
                world = await worker.sync("piwik_pro", "acme", token=f"t{step}")
                try:
                    with world.transaction():
                        users = world["test_users"]
                        kind = draws.choice("iiuds")
                        if kind == "i" or not len(users):
                            users.insert({"id": users.next_id(), "name": world.rnd.faker.name()})
                        elif kind == "u":
                            users.update(draws.choice(users.keys()), {"score": world.rnd.random.random()})
                        elif kind == "d":
                            users.delete(draws.choice(users.keys()))
                        else:
                            world.update_settings({"step": step})
                            users.trim_oldest(5)
                        if draws.random() < 0.3:
                            raise ValueError("refused")
                except ValueError:
                    pass
                finally:
                    await worker.release("piwik_pro", "acme", f"t{step}")
            states = [_state(await w.sync("piwik_pro", "acme")) for w in (a, b, late)]
            draws_after = [(await w.sync("piwik_pro", "acme")).rnd.faker.name() for w in (a, b, late)]
            ver, base_ver = await a.redis.call("HMGET", "random:w:piwik_pro:acme", "ver", "base_ver")
            logged = await a.redis.call("LLEN", "random:wlog:piwik_pro:acme")
            return states, draws_after, len(states[0]), (int(ver), int(base_ver), logged)

    states, draws_after, size, (ver, base_ver, logged) = asyncio.run(scenario())
    assert ver > 60 and 0 < base_ver <= ver and ver - base_ver == logged < 7  # compacted: the late one loaded a base
    assert states[0] == states[1] == states[2]
    assert len(set(draws_after)) == 1  # the random generators stand at the same place too
    assert '"test_users"' in states[0] and size > 1000


def test_a_refused_transaction_leaves_redis_untouched(url):
    async def scenario():
        async with _workers(url, "refused:") as (a, b):
            world = await a.sync("tasq", "acme")
            _add_user(world, "ada@example.com")
            before = await a.redis.call("HGET", "refused:w:tasq:acme", "ver")
            with pytest.raises(ValueError):
                with world.transaction():
                    world["test_users"].insert({"id": 99, "email": "x@example.com"})
                    raise ValueError("refused")
            after = await a.redis.call("HGET", "refused:w:tasq:acme", "ver")
            entries = await a.redis.call("LLEN", "refused:wlog:tasq:acme")
            on_b = await b.sync("tasq", "acme")
            return before, after, entries, on_b["test_users"].keys()

    before, after, entries, keys = asyncio.run(scenario())
    assert before == after == b"1"  # one entry: the transaction that added a user
    assert entries == 1 and keys == [1]


def test_a_write_on_a_replica_that_missed_a_write_is_refused_and_undone(url):
    async def scenario():
        async with _workers(url, "missed:") as (a, b):
            world_a, world_b = await a.sync("eloomi", "acme"), await b.sync("eloomi", "acme")
            _add_user(world_a, "ada@example.com")
            before = _state(world_b)
            with pytest.raises(StaleWorld, match="another worker wrote to it first"):
                _add_user(world_b, "bob@example.com")
            unchanged = _state(world_b) == before
            world_b = await b.sync("eloomi", "acme")
            _add_user(world_b, "bob@example.com")
            world_a = await a.sync("eloomi", "acme")
            return unchanged, [u["email"] for u in world_a["test_users"].values()]

    unchanged, emails = asyncio.run(scenario())
    assert unchanged
    assert emails == ["ada@example.com", "bob@example.com"]


def test_the_write_lock_makes_validate_then_create_safe_across_workers(url):
    """Two workers create the same email at once, each checking first that it is free: with the lock, one creates
    and the other sees the first's user (a validation error, not a lost or duplicate write)."""

    async def create(worker: SharedWorlds, token: str) -> str:
        world = await worker.sync("perscom", "acme", token=token)
        try:
            if world["test_users"].find(lambda u: u["email"] == "ada@example.com"):
                return "taken"
            await asyncio.sleep(0.05)  # the other worker's request arrives meanwhile
            _add_user(world, "ada@example.com")
            return "created"
        finally:
            await worker.release("perscom", "acme", token)

    async def scenario():
        async with _workers(url, "unique:") as (a, b):
            outcomes = await asyncio.gather(create(a, "on-a"), create(b, "on-b"))
            world = await a.sync("perscom", "acme")
            return sorted(outcomes), len(world["test_users"])

    assert asyncio.run(scenario()) == (["created", "taken"], 1)


def test_a_lock_held_too_long_times_out_and_an_expired_lease_refuses_the_commit(url):
    async def scenario():
        async with _workers(url, "lease:", lease=0.2, lock_timeout=0.1) as (a, b):
            world = await a.sync("personio", "acme", token="slow")
            with pytest.raises(LockTimeout, match="write lock stayed busy"):
                await b.sync("personio", "acme", token="waiting")
            await asyncio.sleep(0.3)  # the lease runs out
            with pytest.raises(StaleWorld, match="write lock expired"):
                _add_user(world, "ada@example.com")
            taken = await b.sync("personio", "acme", token="next")
            return len(taken["test_users"])

    assert asyncio.run(scenario()) == 0


def test_a_reset_through_one_worker_reseeds_the_world_for_every_worker(url):
    async def scenario():
        async with _workers(url, "reset:") as (a, b):
            fresh = _state(await a.sync("piwik_pro", "acme"))
            _add_user(await a.sync("piwik_pro", "acme"), "ada@example.com")
            stale_b = await b.sync("piwik_pro", "acme")
            assert await a.reset("piwik_pro") == 1
            with pytest.raises(StaleWorld, match="reset meanwhile"):
                _add_user(stale_b, "bob@example.com")  # a write racing the reset
            reborn = await b.sync("piwik_pro", "acme")
            return fresh, _state(reborn), await a.reset("piwik_pro", "nobody")

    fresh, reborn, none = asyncio.run(scenario())
    assert reborn == fresh  # seeded again (both clocks are frozen, so at the same instant)
    assert none == 0


def test_a_commit_whose_reply_was_lost_reaches_the_replica_at_its_next_sync(url, monkeypatch):
    """Redis applied the entry, the reply never came: the transaction is undone here, then replayed from Redis."""

    async def scenario():
        async with _workers(url, "lost:", 1) as (a,):
            world = await a.sync("tasq", "acme")
            run = COMMIT.run_blocking

            def applied_then_lost(*args):
                run(*args)
                raise RedisUnavailable("the connection to Redis was lost")

            monkeypatch.setattr(COMMIT, "run_blocking", applied_then_lost)
            with pytest.raises(RedisUnavailable):
                _add_user(world, "ada@example.com")
            monkeypatch.undo()
            undone = len(world["test_users"])
            world = await a.sync("tasq", "acme")
            _add_user(world, "bob@example.com")
            return undone, [u["email"] for u in world["test_users"].values()]

    assert asyncio.run(scenario()) == (0, ["ada@example.com", "bob@example.com"])


def test_a_sync_answered_after_this_worker_committed_applies_each_entry_once(url):
    """A request's GATE is queued; before it leaves, another request of the same worker commits a delete. The
    reply holds that entry too: it is skipped (applying it again would delete a row that is gone)."""

    async def scenario():
        async with _workers(url, "own:") as (a, b):
            world = await a.sync("eloomi", "acme")
            _add_user(world, "ada@example.com")
            pending = asyncio.ensure_future(a.sync("eloomi", "acme"))
            await asyncio.sleep(0)  # its GATE is queued (sent at the end of this loop turn)
            with world.transaction():
                world["test_users"].delete(1)
            synced = await pending
            return _state(synced), len(synced["test_users"]), _state(await b.sync("eloomi", "acme"))

    on_a, users, on_b = asyncio.run(scenario())
    assert users == 0 and on_a == on_b


def test_beyond_max_worlds_the_least_recently_touched_world_is_forgotten_for_every_worker(url):
    async def scenario():
        async with _workers(url, "bound:") as (a, b):
            a.worlds.max_worlds = b.worlds.max_worlds = 2
            _add_user(await a.sync("tasq", "one"), "ada@example.com")  # a write keeps a world
            await b.confirm(await b.sync("tasq", "two"))  # so does a request that authenticated
            for made_up in range(5):  # worlds of refused requests are provisional: they count for nothing
                await a.sync("tasq", f"made-up-{made_up}")
            expiring = await a.redis.call("PTTL", "bound:w:tasq:made-up-0")
            await a.sync("tasq", "one")  # touched again: "two" is now the oldest
            await b.confirm(await b.sync("tasq", "three"))
            kept = await a.tenants()
            one = await b.sync("tasq", "one")
            return kept, [u["email"] for u in one["test_users"].values()], await a.tenants("eloomi"), expiring

    kept, emails, none, expiring = asyncio.run(scenario())
    assert kept == [("tasq", "one"), ("tasq", "three")]
    assert 0 < expiring <= 60_000
    assert emails == ["ada@example.com"] and none == []
