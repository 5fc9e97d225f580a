"""The shared store: what the workers of one mock keep in one Redis (`Suite(store="redis://...")`), so N workers
behave as one mock. docs/design/redis-scale-out.md is the design; this module puts its pieces together:

- worlds: each worker's replica, caught up once per request (core/worlds_redis.py);
- the virtual clock (core/clock_redis.py);
- injected faults, a fault's `times` counted across workers (core/faults_redis.py);
- rate limits: the counters, and the limiter's switch and rule overrides (core/ratelimit_redis.py);
- the journal (core/journal_redis.py);
- vendor state kept outside worlds, through `Vendor.share` (`SharedMap`: Tasq's token directory).

Connections belong to an event loop, so they are made on the loop that serves (the first request on it), not
when the Suite is built; a Redis that cannot be reached then, or later, makes the request a 503 in the vendor's
own format (middleware/shared_state.py), and the connection comes back on its own when Redis does.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from .clock_redis import SharedClock
from .faults_redis import SharedFaults
from .journal_redis import SharedJournal
from .ratelimit_redis import SharedRateLimits
from .redis_client import BlockingRedis, Redis, RedisAddress, RedisReplyError, RedisUnavailable, parse_store_url
from .worlds_redis import LockTimeout, SharedWorlds, StaleWorld

if TYPE_CHECKING:
    from .app import Suite
    from .context import RequestContext
    from .errors import VendorProblem

log = logging.getLogger("mocks")


class SharedMap:
    """A string map in one Redis hash for vendor state kept outside worlds (Vendor.share), read and written
    synchronously: its callers are synchronous vendor rules (which tenant a token belongs to). Reads that
    Redis cannot answer give None (the request's own gate then answers the vendor's 503); a failed write raises
    (the transaction it is part of is undone)."""

    def __init__(self, address: RedisAddress, key: str) -> None:
        self.redis = BlockingRedis(address, timeout=1)
        self.key = key
        self._lock = threading.Lock()  # one connection; suites served by threads of one process may share a vendor

    def get(self, field: str) -> str | None:
        try:
            with self._lock:
                value = self.redis.call("HGET", self.key, field)
        except (RedisUnavailable, RedisReplyError):
            return None
        return value.decode() if value is not None else None

    def put(self, field: str, value: str) -> None:
        with self._lock:
            self.redis.call("HSET", self.key, field, value)

    def close(self) -> None:
        with self._lock:
            self.redis.close()


class SharedStore:
    # what makes a request a 503 rather than a 500: the store, not the request, is at fault
    FAILURES = (RedisUnavailable, RedisReplyError, LockTimeout, StaleWorld)

    def __init__(self, suite: Suite, url: str, namespace: str = "mocks:") -> None:
        self.suite = suite
        self.url = url
        self.address: RedisAddress = parse_store_url(url)  # ValueError saying what is wrong with the URL
        self.namespace = namespace
        self.committer = BlockingRedis(self.address)
        self.redis: Redis | None = None
        self.worlds: SharedWorlds | None = None
        self.clock: SharedClock | None = None
        self.faults: SharedFaults | None = None
        self.rates: SharedRateLimits | None = None
        self.journal: SharedJournal | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._joining: asyncio.Future | None = None
        self.lost = False  # logged once when Redis goes away, once when it is back
        self._maps: list[SharedMap] = []
        for vendor in suite.vendors.values():
            vendor.share(self._map)

    @property
    def worker(self) -> str:
        """This worker among those sharing the store (its process, and its suite within the process), for what a
        worker makes on its own that must not collide with another's (a per-worker count in an id)."""
        return f"{os.getpid()}.{id(self.suite)}"

    def _map(self, name: str) -> SharedMap:
        shared = SharedMap(self.address, f"{self.namespace}map:{name}")
        self._maps.append(shared)
        return shared

    async def ready(self) -> None:
        """Connected on the running loop, the clock joined (once per loop; concurrent first requests wait)."""
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        if self._joining is None or self._joining.get_loop() is not loop:
            self._joining = loop.create_task(self._join(loop))
        await asyncio.shield(self._joining)

    async def _join(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            redis = Redis(self.address)
            await redis.connect()
            clock = SharedClock(redis, self.suite.clock, self.namespace)
            await clock.join()
            faults = SharedFaults(redis, self.suite.faults, self.namespace)
            await faults.refresh()
            rates = SharedRateLimits(redis, self.suite.limiter, self.namespace)
            await rates.refresh()
        except BaseException:
            self._joining = None  # the next request tries again
            raise
        self.redis, self.clock, self.faults, self.rates = redis, clock, faults, rates
        journal = self.suite.journal
        self.journal = SharedJournal(
            redis,
            journal.capacity,
            self.namespace,
            max_bytes=journal.max_bytes,
            body_limit=journal.body_limit,
            failed=self.failed,
        )
        journal.shared = self.journal
        self.worlds = SharedWorlds(
            self.suite.worlds,
            redis,
            self.committer,
            self.namespace,
            clock_key=clock.key,
            faults_generation_key=faults.keys[2],
        )
        self._loop = loop

    @asynccontextmanager
    async def holding(self, vendor: str, tenant: str) -> AsyncIterator[None]:
        """The world caught up and write-locked for an operation outside any request (the admin API), and kept:
        a world the admin API touched exists, as in the embedded store."""
        await self.ready()
        assert self.worlds is not None
        token = uuid.uuid4().hex
        world = await self.worlds.sync(vendor, tenant, token=token)
        try:
            await self.worlds.confirm(world)
            yield
        finally:
            await self.worlds.release(vendor, tenant, token)

    async def reset(self, vendor: str | None = None, tenant: str | None = None) -> int:
        """Suite.reset for every worker: matching worlds forgotten; for everything also the seed and the clock as
        the server started, faults, rate limits (defaults, switched on, counters cleared) and the journal; for one
        vendor its rate counters. Returns the worlds forgotten."""
        await self.ready()
        assert self.worlds and self.clock and self.faults and self.rates and self.journal
        dropped = await self.worlds.reset(vendor, tenant)
        if vendor is None and tenant is None:
            await self.worlds.reseed(self.suite.start_seed)
            await self.clock.move(lambda clock: clock.reset())
            await self.faults.clear()
            await self.rates.publish(list(self.suite.vendors))
            await self.journal.clear()
        elif tenant is None:
            await self.rates.counts.clear(vendor)
        return dropped

    async def snapshot(self) -> dict:
        """Every world any worker keeps, each caught up, and the seed (GET /_mocks/snapshot's document)."""
        await self.ready()
        assert self.worlds is not None
        seed = await self.worlds.seed()
        kept = [await self.worlds.sync(vendor, tenant) for vendor, tenant in await self.worlds.tenants()]
        return {"seed": seed, "worlds": [world.dump() for world in kept]}

    async def restore_if_empty(self, snapshot: dict) -> bool:
        """Restore a checked snapshot unless the store already holds worlds (another worker or replica started
        first, or Redis kept them): a restart of one replica never rolls the others back."""
        await self.ready()
        assert self.worlds is not None
        if await self.worlds.tenants():
            return False
        await self.worlds.restore(snapshot)
        return True

    def unavailable(self, error: BaseException, context: RequestContext) -> VendorProblem:
        """The answer to a request the store failed: the vendor's own 503 (its injected-fault renderer), the
        failure logged once."""
        self.failed(error)
        return context.vendor.fault(503, context)

    def failed(self, error: BaseException) -> None:
        """A request failed on the store: one WARNING when Redis is lost (not one per request)."""
        if isinstance(error, RedisUnavailable):
            if not self.lost:
                log.warning("shared store %s: %s; answering 503 until it is back", self.address, error)
            self.lost = True
        else:
            log.info("shared store %s: %s", self.address, error)

    def answered(self) -> None:
        if self.lost:
            log.info("shared store %s: reachable again", self.address)
            self.lost = False

    def disconnect(self) -> None:
        """Close this process's connections, from any thread (the asynchronous one on its own loop, while that
        still runs), keeping the vendors' state shared: a process about to fork workers, each of which connects
        on its own, or one that is done with the store."""
        self.committer.close()
        for shared in self._maps:
            shared.close()
        redis, loop = self.redis, self._loop
        self.redis = self.worlds = self.clock = self.faults = self.rates = self.journal = None
        self.suite.journal.shared = None
        self._loop = self._joining = None
        if redis is None or loop is None or loop.is_closed():
            return
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        if here is loop or not loop.is_running():
            redis.close()
        else:
            loop.call_soon_threadsafe(redis.close)

    def close(self) -> None:
        """Disconnect, and the vendors go back to keeping their state in process memory (a suite done with)."""
        for vendor in self.suite.vendors.values():
            vendor.share(None)
        self.disconnect()
