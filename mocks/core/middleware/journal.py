"""The journal: every exchange as the client saw it (the answer's final status, headers and body), recorded
before the last byte of the answer goes out, so a client that got its answer finds it in the journal; an
exchange that never finished its answer is recorded when it ends."""

from __future__ import annotations

import time

from ..journal import truncated_headers
from .exchange import Exchange, Step


class JournalRecorder(Step):
    def on_body(self, exchange: Exchange, message: dict) -> dict:
        journal = self.suite.journal
        if journal.enabled and not exchange.recorded:
            kept, limit = exchange.response_body, journal.body_limit
            if len(kept) <= limit:
                exchange.response_body = kept + message.get("body", b"")[: limit + 1 - len(kept)]
            if not message.get("more_body", False):
                self.record(exchange)
        return message

    def close(self, exchange: Exchange) -> None:
        if self.suite.journal.enabled and not exchange.recorded:
            self.record(exchange)

    def record(self, exchange: Exchange) -> None:
        exchange.recorded = True
        journal = self.suite.journal
        scope = exchange.scope
        path = scope["path"]
        query = scope.get("query_string", b"")
        query_text = _cut(query.decode("latin-1"), journal.body_limit) if query else ""
        headers = exchange.headers
        if exchange.head_bytes > journal.header_limit:
            headers = truncated_headers(headers, journal.header_limit)
        request_body = bytes(exchange.body.kept) if exchange.body is not None and exchange.body.kept else b""
        response_headers = exchange.response_headers
        response_body = exchange.response_body
        # what journal._size counts, with the request's header block as sent (known already)
        size = 512 + len(path) + len(query_text) + len(request_body) + len(response_body) + exchange.head_bytes
        for name, value in response_headers:
            size += len(name) + len(value)
        fields = (
            journal.next_seq(),
            self.suite.clock.time(),
            exchange.vendor.name,
            exchange.context.tenant,
            scope["method"],
            path,
            query_text,
            headers,
            request_body,
            exchange.status,
            response_headers,
            response_body,
            (time.perf_counter() - exchange.started) * 1000,
            "request",
            {"aborted": exchange.aborted} if exchange.aborted else {},
        )
        exchange.pending = journal.add_fields(fields, size)  # a shared journal's append: awaited before the last byte


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…[{len(text) - limit} more characters]"
