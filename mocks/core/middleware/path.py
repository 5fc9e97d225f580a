"""The driver of the request path: one coroutine per request runs the steps of `REQUEST_PATH` (core/app.py)
around the Connexion app, calling the hooks each step defines (exchange.py `Step`) in list order.

Why a driver and not nested ASGI middlewares: each nested layer costs a coroutine, and each `send` wrapper a
closure per request; ten of them took the in-process Piwik PRO list from 45 to 54 µs of CPU (bench/inproc.py).
Here a request costs one coroutine and one bound `send`, and the steps stay one idea per module. Hooks that
usually have nothing to do (`before`, `finish`) are plain functions that return an awaitable only when they
must wait or answer, so the common request creates no coroutine for them.
"""

from __future__ import annotations

from typing import Any

from .exchange import SCOPE_KEY, Hook, Rerun, Step


class RequestPath:
    def __init__(self, steps: list[Step], app: Any) -> None:
        self.app = app
        self.steps = steps
        innermost_first = list(reversed(steps))
        self._routes = [s.route for s in steps if s.defines("route")]
        openers = [s.open for s in steps if s.defines("open")]
        if len(openers) != 1:
            raise ValueError("exactly one step of the request path opens the exchange")
        self._open = openers[0]
        self._befores = [s.before for s in steps if s.defines("before")]
        self._on_start: list[Hook] = [s.on_start for s in innermost_first if s.defines("on_start")]
        self._on_body: list[Hook] = [s.on_body for s in innermost_first if s.defines("on_body")]
        self._on_error = [s.on_error for s in innermost_first if s.defines("on_error")]
        self._finish = [s.finish for s in innermost_first if s.defines("finish")]
        self._close = [s.close for s in innermost_first if s.defines("close")]

    def step(self, kind: type) -> Any:
        return next(s for s in self.steps if isinstance(s, kind))

    async def __call__(self, scope, receive, send) -> None:
        for route in self._routes:
            routed = route(scope)
            if not isinstance(routed, dict):
                await routed(scope, receive, send)
                return
            scope = routed
        exchange = self._open(scope, receive, send)
        exchange.outgoing_start = self._on_start
        exchange.outgoing_body = self._on_body
        try:
            try:
                for before in self._befores:
                    answered = before(exchange)
                    if answered is not False and (answered is True or await answered):
                        return
                try:
                    await self.app(scope, exchange.receive, exchange.send_from_app)
                except Rerun as rerun:  # once at most: see shared_state.py
                    if await rerun.prepare():
                        await self.app(scope, rerun.receive, exchange.send_from_app)
                for finish in self._finish:
                    pending = finish(exchange)
                    if pending is not None:
                        await pending
            except Exception as error:
                for on_error in self._on_error:
                    if await on_error(exchange, error):
                        break
                else:
                    raise
        finally:
            for close in self._close:
                close(exchange)
            scope.pop(SCOPE_KEY, None)  # the scope, the exchange and its context refer to each other
