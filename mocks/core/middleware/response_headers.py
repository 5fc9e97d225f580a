"""What the engine adds to every answer, the vendor's errors and the engine's own refusals included: the
vendor's response headers (`Vendor.response_headers`), the rate-limit headers of this request, headers a
handler asked for (`current().response_headers`), and real 204/304s (no body, no Content-Type or -Length,
whatever the framework put there). It keeps the final status and headers in the Exchange."""

from __future__ import annotations

from .exchange import NO_BODY_STATUSES, Exchange, Step

_STRIP_ON_NO_BODY = {b"content-type", b"content-length", b"transfer-encoding"}


class ResponseHeaders(Step):
    def on_start(self, exchange: Exchange, message: dict) -> dict:
        status = message["status"]
        exchange.status = status
        ctx = exchange.context
        added = exchange.vendor.response_headers(ctx, status)
        if exchange.extra_headers or ctx.response_headers:
            added = {**exchange.extra_headers, **ctx.response_headers, **added}
        raw = message.get("headers", [])
        if added or status in NO_BODY_STATUSES:
            names = {k.lower().encode("latin-1") for k in added}
            if status in NO_BODY_STATUSES:
                names |= _STRIP_ON_NO_BODY
            raw = [(k, v) for k, v in raw if k.lower() not in names]
            raw += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in added.items()]
            message = {**message, "headers": raw}
        exchange.response_headers = raw
        return message

    def on_body(self, exchange: Exchange, message: dict) -> dict:
        if exchange.status in NO_BODY_STATUSES and message.get("body"):
            return {**message, "body": b""}
        return message
