"""Rate limits (core/ratelimit.py): the vendor's rules counted on the virtual clock; over a limit, the vendor's
429; under it, the vendor's rate-limit headers go on the answer (ResponseHeaders adds them).

Rules are counted at the edge, before routing (this middleware), or once the router found the operation
(`RateRule.after_routing`, a framework's route middleware such as Laravel's `throttle`): both builds' routers
call `count_after_routing` with the operation before authentication runs, and a request no route serves is
never counted by those rules."""

from __future__ import annotations

from collections.abc import Awaitable

from connexion.middleware.abstract import ROUTING_CONTEXT

from ..ratelimit import RequestInfo
from .exchange import SCOPE_KEY, Exchange, Step, answered, send_problem


class RateLimit(Step):
    def before(self, exchange: Exchange) -> bool | Awaitable[bool]:
        scope = exchange.scope
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
        limiter = self.suite.limiter
        if limiter.counts_after_routing(vendor.name):
            exchange.rate_info = info
        if self.suite.shared is not None:
            return self._shared(exchange, info)
        decisions = limiter.check(info)
        if decisions and not decisions[0].allowed:
            return answered(send_problem(vendor.rate_limited(decisions[0]), exchange.send))
        if decisions:
            exchange.extra_headers.update(vendor.rate_headers(decisions))
        return False

    async def _shared(self, exchange: Exchange, info: RequestInfo) -> bool:
        """The same, counted across every worker of the shared store."""
        shared = self.suite.shared
        assert shared is not None and shared.rates is not None  # connected by the SharedState step
        try:
            decisions = await shared.rates.check(info)
        except shared.FAILURES as error:
            await send_problem(shared.unavailable(error, exchange.context), exchange.send)
            return True
        if decisions and not decisions[0].allowed:
            await send_problem(exchange.vendor.rate_limited(decisions[0]), exchange.send)
            return True
        if decisions:
            exchange.extra_headers.update(exchange.vendor.rate_headers(decisions))
        return False


def count_after_routing(scope, operation_id: str) -> Awaitable[None] | None:
    """Called by the router (both builds) once it found the operation: count the rules that wait for a route;
    over a limit, raise the vendor's 429 (rendered like any vendor error). With a shared store the count is
    an awaitable the router awaits."""
    exchange = scope.get(SCOPE_KEY)
    info = exchange.rate_info if exchange is not None else None
    if info is None or info.operation_id is not None:  # none, or counted already (the app ran again: Rerun)
        return None
    info.operation_id = operation_id
    suite = exchange.context.suite
    if suite.shared is not None:
        return _count_shared(exchange, info)
    _decided(exchange, suite.limiter.check(info, after_routing=True))
    return None


async def _count_shared(exchange: Exchange, info: RequestInfo) -> None:
    shared = exchange.context.suite.shared
    assert shared is not None and shared.rates is not None
    _decided(exchange, await shared.rates.check(info, after_routing=True))  # store failures: rendered as 503


def _decided(exchange: Exchange, decisions: list) -> None:
    if decisions and not decisions[0].allowed:
        raise exchange.vendor.rate_limited(decisions[0])
    if decisions:
        exchange.extra_headers.update(exchange.vendor.rate_headers(decisions))


class CountAfterRouting:
    """The FlaskApp build's hook (a Connexion middleware right after its stock router, before security): the
    router has put the operation in the scope."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            routing = scope.get("extensions", {}).get(ROUTING_CONTEXT) or {}
            if routing.get("operation_id"):  # this build never has a shared store (Suite refuses it)
                count_after_routing(scope, routing["operation_id"])
        await self.app(scope, receive, send)
