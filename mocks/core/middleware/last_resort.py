"""The last resort: the app renders every error in the vendor's format itself; what still escapes (a failing
error renderer, a connection a fault could not break) is logged and answered with the vendor's 500, if no
answer has started."""

from __future__ import annotations

import logging

from .exchange import Exchange, Step, send_problem

log = logging.getLogger("mocks.gateway")


class LastResort(Step):
    async def on_error(self, exchange: Exchange, error: Exception) -> bool:
        scope = exchange.scope
        log.error("unhandled error on %s %s", scope["method"], scope["path"], exc_info=error)
        if not exchange.status:
            await send_problem(exchange.vendor.fault(500, exchange.context), exchange.send)
        return True
