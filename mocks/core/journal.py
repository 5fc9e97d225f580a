"""A bounded ring buffer of the requests the mocks answered, queryable by vendor, sequence and path."""

from __future__ import annotations

import itertools
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from .journal_redis import SharedJournal


def _text(body: bytes | str, limit: int) -> str:
    if isinstance(body, str):
        return body
    text = body[:limit].decode("utf-8", errors="replace")
    return text + ("…" if len(body) > limit else "")


@dataclass(slots=True)
class Entry:
    """One exchange. Bodies and response headers are kept raw on the hot path and decoded when read."""

    seq: int
    time: float  # virtual clock, epoch seconds
    vendor: str | None
    tenant: str | None
    method: str
    path: str
    query: str
    request_headers: dict[str, str]
    raw_request_body: bytes | str = b""
    status: int = 0
    raw_response_headers: list[tuple[bytes, bytes]] | dict[str, str] = field(default_factory=list)  # ASGI or decoded
    raw_response_body: bytes | str = b""
    duration_ms: float = 0.0
    kind: str = "request"  # "request" or "webhook" (outgoing deliveries recorded by vendors)
    extra: dict[str, Any] = field(default_factory=dict)
    body_limit: int = 16384

    @property
    def request_body(self) -> str:
        return _text(self.raw_request_body, self.body_limit)

    @property
    def response_body(self) -> str:
        return _text(self.raw_response_body, self.body_limit)

    @property
    def response_headers(self) -> dict[str, str]:
        headers = self.raw_response_headers
        if isinstance(headers, dict):
            return headers
        return {k.decode("latin-1"): v.decode("latin-1") for k, v in headers}

    def to_dict(self) -> dict:
        return {
            "seq": self.seq,
            "time": datetime.fromtimestamp(self.time, UTC).isoformat().replace("+00:00", "Z"),
            "vendor": self.vendor,
            "tenant": self.tenant,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "request_headers": self.request_headers,
            "request_body": self.request_body,
            "status": self.status,
            "response_headers": self.response_headers,
            "response_body": self.response_body,
            "duration_ms": round(self.duration_ms, 3),  # rounded when read, not on the hot path
            "kind": self.kind,
            "extra": self.extra,
        }


def truncated_headers(headers: dict[str, str], limit: int) -> dict[str, str]:
    """Header values longer than `limit` characters cut, with a marker saying how much was dropped."""
    return {k: v if len(v) <= limit else f"{v[:limit]}…[{len(v) - limit} more characters]" for k, v in headers.items()}


def _size(entry: Entry) -> int:
    """Roughly the bytes an entry holds (what the journal's byte budget counts)."""
    headers = entry.raw_response_headers
    pairs = headers.items() if isinstance(headers, dict) else headers
    return (
        512
        + len(entry.path)
        + len(entry.query)
        + len(entry.raw_request_body)
        + len(entry.raw_response_body)
        + sum(map(len, itertools.chain.from_iterable(entry.request_headers.items())))
        + sum(map(len, itertools.chain.from_iterable(pairs)))
    )


def matches(
    entry: Any,
    *,
    vendor: str | None = None,
    tenant: str | None = None,
    since: int = 0,
    method: str | None = None,
    path: str | None = None,
    kind: str | None = None,
) -> bool:
    """Whether an entry (anything with Entry's attributes) passes the journal's filters."""
    return (
        entry.seq > since
        and (vendor is None or entry.vendor == vendor)
        and (tenant is None or entry.tenant == tenant)
        and (method is None or entry.method == method.upper())
        and (path is None or path in entry.path)
        and (kind is None or entry.kind == kind)
    )


class Journal:
    """Keeps the last `capacity` entries, and no more than `max_bytes` of them together; bodies are cut at
    `body_limit` bytes and header values at `header_limit` characters (with a marker)."""

    def __init__(
        self,
        capacity: int = 1000,
        body_limit: int = 16384,
        *,
        max_bytes: int = 8 * 1024 * 1024,
        header_limit: int = 2048,
    ) -> None:
        self.capacity = capacity
        self.body_limit = body_limit
        self.header_limit = header_limit
        self.max_bytes = max_bytes
        self.enabled = True
        # (entry, size); the request path keeps an entry's fields as a tuple, made an Entry when read
        self._entries: deque[tuple[Entry | tuple, int]] = deque()
        self._bytes = 0
        self._counter = itertools.count(1)  # atomic under the GIL
        self._lock = threading.Lock()
        # with a shared store, entries go there instead (core/journal_redis.py): add answers an awaitable
        self.shared: SharedJournal | None = None

    def next_seq(self) -> int:
        return next(self._counter)

    def add(self, entry: Entry, size: int | None = None) -> Awaitable[Any] | None:
        """Keep an entry; `size` is what it weighs when the caller knows it cheaper than `_size` does. With a
        shared store, the awaitable of its append (None otherwise)."""
        entry.body_limit = self.body_limit
        if self.shared is not None:
            return self.shared.append(entry)
        self._keep(entry, _size(entry) if size is None else size)
        return None

    def add_fields(self, fields: tuple, size: int) -> Awaitable[Any] | None:
        """Keep an entry given as the tuple of Entry's fields up to `extra` (the request path: no object is
        built for an entry nobody reads)."""
        if self.shared is not None:
            entry = Entry(*fields)
            entry.body_limit = self.body_limit
            return self.shared.append(entry)
        self._keep((*fields, self.body_limit), size)
        return None

    def _keep(self, entry: Entry | tuple, size: int) -> None:
        with self._lock:
            self._entries.append((entry, size))
            self._bytes += size
            while len(self._entries) > self.capacity or (self._bytes > self.max_bytes and len(self._entries) > 1):
                self._bytes -= self._entries.popleft()[1]

    @property
    def bytes(self) -> int:
        """What the kept entries weigh (the byte budget's measure)."""
        return self._bytes

    def query(
        self,
        *,
        vendor: str | None = None,
        tenant: str | None = None,
        since: int = 0,
        method: str | None = None,
        path: str | None = None,
        kind: str | None = None,
        limit: int | None = None,
    ) -> list[Entry]:
        with self._lock:
            entries = [Entry(*entry) if isinstance(entry, tuple) else entry for entry, _ in self._entries]
        selected = [
            e
            for e in entries
            if matches(e, vendor=vendor, tenant=tenant, since=since, method=method, path=path, kind=kind)
        ]
        return selected[-limit:] if limit else selected

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)
