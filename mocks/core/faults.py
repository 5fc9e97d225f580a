"""Injected faults: an error status and/or added latency for matching requests, a given number of times."""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Fault:
    id: int
    vendor: str | None = None      # None: any vendor
    method: str | None = None      # None or "*": any method
    path: str | None = None        # glob on the full path or the path below the vendor mount; None: any
    status: int | None = None      # answer with this status (body: the vendor's own error, or `body`)
    latency_ms: int = 0            # wait this long first (real time: it is a network symptom)
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1          # None: until removed
    hits: int = 0

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

    def to_dict(self) -> dict:
        return asdict(self)


class FaultInjector:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._next_id = 0
        self._lock = threading.Lock()

    def add(self, spec: dict[str, Any], *, known_vendors: set[str]) -> Fault:
        """Validate an admin-API fault description and register it. Raises ValueError on bad input."""
        allowed = {"vendor", "method", "path", "status", "latency_ms", "body", "headers", "times"}
        unknown = set(spec) - allowed
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        vendor = spec.get("vendor")
        if vendor is not None and vendor not in known_vendors:
            raise ValueError(f"unknown vendor {vendor!r}; known: {sorted(known_vendors)}")
        status, latency, times = spec.get("status"), spec.get("latency_ms", 0), spec.get("times", 1)
        if status is None and not latency:
            raise ValueError("a fault needs a 'status' and/or a 'latency_ms'")
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
            self._next_id += 1
            fault = Fault(id=self._next_id, vendor=vendor, method=spec.get("method"), path=spec.get("path"),
                          status=status, latency_ms=latency, body=spec.get("body"), headers=headers, times=times)
            self._faults.append(fault)
        return fault

    def take(self, vendor: str | None, method: str, full_path: str, local_path: str) -> Fault | None:
        """The first matching fault, counted as hit once; spent faults are dropped."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if fault.matches(vendor, method, full_path, local_path):
                    fault.hits += 1
                    if fault.times is not None and fault.hits >= fault.times:
                        self._faults.remove(fault)
                    return fault
        return None

    def list(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def remove(self, fault_id: int) -> bool:
        with self._lock:
            before = len(self._faults)
            self._faults = [f for f in self._faults if f.id != fault_id]
            return len(self._faults) != before

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
