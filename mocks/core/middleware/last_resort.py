"""The last resort: the app renders every error in the vendor's format itself; what still escapes (a failing
error renderer, a connection a fault could not break) is logged and answered with the vendor's 500, if no
answer has started."""

from __future__ import annotations

import logging

from .exchange import Middleware, exchange_of, send_problem

log = logging.getLogger("mocks.gateway")


class LastResort(Middleware):
    async def __call__(self, scope, receive, send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            exchange = exchange_of(scope)
            if not exchange.status:
                await send_problem(exchange.vendor.fault(500, exchange.context), send)
