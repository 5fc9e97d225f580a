"""The shared store's gate (core/shared_store.py; only when the suite has one): before the vendor's code runs,
the request's world is caught up with every worker's writes, and the clock and faults reloaded if another worker
moved them (one round trip tells: core/worlds_redis.py GATE). A request that may
write (any method but GET, HEAD, OPTIONS) also takes the world's write lock, given back when the exchange ends,
so validate-then-write holds across workers. When the store fails, the answer is the vendor's 503.

A read that writes (Tasq's authorizer cache, a rotated Personio token) takes no lock; when its first commit finds
the replica behind another worker's write (`StaleRead`), the request runs once more on the caught-up world, this
time holding the lock, instead of failing: the client sees one answer, as from a single worker."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable

from .exchange import Exchange, Rerun, Step, send_problem

READS = frozenset({"GET", "HEAD", "OPTIONS"})


class SharedState(Step):
    @classmethod
    def wanted(cls, suite) -> bool:
        return suite.shared is not None

    def before(self, exchange: Exchange) -> bool | Awaitable[bool]:
        return self._gate(exchange, None if exchange.scope["method"] in READS else uuid.uuid4().hex)

    async def _gate(self, exchange: Exchange, token: str | None) -> bool:
        shared = self.suite.shared
        assert shared is not None
        context = exchange.context
        try:
            await shared.ready()
            assert shared.clock is not None and shared.worlds is not None and shared.faults is not None
            world = await shared.worlds.sync(exchange.vendor.name, context.tenant, token=token)
            exchange.gate_version = world.shared.ver
            clock, faults = shared.worlds.generations  # one round trip tells whether the clock or faults moved
            if clock is None or int(clock) != shared.clock.generation:
                await shared.clock.refresh()
            if faults != shared.faults.generation:
                await shared.faults.refresh()
        except shared.FAILURES as error:
            await send_problem(shared.unavailable(error, context), exchange.send)
            return True
        shared.answered()
        exchange.lock_token = token
        return False

    def rerun(self, exchange: Exchange | None, error: Exception) -> Rerun | None:
        """For a StaleRead that left nothing behind (no lock held, nothing sent, no body read, no commit of this
        request since the gate): run the request again holding the world's lock. None: answer the error."""
        from ..worlds_redis import StaleRead  # the redis extra: present whenever a store is

        if not isinstance(error, StaleRead) or exchange is None or exchange.lock_token is not None:
            return None
        body = exchange.body
        if exchange.status or (body is not None and body.size):
            return None
        world = self.suite.worlds.peek(exchange.vendor.name, exchange.context.tenant)
        if world is None or world.shared is None or world.shared.ver != exchange.gate_version:
            return None

        async def prepare() -> bool:
            return not await self._gate(exchange, uuid.uuid4().hex)

        return Rerun(prepare, _empty_body(exchange.receive) if body is not None and body.complete else exchange.receive)

    def close(self, exchange: Exchange) -> None:
        shared = self.suite.shared
        if shared is None or shared.worlds is None:
            return
        vendor, context = exchange.vendor.name, exchange.context
        world = self.suite.worlds.peek(vendor, context.tenant)
        replica = world.shared if world is not None else None
        # the embedded store's rule: a world stays once a request that used it authenticated (the gate caught up a
        # replica for every request; one the code never asked for, e.g. an unknown career site's 301, is not kept)
        if (
            world is not None
            and replica is not None
            and not replica.kept
            and context.used_world
            and context.authenticated(exchange.status)
        ):
            asyncio.ensure_future(shared.worlds.confirm(world)).add_done_callback(_quiet)
        if exchange.lock_token is not None:  # a lost Redis lets the lease run out instead
            releasing = shared.worlds.release(vendor, context.tenant, exchange.lock_token)
            asyncio.ensure_future(releasing).add_done_callback(_quiet)


def _quiet(task: asyncio.Future) -> None:
    if not task.cancelled():
        task.exception()


def _empty_body(receive):
    """`receive` for a second run of the app, when the first read the (empty) body already."""
    sent = False

    async def again() -> dict:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": b"", "more_body": False}

    return again
