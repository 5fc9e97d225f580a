"""The request body as the app reads it (core/limits.py `RequestBody`): counted against the body limit and
kept in part for the journal. A body that does not fully arrive (the client disconnected) or grows over the
limit is never executed: whatever the app answers to the failed read is dropped, and the exchange ends with
nothing sent (cut off) or with the size limit's answer (too large)."""

from __future__ import annotations

from collections.abc import Awaitable

from ..limits import BodyCutOff, BodyTooLarge, RequestBody
from .exchange import Exchange, Step, send_problem
from .size_limits import too_large


class RequestBodyGuard(Step):
    def before(self, exchange: Exchange) -> bool:
        if "content-length" not in exchange.headers and "transfer-encoding" not in exchange.headers:
            return False  # a request that declares no body has none (RFC 9112 §6.3): nothing to count or cut off
        journal = self.suite.journal
        body = exchange.body = RequestBody(
            exchange.receive, self.suite.limits.body_bytes, journal.body_limit if journal.enabled else 0
        )
        exchange.receive = body.receive  # the app's answer to a failed read is dropped (Exchange.send_from_app)
        return False

    async def on_error(self, exchange: Exchange, error: Exception) -> bool:
        """The app's failure to use a body that did not arrive (FlaskApp's 500) is not an error of the app."""
        if exchange.body is None or exchange.body.failure is None:
            return False
        pending = self.finish(exchange)
        if pending is not None:
            await pending
        return True

    def finish(self, exchange: Exchange) -> Awaitable[None] | None:
        failure = exchange.body.failure if exchange.body is not None else None
        if failure is BodyCutOff:
            exchange.aborted = "client disconnected before the whole body arrived: not executed"
        elif failure is BodyTooLarge:
            exchange.aborted = "body larger than the limit: not executed"
            return send_problem(too_large(exchange.vendor, "payload_too_large", exchange.scope), exchange.send)
        return None
