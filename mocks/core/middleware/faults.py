"""Injected faults (POST /_mocks/faults): latency, a status in the vendor's error format (or a given body), or
a broken connection (core/drops.py), answered before rate limiting and routing, as a failing edge would."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from ..drops import drop_connection
from ..errors import VendorProblem
from .exchange import Exchange, Step, send_problem


class Faults(Step):
    def before(self, exchange: Exchange) -> bool | Awaitable[bool]:
        if self.suite.shared is not None:
            return self._shared(exchange)
        scope = exchange.scope
        fault = self.suite.faults.take(exchange.vendor.name, scope["method"], scope["path"], exchange.local_path)
        if fault is None:
            return False
        return self._inject(fault, exchange)

    async def _shared(self, exchange: Exchange) -> bool:
        """The same, from the list every worker shares (a fault's `times` counted across them)."""
        shared = self.suite.shared
        assert shared is not None and shared.faults is not None  # connected by the SharedState step
        scope = exchange.scope
        try:
            vendor = exchange.vendor.name
            fault = await shared.faults.take(
                vendor, scope["method"], scope["path"], exchange.local_path, refreshed=True
            )
        except shared.FAILURES as error:
            await send_problem(shared.unavailable(error, exchange.context), exchange.send)
            return True
        return False if fault is None else await self._inject(fault, exchange)

    async def _inject(self, fault, exchange: Exchange) -> bool:
        if fault.latency_ms:
            await asyncio.sleep(fault.latency_ms / 1000)
        if fault.drop is not None:
            exchange.aborted = f"injected fault: {fault.drop}"
            await drop_connection(fault.drop, fault.body, exchange.send, exchange.server_send)
            return True
        if fault.status is not None:
            problem = (
                VendorProblem(fault.status, fault.body)
                if fault.body is not None
                else exchange.vendor.fault(fault.status, exchange.context)
            )
            problem.headers = {**(problem.headers or {}), **fault.headers}
            await send_problem(problem, exchange.send)
            return True
        return False
