"""What the engine adds to every answer, the vendor's errors and the engine's own refusals included: the
vendor's response headers (`Vendor.response_headers`), the rate-limit headers of this request, headers a
handler asked for (`current().response_headers`), and real 204/304s (no body, no Content-Type or -Length,
whatever the framework put there). It keeps the final status and headers in the Exchange."""

from __future__ import annotations

from .exchange import NO_BODY_STATUSES, Exchange, Step

_STRIP_ON_NO_BODY = {b"content-type", b"content-length", b"transfer-encoding"}


_ENCODED: dict[str, tuple[bytes, bytes]] = {}  # header name -> (as given, lower case), encoded once


def _encoded(name: str) -> tuple[bytes, bytes]:
    found = _ENCODED.get(name)
    if found is None:
        if len(_ENCODED) > 1024:  # names come from vendors and fault bodies: bounded all the same
            _ENCODED.clear()
        found = _ENCODED[name] = (name.encode("latin-1"), name.lower().encode("latin-1"))
    return found


class ResponseHeaders(Step):
    def on_start(self, exchange: Exchange, message: dict) -> dict:
        status = message["status"]
        exchange.status = status
        ctx = exchange.context
        added = exchange.vendor.response_headers(ctx, status)
        extra, asked = exchange.extra_headers, ctx.response_headers
        if asked:
            added = {**extra, **asked, **added}
        elif extra:
            added = {**extra, **added} if added else extra
        raw = message.get("headers", [])
        if added or status in NO_BODY_STATUSES:
            names = _STRIP_ON_NO_BODY.copy() if status in NO_BODY_STATUSES else set()
            tail = []
            for name, value in added.items():
                encoded, lower = _encoded(name)
                names.add(lower)
                tail.append((encoded, value.encode("latin-1")))
            raw = [pair for pair in raw if pair[0].lower() not in names]
            raw += tail
            message = {**message, "headers": raw}
        exchange.response_headers = raw
        return message

    def on_body(self, exchange: Exchange, message: dict) -> dict:
        if exchange.status in NO_BODY_STATUSES and message.get("body"):
            return {**message, "body": b""}
        return message
