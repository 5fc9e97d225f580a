"""Injected faults: an error status, added latency, or a broken connection for matching requests, a given
number of times.

Faults are indexed by (vendor, method) and, for paths without wildcards, by path: a request looks only at
the faults that can match it, so thousands of faults for other vendors, methods or paths cost nothing.
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_FAULTS = 10_000
# Connection-breaking faults (WireMock's Fault enum), as core/middleware/faults.py breaks the exchange.
DROPS = {
    "empty_reply": "the connection is closed before any byte of an answer",
    "reset": "the connection is reset (TCP RST) before any byte of an answer",
    "truncate": "a 200 head and half of the declared body, then the connection is closed",
    "bad_chunk": "a 200 head, one chunk, then bytes that are not a chunk, then the connection is closed",
}
_GLOB = frozenset("*?[")


@dataclass
class Fault:
    id: int
    vendor: str | None = None  # None: any vendor
    method: str | None = None  # None or "*": any method
    path: str | None = None  # glob on the full path or the path below the vendor mount; None: any
    status: int | None = None  # answer with this status (body: the vendor's own error, or `body`)
    latency_ms: int = 0  # wait this long first (real time: it is a network symptom)
    body: Any = None  # the answer's body (a status fault), or what a truncate/bad_chunk cuts
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1  # None: until removed
    hits: int = 0
    drop: str | None = None  # break the connection instead of answering (one of DROPS)

    def matches(self, vendor: str | None, method: str, full_path: str, local_path: str) -> bool:
        if self.vendor is not None and self.vendor != vendor:
            return False
        if self.method not in (None, "*") and self.method.upper() != method:
            return False
        if self.path is not None and not (
            fnmatch.fnmatchcase(full_path, self.path) or fnmatch.fnmatchcase(local_path, self.path)
        ):
            return False
        return self.times is None or self.hits < self.times

    @property
    def key(self) -> tuple[str | None, str | None]:
        method = None if self.method in (None, "*") else self.method.upper()
        return self.vendor, method

    def to_dict(self) -> dict:
        return asdict(self)


class _Bucket:
    """The faults of one (vendor, method), by path: exact paths in a dict; globs (and "any path") by their
    literal prefix, looked up for each prefix length in use, so neither costs a scan of every fault."""

    __slots__ = ("exact", "prefixed", "lengths")

    def __init__(self) -> None:
        self.exact: dict[str, list[Fault]] = {}
        self.prefixed: dict[str, list[Fault]] = {}
        self.lengths: dict[int, int] = {}  # prefix length -> how many prefixes have it

    @staticmethod
    def _place(fault: Fault) -> tuple[str, bool]:
        """(key, exact): the whole path of an exact fault, else the literal part before the first wildcard."""
        path = fault.path or ""
        cut = min((path.index(c) for c in _GLOB if c in path), default=None)
        if fault.path is not None and cut is None:
            return path, True
        return path[:cut] if cut is not None else "", False

    def add(self, fault: Fault) -> None:
        key, exact = self._place(fault)
        if exact:
            self.exact.setdefault(key, []).append(fault)
            return
        if key not in self.prefixed:
            self.lengths[len(key)] = self.lengths.get(len(key), 0) + 1
        self.prefixed.setdefault(key, []).append(fault)

    def remove(self, fault: Fault) -> None:
        key, exact = self._place(fault)
        table = self.exact if exact else self.prefixed
        table[key].remove(fault)
        if not table[key]:
            del table[key]
            if not exact:
                self.lengths[len(key)] -= 1
                if not self.lengths[len(key)]:
                    del self.lengths[len(key)]

    def candidates(self, full_path: str, local_path: str) -> list[Fault]:
        found = [*self.exact.get(full_path, ()), *self.exact.get(local_path, ())]
        for length in self.lengths:
            found += self.prefixed.get(full_path[:length], ())
            if local_path[:length] != full_path[:length]:
                found += self.prefixed.get(local_path[:length], ())
        return found

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixed)


def _string_or_none(value: Any, name: str) -> None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"'{name}' must be a string")


class FaultInjector:
    def __init__(self) -> None:
        self._faults: dict[int, Fault] = {}  # by id, in the order they were added
        self._index: dict[tuple[str | None, str | None], _Bucket] = {}
        self._next_id = 0
        self._lock = threading.Lock()

    def add(self, spec: dict[str, Any], *, known_vendors: set[str]) -> Fault:
        """Validate an admin-API fault description and register it. Raises ValueError on bad input."""
        allowed = {"vendor", "method", "path", "status", "latency_ms", "body", "headers", "times", "drop"}
        unknown = set(spec) - allowed
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        vendor = spec.get("vendor")
        if vendor is not None and vendor not in known_vendors:
            raise ValueError(f"unknown vendor {vendor!r}; known: {sorted(known_vendors)}")
        _string_or_none(spec.get("method"), "method")
        _string_or_none(spec.get("path"), "path")
        status, latency, times, drop = (
            spec.get("status"),
            spec.get("latency_ms", 0),
            spec.get("times", 1),
            spec.get("drop"),
        )
        if drop is not None and drop not in DROPS:
            raise ValueError(f"'drop' must be one of {sorted(DROPS)}")
        if drop is not None and (status is not None or spec.get("headers")):
            raise ValueError("a fault has either a 'drop' or a 'status' (with 'headers'), not both")
        if status is None and not latency and drop is None:
            raise ValueError("a fault needs a 'status', a 'drop' and/or a 'latency_ms'")
        if status is not None and (not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599):
            raise ValueError("'status' must be an integer HTTP status (100-599)")
        if not isinstance(latency, int) or isinstance(latency, bool) or not 0 <= latency <= 120_000:
            raise ValueError("'latency_ms' must be an integer between 0 and 120000")
        if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
            raise ValueError("'times' must be a positive integer or null (unlimited)")
        headers = spec.get("headers") or {}
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            raise ValueError("'headers' must be an object of strings")
        with self._lock:
            if len(self._faults) >= MAX_FAULTS:
                raise ValueError(f"too many faults ({MAX_FAULTS}); delete some first")
            self._next_id += 1
            fault = Fault(
                id=self._next_id,
                vendor=vendor,
                method=spec.get("method"),
                path=spec.get("path"),
                status=status,
                latency_ms=latency,
                body=spec.get("body"),
                headers=headers,
                times=times,
                drop=drop,
            )
            self._faults[fault.id] = fault
            self._index.setdefault(fault.key, _Bucket()).add(fault)
        return fault

    def take(self, vendor: str | None, method: str, full_path: str, local_path: str) -> Fault | None:
        """The first matching fault (the oldest), counted as hit once; spent faults are dropped."""
        if not self._faults:
            return None
        with self._lock:
            found = self._first(vendor, method, full_path, local_path)
            if found is not None:
                self._hit(found, found.hits + 1)
            return found

    def find(self, vendor: str | None, method: str, full_path: str, local_path: str) -> Fault | None:
        """The fault `take` would answer with, not counted (a shared store counts it: faults_redis.py)."""
        if not self._faults:
            return None
        with self._lock:
            return self._first(vendor, method, full_path, local_path)

    def hit(self, fault: Fault, hits: int) -> None:
        """Record that `fault` has now been hit `hits` times (counted elsewhere); spent, it is dropped."""
        with self._lock:
            if self._faults.get(fault.id) is fault:
                self._hit(fault, hits)

    def replace_all(self, faults: list[Fault]) -> None:
        """Hold exactly these faults (ids and hits as given): a copy of a shared list."""
        with self._lock:
            self._faults = {}
            self._index = {}
            for fault in sorted(faults, key=lambda f: f.id):
                self._faults[fault.id] = fault
                self._index.setdefault(fault.key, _Bucket()).add(fault)
            self._next_id = max(self._faults, default=self._next_id)

    def _first(self, vendor: str | None, method: str, full_path: str, local_path: str) -> Fault | None:
        found: Fault | None = None
        for key in ((vendor, method), (vendor, None), (None, method), (None, None)):
            bucket = self._index.get(key)
            if bucket is None:
                continue
            for fault in bucket.candidates(full_path, local_path):
                if (found is None or fault.id < found.id) and fault.matches(vendor, method, full_path, local_path):
                    found = fault
        return found

    def _hit(self, fault: Fault, hits: int) -> None:
        fault.hits = hits
        if fault.times is not None and hits >= fault.times:
            self._forget(fault)

    def _forget(self, fault: Fault) -> None:
        del self._faults[fault.id]
        bucket = self._index[fault.key]
        bucket.remove(fault)
        if not bucket:
            del self._index[fault.key]

    def list(self) -> list[Fault]:
        with self._lock:
            return list(self._faults.values())

    def remove(self, fault_id: int) -> bool:
        with self._lock:
            fault = self._faults.get(fault_id)
            if fault is None:
                return False
            self._forget(fault)
            return True

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._index.clear()
