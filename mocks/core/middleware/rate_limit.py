"""Rate limits (core/ratelimit.py): the vendor's rules counted on the virtual clock; over a limit, the vendor's
429, before routing; under it, the vendor's rate-limit headers go on the answer (ResponseHeaders adds them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..ratelimit import RequestInfo
from .exchange import exchange_of, send_problem

if TYPE_CHECKING:
    from ..app import Suite


class RateLimit:
    def __init__(self, app, suite: Suite) -> None:
        self.app = app
        self.suite = suite

    async def __call__(self, scope, receive, send) -> None:
        exchange = exchange_of(scope)
        vendor = exchange.vendor
        client = (scope.get("client") or ("unknown", 0))[0]
        info = RequestInfo(
            vendor.name,
            exchange.context.tenant,
            scope["method"],
            scope["path"],
            exchange.local_path,
            exchange.headers,
            client,
        )
        decisions = self.suite.limiter.check(info)
        if decisions and not decisions[0].allowed:
            await send_problem(vendor.rate_limited(decisions[0]), send)
            return
        if decisions:
            exchange.extra_headers.update(vendor.rate_headers(decisions))
        await self.app(scope, receive, send)
