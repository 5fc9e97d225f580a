"""Outgoing webhook deliveries, off the request path, with retries on the virtual clock.

A vendor builds a `Delivery` (URL, method, headers, body or query, how many tries, the backoff after each
failed try) and hands it to `dispatcher_for(suite).enqueue(...)` after its write committed. One daemon
thread per suite sends what is due: a non-2xx answer, a timeout or a refused connection schedules the next
try `backoff[n]` seconds after the failed one started, on the virtual clock (tests move the clock instead of
sleeping). Every
attempt is recorded in the suite's journal as an entry of kind "webhook".

A delivery belongs to the world that queued it: once that world is reset (dropped or re-seeded), its
pending deliveries are dropped too, so one test's webhooks never reach the next test's listener.
"""

from __future__ import annotations

import itertools
import threading
import time
import urllib.error
import urllib.request
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .journal import Entry

if TYPE_CHECKING:
    from .app import Suite

POLL_SECONDS = 0.02


@dataclass
class Delivery:
    vendor: str
    tenant: str
    url: str
    method: str = "POST"  # POST sends `body`; GET sends `query`
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    query: str = ""
    label: str = ""  # what it is (e.g. the event name), kept in the journal
    tries: int = 3
    backoff: tuple[float, ...] = (10.0, 100.0)  # virtual seconds to wait after failed try 1, 2, ...
    timeout: float = 3.0  # real seconds per try
    world: Any = None  # the world that queued it (None: never cancelled)
    id: int = 0
    attempt: int = 0
    due: float = 0.0
    status: str = "pending"  # pending | delivered | failed | cancelled

    def target(self) -> str:
        if self.method.upper() == "GET" and self.query:
            return f"{self.url}{'&' if '?' in self.url else '?'}{self.query}"
        return self.url


class WebhookDispatcher:
    def __init__(self, suite: Suite, *, poll_seconds: float = POLL_SECONDS) -> None:
        self.suite = suite
        self.poll_seconds = poll_seconds
        self._queue: list[Delivery] = []
        self._done: list[Delivery] = []
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._busy = False

    # -- queueing ------------------------------------------------------------------------------
    def enqueue(self, delivery: Delivery) -> Delivery:
        with self._lock:
            delivery.id = next(self._ids)
            delivery.due = self.suite.clock.time()
            self._queue.append(delivery)
            self._start()
            self._lock.notify_all()
        return delivery

    def pending(self, vendor: str | None = None) -> list[Delivery]:
        with self._lock:
            return [d for d in self._queue if vendor is None or d.vendor == vendor]

    def finished(self, vendor: str | None = None) -> list[Delivery]:
        with self._lock:
            return [d for d in self._done if vendor is None or d.vendor == vendor]

    def kick(self) -> None:
        """Look for due deliveries now (after the clock moved)."""
        with self._lock:
            self._lock.notify_all()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until nothing is due or being sent (deliveries waiting for a later try may remain)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._lock.notify_all()
            while self._busy or any(d.due <= self.suite.clock.time() for d in self._queue):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._lock.wait(min(remaining, self.poll_seconds))
        return True

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._lock.notify_all()

    # -- the worker ----------------------------------------------------------------------------
    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stopped = False
            self._thread = threading.Thread(target=self._run, name="mocks-webhooks", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if self._stopped:
                    return
                now = self.suite.clock.time()
                due = [d for d in self._queue if d.due <= now]
                if not due:
                    self._lock.wait(self.poll_seconds)
                    continue
                delivery = min(due, key=lambda d: (d.due, d.id))
                self._queue.remove(delivery)
                self._busy = True
            try:
                self._attempt(delivery)
            finally:
                with self._lock:
                    self._busy = False
                    if delivery.status == "pending":
                        self._queue.append(delivery)
                    else:
                        self._done.append(delivery)
                        del self._done[:-1000]
                    self._lock.notify_all()

    def _cancelled(self, delivery: Delivery) -> bool:
        if delivery.world is None:
            return False
        return self.suite.worlds.peek(delivery.vendor, delivery.tenant) is not delivery.world

    def _attempt(self, delivery: Delivery) -> None:
        if self._cancelled(delivery):
            delivery.status = "cancelled"
            return
        delivery.attempt += 1
        started = self.suite.clock.time()  # the backoff counts from here, whatever the clock does meanwhile
        status, headers, body, error, elapsed = _send(delivery)
        journal = self.suite.journal
        if journal.enabled and not self._cancelled(delivery):  # a reset meanwhile also cleared the journal
            extra = {
                "delivery": delivery.id,
                "attempt": delivery.attempt,
                "tries": delivery.tries,
                "label": delivery.label,
                "url": delivery.target(),
            }
            if error:
                extra["error"] = error
            journal.add(
                Entry(
                    journal.next_seq(),
                    started,
                    delivery.vendor,
                    delivery.tenant,
                    delivery.method.upper(),
                    delivery.url,
                    delivery.query,
                    {k.lower(): v for k, v in delivery.headers.items()},
                    delivery.body,
                    status,
                    headers,
                    body,
                    round(elapsed * 1000, 3),
                    kind="webhook",
                    extra=extra,
                )
            )
        if 200 <= status < 300:
            delivery.status = "delivered"
        elif delivery.attempt >= delivery.tries:
            delivery.status = "failed"
        else:
            wait = delivery.backoff[min(delivery.attempt - 1, len(delivery.backoff) - 1)] if delivery.backoff else 0
            delivery.due = started + wait


def _send(delivery: Delivery) -> tuple[int, dict[str, str], bytes, str, float]:
    method = delivery.method.upper()
    data = delivery.body if method != "GET" else None
    request = urllib.request.Request(delivery.target(), data=data, method=method, headers=delivery.headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=delivery.timeout) as response:
            return (
                response.status,
                dict(response.headers.items()),
                response.read(65536),
                "",
                time.perf_counter() - started,
            )
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read(65536), "", time.perf_counter() - started
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return 0, {}, b"", f"{type(error).__name__}: {reason}", time.perf_counter() - started


_DISPATCHERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def dispatcher_for(suite: Suite) -> WebhookDispatcher:
    """The suite's dispatcher (created on first use)."""
    with _REGISTRY_LOCK:
        dispatcher = _DISPATCHERS.get(suite)
        if dispatcher is None:
            dispatcher = _DISPATCHERS[suite] = WebhookDispatcher(suite)
        return dispatcher
