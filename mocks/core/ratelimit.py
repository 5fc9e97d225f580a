"""Rate limits on the virtual clock: per-credential windows or token buckets, overridable at runtime.

A vendor declares `RateRule`s (what it limits, how much, keyed by what); the request path asks the limiter for a
`Decision` per request and lets the vendor turn it into headers and a 429 in its own format. `limits`
(the library) reads the real clock and cannot be time-travelled, hence this small implementation.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .clock import VirtualClock


class RequestInfo:
    """What a rate rule may look at (built once per request by middleware/rate_limit.py)."""

    __slots__ = ("vendor", "tenant", "method", "path", "local_path", "headers", "client", "operation_id")

    def __init__(
        self,
        vendor: str,
        tenant: str | None,
        method: str,
        path: str,
        local_path: str,
        headers: dict[str, str],
        client: str,
    ) -> None:
        self.vendor = vendor
        self.tenant = tenant
        self.method = method
        self.path = path  # full path, e.g. /piwik_pro/api/users/v2
        self.local_path = local_path  # below the vendor mount, e.g. /api/users/v2
        self.headers = headers  # lower-case names
        self.client = client  # peer address
        self.operation_id: str | None = None  # the route reached: set for rules counted after routing

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


def _always(_: RequestInfo) -> bool:
    return True


def by_authorization_or_client(info: RequestInfo) -> str:
    """The usual key: the credential sent (a bearer token however its scheme is spelled), else the peer
    address (unauthenticated traffic)."""
    authorization = (info.header("authorization") or "").strip()
    if not authorization:
        return f"ip:{info.client}"
    scheme, _, rest = authorization.partition(" ")
    if scheme.lower() == "bearer" and rest.strip():
        return f"bearer:{rest.strip()}"
    return authorization


@dataclass(frozen=True)
class RateRule:
    name: str
    limit: int
    window: float  # seconds
    algorithm: str = "fixed"  # "fixed": window opens at the first hit (Laravel);
    # "bucket": token bucket of `limit`, refilled limit/window per s
    applies: Callable[[RequestInfo], bool] = _always
    key: Callable[[RequestInfo], str | None] = by_authorization_or_client
    cooldown: float = 0.0  # once exceeded, blocked this long (Personio /v1/auth)
    enabled: bool = True
    inferred: bool = False  # the vendor does not document these numbers
    note: str = ""
    # counted once routing found the operation (`RequestInfo.operation_id`), before authentication: a
    # framework's route middleware (Laravel's `throttle`). A request no route serves (404, 405, the
    # router's own OPTIONS) is never counted. False: counted at the edge, before routing.
    after_routing: bool = False

    def describe(self) -> dict[str, Any]:
        return {
            "rule": self.name,
            "limit": self.limit,
            "window_seconds": self.window,
            "algorithm": self.algorithm,
            "cooldown_seconds": self.cooldown,
            "enabled": self.enabled,
            "inferred": self.inferred,
            "note": self.note,
            "after_routing": self.after_routing,
        }


@dataclass(slots=True)
class Decision:
    rule: RateRule
    allowed: bool
    limit: int
    remaining: int
    reset_at: float  # epoch seconds (virtual) when the window resets / the bucket is full again
    retry_after: int  # whole seconds until a retry can succeed (0 when allowed)


@dataclass(slots=True)
class _Counter:
    started: float = 0.0
    hits: float = 0.0  # window hits, or bucket tokens used
    blocked_until: float = 0.0
    touched: float = 0.0


@dataclass
class _VendorRules:
    defaults: dict[str, RateRule]
    current: dict[str, RateRule] = field(default_factory=dict)
    # the enabled rules of each stage (False: at the edge, True: after routing), kept in step with `current`
    # by `rules_changed` so a request does not filter the rules again
    stages: dict[bool, tuple[RateRule, ...]] = field(default_factory=dict)

    def rules_changed(self) -> None:
        enabled = [rule for rule in self.current.values() if rule.enabled]
        self.stages = {stage: tuple(r for r in enabled if r.after_routing == stage) for stage in (False, True)}


class RateLimiter:
    def __init__(self, clock: VirtualClock, *, max_keys: int = 50_000) -> None:
        self.clock = clock
        self.max_keys = max_keys
        self.enabled = True
        self._vendors: dict[str, _VendorRules] = {}
        self._counters: dict[tuple[str, str, str], _Counter] = {}
        self._lock = threading.Lock()

    # -- configuration -------------------------------------------------------------------
    def register(self, vendor: str, rules: list[RateRule]) -> None:
        defaults = {r.name: r for r in rules}
        self._vendors[vendor] = entry = _VendorRules(defaults=defaults, current=dict(defaults))
        entry.rules_changed()

    def rules(self, vendor: str) -> list[RateRule]:
        entry = self._vendors.get(vendor)
        return list(entry.current.values()) if entry else []

    def describe(self) -> dict[str, list[dict]]:
        return {vendor: [r.describe() for r in entry.current.values()] for vendor, entry in self._vendors.items()}

    def override(
        self,
        vendor: str,
        rule: str | None = None,
        *,
        limit: int | None = None,
        window: float | None = None,
        enabled: bool | None = None,
    ) -> list[RateRule]:
        """Change one rule (or all rules of a vendor when `rule` is None); counters restart."""
        entry = self._vendors.get(vendor)
        if entry is None:
            raise KeyError(f"unknown vendor {vendor!r}")
        names = list(entry.current) if rule is None else [rule]
        for name in names:
            if name not in entry.current:
                raise KeyError(f"vendor {vendor!r} has no rate rule {name!r}; rules: {sorted(entry.current)}")
        with self._lock:
            for name in names:
                current = entry.current[name]
                entry.current[name] = replace(
                    current,
                    limit=current.limit if limit is None else limit,
                    window=current.window if window is None else window,
                    enabled=current.enabled if enabled is None else enabled,
                )
            entry.rules_changed()
            self._forget(vendor)
        return [entry.current[n] for n in names]

    def restore_defaults(self, vendor: str | None = None) -> None:
        """Every rule (of one vendor, or all) back to its default, counters cleared; with no vendor, the
        limiter switched back on too."""
        with self._lock:
            if vendor is None:
                self.enabled = True
            for name, entry in self._vendors.items():
                if vendor is None or name == vendor:
                    entry.current = dict(entry.defaults)
                    entry.rules_changed()
                    self._forget(name)

    def settings(self) -> tuple[bool, dict[str, dict[str, dict[str, Any]]]]:
        """Whether the limiter is on, and every rule that differs from its default: {vendor: {rule: {limit,
        window, enabled}}} (what a shared store hands the other workers)."""
        changed: dict[str, dict[str, dict[str, Any]]] = {}
        for vendor, entry in self._vendors.items():
            for name, rule in entry.current.items():
                if rule != entry.defaults[name]:
                    changed.setdefault(vendor, {})[name] = {
                        "limit": rule.limit,
                        "window": rule.window,
                        "enabled": rule.enabled,
                    }
        return self.enabled, changed

    def apply_settings(self, enabled: bool, overrides: dict[str, dict[str, dict[str, Any]]]) -> None:
        """Take the settings `settings()` describes (the rules' defaults, then the overrides)."""
        self.restore_defaults()
        self.enabled = enabled
        for vendor, rules in overrides.items():
            for name, values in rules.items():
                self.override(vendor, name, **values)

    def clear_counters(self, vendor: str | None = None) -> None:
        with self._lock:
            self._forget(vendor)

    def _forget(self, vendor: str | None) -> None:
        if vendor is None:
            self._counters.clear()
        else:
            for key in [k for k in self._counters if k[0] == vendor]:
                del self._counters[key]

    # -- checking ------------------------------------------------------------------------
    def counts_after_routing(self, vendor: str) -> bool:
        """Whether any rule of the vendor waits for the route (so the router must report it)."""
        entry = self._vendors.get(vendor)
        return entry is not None and bool(entry.stages[True])

    def check(self, info: RequestInfo, *, after_routing: bool = False) -> list[Decision]:
        """Count this request against every rule of this stage (at the edge, or after routing) that applies;
        the first denial wins (nothing is counted for a denied request, as in Laravel)."""
        entry = self._vendors.get(info.vendor)
        if entry is None or not self.enabled:
            return []
        rules = entry.stages[after_routing]
        if not rules:
            return []
        now = self.clock.time()
        counted: list[tuple[_Counter, Decision]] = []
        with self._lock:
            for rule in rules:
                if not rule.applies(info):
                    continue
                key = rule.key(info)
                if key is None:
                    continue
                counter = self._counter((info.vendor, rule.name, key), now)
                decision = self._evaluate(rule, counter, now)
                if not decision.allowed:
                    if rule.cooldown and counter.blocked_until <= now:
                        counter.blocked_until = now + rule.cooldown
                        decision.retry_after = math.ceil(rule.cooldown)
                        decision.reset_at = counter.blocked_until
                    return [decision]
                counted.append((counter, decision))
            for counter, decision in counted:
                counter.hits += 1
                counter.touched = now
                if decision.remaining > 0:
                    decision.remaining -= 1
        return [decision for _, decision in counted]

    def counted(self, info: RequestInfo, *, after_routing: bool = False) -> list[tuple[RateRule, str]]:
        """The (rule, key) pairs `check` would count this request under (a shared store counts them in Redis).
        The same selection as check's loop, which keeps its own copy: folding it into a helper cost the
        embedded hot path about 0.5 µs per request."""
        entry = self._vendors.get(info.vendor)
        if entry is None:
            return []
        pairs = []
        for rule in entry.stages[after_routing]:
            if rule.applies(info):
                key = rule.key(info)
                if key is not None:
                    pairs.append((rule, key))
        return pairs

    def _counter(self, key: tuple[str, str, str], now: float) -> _Counter:
        counter = self._counters.get(key)
        if counter is None:
            if len(self._counters) >= self.max_keys:
                self._prune(now)
            counter = self._counters[key] = _Counter(started=now, touched=now)
        return counter

    def _prune(self, now: float) -> None:
        """Drop the least recently used half: bounded memory for long-running demos."""
        by_age = sorted(self._counters.items(), key=lambda kv: kv[1].touched)
        for key, _ in by_age[: len(by_age) // 2]:
            del self._counters[key]

    @staticmethod
    def _evaluate(rule: RateRule, counter: _Counter, now: float) -> Decision:
        if counter.blocked_until > now:
            wait = counter.blocked_until - now
            return Decision(rule, False, rule.limit, 0, counter.blocked_until, max(1, math.ceil(wait)))
        if rule.algorithm == "bucket":
            rate = rule.limit / rule.window
            counter.hits = max(0.0, counter.hits - (now - counter.started) * rate)  # refill since last look
            counter.started = now
            available = rule.limit - counter.hits
            full_at = now + counter.hits / rate
            if available < 1:
                wait = (1 - available) / rate
                return Decision(rule, False, rule.limit, 0, full_at, max(1, math.ceil(wait)))
            return Decision(rule, True, rule.limit, int(available), full_at, 0)
        if now - counter.started >= rule.window:  # the window is over: a new one opens now
            counter.started, counter.hits = now, 0
        reset_at = counter.started + rule.window
        if counter.hits >= rule.limit:
            return Decision(rule, False, rule.limit, 0, reset_at, max(1, math.ceil(reset_at - now)))
        return Decision(rule, True, rule.limit, int(rule.limit - counter.hits), reset_at, 0)


# -- header profiles vendors share ---------------------------------------------------------------------


def laravel_headers(decisions: list[Decision]) -> dict[str, str]:
    """Laravel's ThrottleRequests on every answered request: limit and what is left of it."""
    if not decisions:
        return {}
    decision = decisions[0] if len(decisions) == 1 else min(decisions, key=lambda d: d.remaining)
    return {"X-RateLimit-Limit": str(decision.limit), "X-RateLimit-Remaining": str(decision.remaining)}


def laravel_429_headers(decision: Decision) -> dict[str, str]:
    """Laravel's headers on a 429: Retry-After (seconds) and X-RateLimit-Reset (epoch, virtual clock)."""
    return {
        "X-RateLimit-Limit": str(decision.limit),
        "X-RateLimit-Remaining": "0",
        "Retry-After": str(decision.retry_after),
        "X-RateLimit-Reset": str(math.ceil(decision.reset_at)),
    }
