"""Size limits on what a client may send, and the request body as the request path hands it on.

A mock that stores what it is sent must bound it: a 1 MB header or a 100 MB body is refused before any
vendor code runs, in the vendor's error format where it has one (`Vendor.render_error` with the kinds
`headers_too_large`, `uri_too_long`, `payload_too_large`), else with the page a front web server gives.
A body that did not fully arrive (the client disconnected mid-request) is never handed on: reading it
raises `BodyCutOff`, so no handler runs on a truncated body and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from starlette.requests import ClientDisconnect

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class Limits:
    """What one request may carry. Defaults sit above every documented vendor limit (Personio's 20 MB
    recruiting documents) and far below what would hurt a shared instance."""

    header_bytes: int = 64 * KIB  # all request header names and values together -> 431
    query_bytes: int = 32 * KIB  # the raw query string -> 414
    body_bytes: int = 25 * MIB  # the request body, declared or streamed -> 413
    json_depth: int = 128  # nesting of a JSON body -> the vendor's validation error (PHP allows 512;
    # vendor code walks bodies recursively, and no client nests 128 deep)

    def __post_init__(self) -> None:
        for name in ("header_bytes", "query_bytes", "body_bytes", "json_depth"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"limit {name!r} must be a positive integer, not {value!r}")


# kind of ErrorCase -> (status, reason phrase)
TOO_LARGE = {
    "headers_too_large": (431, "Request Header Fields Too Large"),
    "uri_too_long": (414, "Request-URI Too Large"),
    "payload_too_large": (413, "Request Entity Too Large"),
}


class RequestAborted(Exception):
    """The request stops here: the engine answers it (or not, if the client is gone), no handler runs."""


class BodyCutOff(RequestAborted, ClientDisconnect):
    """The client disconnected before the body it declared had arrived."""


class BodyTooLarge(RequestAborted):
    """The streamed body grew past the limit."""


def header_bytes(raw_headers: list[tuple[bytes, bytes]]) -> int:
    """Size of the header block as sent: `name: value\\r\\n` per header."""
    return sum(map(len, chain.from_iterable(raw_headers))) + 4 * len(raw_headers)


def declared_length(content_length: str | None) -> int | None:
    """The body length a Content-Length header declares, or None (absent or not a number)."""
    if content_length is None:
        return None
    try:
        return int(content_length)
    except ValueError:
        return None


def oversize(limits: Limits, scope: dict, head_bytes: int, content_length: str | None) -> str | None:
    """The ErrorCase kind a request's head already breaks (`head_bytes`: its header_bytes(); `content_length`:
    its Content-Length header), or None."""
    if len(scope.get("query_string", b"")) > limits.query_bytes:
        return "uri_too_long"
    if head_bytes > limits.header_bytes:
        return "headers_too_large"
    length = declared_length(content_length)
    if length is not None and length > limits.body_bytes:
        return "payload_too_large"
    return None


def front_server_page(status: int, reason: str) -> bytes:
    """The page nginx answers a request it refuses before the application sees it (its
    ngx_http_special_response.c pages): what a vendor behind a web server sends for a size limit."""
    return (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    ).encode()


def too_deep(data: bytes, value: object, limit: int) -> bool:
    """Whether parsed JSON nests arrays/objects deeper than `limit`. A text with no more brackets than the
    limit cannot be (the common case costs two byte counts); else the containers are walked, not the bytes."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class RequestBody:
    """The request's `receive`, as the app reads it: counts the body against the limit (BodyTooLarge),
    keeps its first bytes for the journal, and raises BodyCutOff when the client disconnects before the
    last chunk, so no reader ever mistakes a cut-off body for a whole one."""

    __slots__ = ("_receive", "_limit", "_keep", "size", "complete", "kept", "failure")

    def __init__(self, receive, limit: int, keep: int) -> None:
        self._receive = receive
        self._limit = limit
        self._keep = keep + 1 if keep else 0  # one byte more than the journal shows: enough to mark a cut
        self.size = 0
        self.complete = False
        self.kept = bytearray()
        self.failure: type[RequestAborted] | None = None  # set before raising: frameworks may wrap the exception

    async def receive(self):
        message = await self._receive()
        kind = message["type"]
        if kind == "http.request":
            chunk = message.get("body", b"")
            self.size += len(chunk)
            if self.size > self._limit:
                self.failure = BodyTooLarge
                raise BodyTooLarge()
            if len(self.kept) < self._keep:
                self.kept += chunk[: self._keep - len(self.kept)]
            if not message.get("more_body", False):
                self.complete = True
        elif kind == "http.disconnect" and not self.complete:
            self.failure = BodyCutOff
            raise BodyCutOff()
        return message
