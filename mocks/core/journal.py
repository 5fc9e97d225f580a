"""A bounded ring buffer of the requests the mocks answered, queryable by vendor, sequence and path."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Entry:
    seq: int
    time: str                      # virtual clock, ISO-8601
    vendor: str | None
    tenant: str | None
    method: str
    path: str
    query: str
    request_headers: dict[str, str]
    request_body: str
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""
    duration_ms: float = 0.0
    kind: str = "request"          # "request" or "webhook" (outgoing deliveries recorded by vendors)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


class Journal:
    """Keeps the last `capacity` entries; bodies are cut at `body_limit` bytes."""

    def __init__(self, capacity: int = 1000, body_limit: int = 16384) -> None:
        self.capacity = capacity
        self.body_limit = body_limit
        self.enabled = True
        self._entries: deque[Entry] = deque(maxlen=capacity)
        self._seq = 0
        self._lock = threading.Lock()

    def next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def add(self, entry: Entry) -> None:
        with self._lock:
            self._entries.append(entry)

    def text(self, body: bytes) -> str:
        """A body as journal text: cut to the limit, undecodable bytes replaced."""
        cut = body[: self.body_limit]
        text = cut.decode("utf-8", errors="replace")
        return text + ("…" if len(body) > self.body_limit else "")

    def query(self, *, vendor: str | None = None, tenant: str | None = None, since: int = 0,
              method: str | None = None, path: str | None = None, kind: str | None = None,
              limit: int | None = None) -> list[Entry]:
        with self._lock:
            entries = list(self._entries)
        selected = [
            e for e in entries
            if e.seq > since
            and (vendor is None or e.vendor == vendor)
            and (tenant is None or e.tenant == tenant)
            and (method is None or e.method == method.upper())
            and (path is None or path in e.path)
            and (kind is None or e.kind == kind)
        ]
        return selected[-limit:] if limit else selected

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
