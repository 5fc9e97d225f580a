"""Giving freed memory back to the system.

Under a write load the process frees as much as it allocates, but glibc's allocator keeps freed heap pages
for reuse: bodies, responses and serialized rows of many different sizes leave holes it never returns
(measured: after a soak, `malloc_trim(0)` took the process from 607 MB to 137 MB). `Trimmer` calls
`malloc_trim(0)` from a daemon thread once the server has been quiet for a moment after serving requests,
and at most every `busy_every` seconds under continuous load. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time


def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


class Trimmer:
    def __init__(self, *, quiet: float = 1.0, busy_every: float = 30.0, check_every: float = 0.5) -> None:
        self.quiet, self.busy_every, self.check_every = quiet, busy_every, check_every
        self.trims = 0
        self._trim = _malloc_trim()
        self._requests = 0  # served since the last trim
        self._last_request = 0.0
        self._last_trim = time.monotonic()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def served(self) -> None:
        """One request done (cheap: called on every request)."""
        self._requests += 1
        self._last_request = time.monotonic()
        if self._thread is None and self._trim is not None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="mocks-malloc-trim", daemon=True)
                    self._thread.start()

    def due(self, now: float) -> bool:
        if not self._requests:
            return False
        return now - self._last_request >= self.quiet or now - self._last_trim >= self.busy_every

    def trim(self) -> None:
        self._requests = 0
        self._last_trim = time.monotonic()
        if self._trim is not None:
            self._trim(0)  # releases the GIL (a foreign call): requests go on meanwhile
            self.trims += 1

    def _run(self) -> None:
        while True:
            time.sleep(self.check_every)
            if self.due(time.monotonic()):
                self.trim()
