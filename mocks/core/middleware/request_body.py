"""The request body as the app reads it (core/limits.py `RequestBody`): counted against the body limit and
kept in part for the journal. A body that does not fully arrive (the client disconnected) or grows over the
limit is never executed: whatever the app answers to the failed read is dropped, and the exchange ends with
nothing sent (cut off) or with the size limit's answer (too large)."""

from __future__ import annotations

from ..limits import BodyCutOff, BodyTooLarge, RequestBody
from .exchange import Middleware, exchange_of, send_problem
from .size_limits import too_large


class RequestBodyGuard(Middleware):
    async def __call__(self, scope, receive, send) -> None:
        exchange = exchange_of(scope)
        journal = self.suite.journal
        body = exchange.body = RequestBody(
            receive, self.suite.limits.body_bytes, journal.body_limit if journal.enabled else 0
        )

        async def send_unless_failed(message) -> None:
            if body.failure is None:  # else: the app's own answer to a body it could not read (FlaskApp's 500)
                await send(message)

        try:
            await self.app(scope, body.receive, send_unless_failed)
        except Exception:
            if body.failure is None:
                raise
        if body.failure is BodyCutOff:
            exchange.aborted = "client disconnected before the whole body arrived: not executed"
        elif body.failure is BodyTooLarge:
            exchange.aborted = "body larger than the limit: not executed"
            await send_problem(too_large(exchange.vendor, "payload_too_large", scope), send)
