"""The control API under /_mocks (JSON), for CI in any language (the dashboard in front of it: core/console.py).

Every operation here is also reachable from Python through `Suite` (see mocks.testing).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from . import admin_guard, admin_schema
from .admin_schema import AdminRefusal
from .auth import revoke
from .clock import parse_duration
from .paths import data_dir
from .serialization import dumps
from .snapshot_check import check_snapshot

if TYPE_CHECKING:
    from .app import Suite


class AdminError(AdminRefusal):
    """An admin request refused by an endpoint (kept for callers of the older name)."""

    def __init__(self, status: int, message: str, field: str | None = None, location: str | None = "body") -> None:
        super().__init__(status, message, field, location if field is not None else None)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(data), status_code=status, media_type="application/json", headers=headers)


def _refused(refusal: AdminRefusal) -> Response:
    return _json(refusal.body(), refusal.status, refusal.headers)


@dataclass
class Call:
    """An admin request after validation against specs/admin.yaml."""

    request: Request
    body: Any = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    path: dict[str, Any] = field(default_factory=dict)

    @property
    def method(self) -> str:
        return self.request.method


BODY_LIMIT = 1 << 20  # an admin body; snapshots get SNAPSHOT_LIMIT
SNAPSHOT_LIMIT = 256 << 20


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise AdminRefusal(413, f"body larger than {limit} bytes", "body", "body")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise AdminRefusal(413, f"body larger than {limit} bytes", "body", "body")
        chunks.append(chunk)
    return b"".join(chunks)


class AdminApp:
    def __init__(self, suite: Suite) -> None:
        self.suite = suite
        routes = {
            "/_mocks/health": {"GET": self.health},
            "/_mocks/vendors": {"GET": self.vendors},
            "/_mocks/reset": {"POST": self.reset},
            "/_mocks/seed": {"GET": self.seed, "POST": self.seed},
            "/_mocks/clock": {"GET": self.clock, "POST": self.clock},
            "/_mocks/ratelimits": {"GET": self.ratelimits, "PUT": self.ratelimits, "DELETE": self.ratelimits},
            "/_mocks/faults": {"GET": self.faults, "POST": self.faults, "DELETE": self.faults},
            "/_mocks/faults/{fault_id}": {"DELETE": self.fault},
            "/_mocks/journal": {"GET": self.journal, "DELETE": self.journal},
            "/_mocks/tokens": {"POST": self.tokens, "DELETE": self.tokens},
            "/_mocks/settings": {"GET": self.settings, "PATCH": self.settings},
            "/_mocks/snapshot": {"GET": self.snapshot, "PUT": self.snapshot},
            "/_mocks/specs/{name}": {"GET": self.spec},
        }
        # templates -> anchored regexes; a parameter is one path segment
        self._routes = [
            (re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(t)) + "$"), t, e)
            for t, e in routes.items()
        ]

    async def __call__(self, scope, receive, send) -> None:
        request = Request(scope, receive)
        try:
            response = await self._dispatch(request)
        except AdminRefusal as refusal:
            response = _refused(refusal)
        await response(scope, receive, send)

    async def _dispatch(self, request: Request) -> Response:
        suite = self.suite
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in request.scope["headers"]}
        admin_guard.check(
            request.scope,
            headers,
            enabled=getattr(suite, "admin_enabled", True),
            token=getattr(suite, "admin_token", None),
        )
        path = request.scope["path"]
        found = next(((m, t, e) for p, t, e in self._routes if (m := p.match(path))), None)
        if found is None:
            raise AdminRefusal(404, f"no admin operation at {path[:200]}; see GET /_mocks/specs/admin.yaml")
        match, template, endpoints = found
        method = "GET" if request.method == "HEAD" else request.method
        endpoint = endpoints.get(method)
        if endpoint is None:
            allowed = ", ".join([*endpoints, "HEAD"] if "GET" in endpoints else endpoints)
            raise AdminRefusal(
                405, f"{request.method} is not allowed on {template}; allowed: {allowed}", headers={"Allow": allowed}
            )
        operation = admin_schema.operations().get((method, template))
        raw = await _read_body(request, SNAPSHOT_LIMIT if template == "/_mocks/snapshot" else BODY_LIMIT)
        admin_guard.check_media_type(method, headers, bool(raw.strip()))
        call = Call(request)
        if operation is not None:
            call.path = operation.check_path(match.groupdict())
            call.query = operation.check_query(
                parse_qsl(request.scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
            )
            call.body = operation.check_body(raw)
        shared = suite.shared
        try:
            if shared is not None:
                await shared.ready()
            return await endpoint(call)
        except (ValueError, KeyError) as error:  # an engine or vendor refusal no schema states
            message = error.args[0] if error.args else str(error)
            return _json({"error": str(message)}, 400)
        except Exception as error:
            if shared is None or not isinstance(error, shared.FAILURES):
                raise
            shared.failed(error)
            return _json({"error": f"shared store {shared.address}: {error}"}, 503)

    def _holding(self, vendor: str, tenant: str):
        """An operation on one world: with a shared store, caught up and write-locked meanwhile."""
        shared = self.suite.shared
        return nullcontext() if shared is None else shared.holding(vendor, tenant)

    def _vendor(self, name: Any, field_name: str = "vendor", location: str = "body"):
        """The served vendor of that name (the spec lists every vendor; a server may serve fewer)."""
        vendor = self.suite.vendors.get(name)
        if vendor is None:
            raise AdminError(
                400, f"vendor {name!r} is not served here; vendors: {sorted(self.suite.vendors)}", field_name, location
            )
        return vendor

    @staticmethod
    def _base_url(request: Request) -> str:
        return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"

    # -- outside any vendor ------------------------------------------------------------------
    async def outside_vendors(self, scope, receive, send) -> None:
        request = Request(scope, receive)
        if scope["path"] == "/" and scope["method"] in ("GET", "HEAD"):
            response = _json(
                {
                    "vendors": [v.describe(self._base_url(request)) for v in self.suite.vendors.values()],
                    "admin": f"{self._base_url(request)}/_mocks",
                }
            )
        else:
            response = _json(
                {
                    "error": "not_found",
                    "detail": f"no mock is mounted at {scope['path']}; mounts: "
                    + ", ".join(v.mount for v in self.suite.vendors.values()),
                },
                404,
            )
        await response(scope, receive, send)

    # -- endpoints -----------------------------------------------------------------------------
    async def health(self, call: Call) -> Response:
        suite = self.suite
        shared = suite.shared
        if shared is not None:
            assert shared.clock is not None and shared.worlds is not None and shared.journal is not None
            await shared.clock.refresh()
            await shared.worlds.seed()
            worlds = await shared.worlds.tenants()
            journal_entries = await shared.journal.count()
        else:
            worlds = suite.worlds.tenants()
            journal_entries = len(suite.journal)
        return _json(
            {
                "status": "ok",
                "framework": suite.framework,
                "seed": suite.seed,
                "vendors": sorted(suite.vendors),
                "clock": suite.clock.state(),
                "worlds": [{"vendor": v, "tenant": t} for v, t in worlds],
                "journal_entries": journal_entries,
                "worker_pid": os.getpid(),  # which process answered (mocks run --workers N)
            }
        )

    async def vendors(self, call: Call) -> Response:
        return _json([v.describe(self._base_url(call.request)) for v in self.suite.vendors.values()])

    async def reset(self, call: Call) -> Response:
        data = {**call.query, **call.body}
        vendor, tenant = data.get("vendor"), data.get("tenant")
        if vendor is not None:
            self._vendor(vendor, location="query" if "vendor" in call.query else "body")
        dropped = self.suite.reset(vendor, tenant)
        everything = vendor is None and tenant is None
        if self.suite.shared is not None:  # every worker's: what Suite.reset did to this one's, in Redis
            dropped = await self.suite.shared.reset(vendor, tenant)
        return _json(
            {
                "reset": {
                    "vendor": vendor,
                    "tenant": tenant,
                    "worlds_dropped": dropped,
                    "faults_journal_ratelimits": everything,
                }
            }
        )

    async def seed(self, call: Call) -> Response:
        shared = self.suite.shared.worlds if self.suite.shared is not None else None
        if call.method == "POST":
            if shared is not None:  # every worker's worlds
                await shared.reseed(call.body["seed"])
            else:
                self.suite.worlds.reseed(call.body["seed"])
        elif shared is not None:
            await shared.seed()
        return _json({"seed": self.suite.seed})

    async def clock(self, call: Call) -> Response:
        clock = self.suite.clock
        shared = self.suite.shared
        if shared is not None:
            assert shared.clock is not None
            await shared.clock.refresh()
        if call.method == "POST":
            data = call.body

            def unfreeze(on: bool) -> None:
                if on:
                    clock.unfreeze()

            moves: dict[str, Callable[[Any], None]] = {  # each takes its field of the schema-checked body
                "set": clock.set,
                "freeze": lambda at: clock.freeze(None if at is True else at),
                "unfreeze": unfreeze,
                "advance": clock.advance,
            }

            def move_all(_: Any) -> None:
                for name, move in moves.items():
                    if name in data:
                        try:
                            move(data[name])
                        except ValueError as error:
                            raise AdminError(400, f"{name}: {error}", name) from None

            if shared is not None:  # every worker's clock, all moves or none
                assert shared.clock is not None
                await shared.clock.move(move_all)
            else:
                with clock.all_or_nothing():  # a refused move undoes the ones before it
                    move_all(clock)
        return _json(clock.state())

    async def ratelimits(self, call: Call) -> Response:
        limiter = self.suite.limiter
        shared = self.suite.shared.rates if self.suite.shared is not None else None
        if call.method != "GET":
            await shared.change(lambda: self._change_limits(call)) if shared else self._change_limits(call)
        elif shared is not None:
            await shared.refresh()
        return _json({"enabled": limiter.enabled, "vendors": limiter.describe()})

    def _change_limits(self, call: Call) -> tuple[None, list[str]]:
        """PUT or DELETE /_mocks/ratelimits on this worker's limiter; the vendors whose counters restart."""
        limiter = self.suite.limiter
        if call.method == "DELETE":
            vendor = call.query.get("vendor")
            name = vendor and self._vendor(vendor, location="query").name
            limiter.restore_defaults(name)
            return None, [name] if name else list(self.suite.vendors)
        data = call.body
        if set(data) == {"enabled"}:
            limiter.enabled = data["enabled"]
            return None, []
        vendor, window = self._vendor(data["vendor"]), _window(data)
        try:
            limiter.override(
                vendor.name, data.get("rule"), limit=data.get("limit"), window=window, enabled=data.get("enabled")
            )
        except KeyError as error:
            raise AdminError(400, str(error.args[0]), "rule") from None
        return None, [vendor.name]

    async def faults(self, call: Call) -> Response:
        faults = self.suite.faults
        shared = self.suite.shared.faults if self.suite.shared is not None else None
        if call.method == "POST":
            if call.body.get("vendor") is not None:
                self._vendor(call.body["vendor"])
            known = set(self.suite.vendors)
            fault = (
                await shared.add(call.body, known_vendors=known)
                if shared
                else faults.add(call.body, known_vendors=known)
            )
            return _json(fault.to_dict(), 201)
        if call.method == "DELETE":
            await shared.clear() if shared else faults.clear()
        elif shared is not None:
            await shared.refresh()
        return _json([f.to_dict() for f in faults.list()])

    async def fault(self, call: Call) -> Response:
        shared = self.suite.shared.faults if self.suite.shared is not None else None
        fault_id = call.path["fault_id"]
        if not (await shared.remove(fault_id) if shared else self.suite.faults.remove(fault_id)):
            raise AdminError(404, f"no fault {fault_id}", "fault_id", "path")
        return Response(status_code=204)

    async def journal(self, call: Call) -> Response:
        journal = self.suite.journal
        shared = self.suite.shared.journal if self.suite.shared is not None else None
        if call.method == "DELETE":
            await shared.clear() if shared else journal.clear()
            return Response(status_code=204)
        q = call.query
        filters = {k: q[k] for k in ("vendor", "tenant", "since", "method", "path", "kind", "limit") if k in q}
        if shared is not None:  # every worker's entries
            return _json(await shared.query(**filters))
        return _json([e.to_dict() for e in journal.query(**filters)])

    async def tokens(self, call: Call) -> Response:
        data = dict(call.body)
        vendor = self._vendor(data.pop("vendor"))
        tenant = data.pop("tenant", None) or vendor.default_tenant
        async with self._holding(vendor.name, tenant):
            world = self.suite.worlds.get(vendor.name, tenant)
            if call.method == "DELETE":  # revoke: the token gets the vendor's 401 from now on
                revoke(world, data["token"])
                return Response(status_code=204)
            try:
                minted = self.suite.mint_token(vendor.name, tenant, data, scope=call.request.scope)
            except (TypeError, OverflowError) as error:  # a parameter the vendor's checks let through; rolled back
                raise AdminError(400, f"parameters {sorted(data)} refused by {vendor.name}: {error}") from None
        return _json(minted, 201)

    async def settings(self, call: Call) -> Response:
        data = call.body if call.method == "PATCH" else call.query
        vendor = self._vendor(data["vendor"], location="body" if call.method == "PATCH" else "query")
        tenant = data.get("tenant") or vendor.default_tenant
        async with self._holding(vendor.name, tenant):
            world = self.suite.worlds.get(vendor.name, tenant)
            if call.method == "PATCH":
                with world.transaction():
                    vendor.apply_settings(world, data["settings"])
            return _json({"vendor": vendor.name, "tenant": tenant, "settings": vendor.settings_of(world)})

    async def snapshot(self, call: Call) -> Response:
        worlds = self.suite.worlds
        shared = self.suite.shared
        if call.method == "PUT":
            check_snapshot(self.suite, call.body)  # whole, before any world is replaced
            if shared is not None:
                assert shared.worlds is not None
                await shared.worlds.restore(call.body)
            else:
                worlds.load(call.body)
        if shared is not None:  # every world any worker keeps, each caught up
            return _json(await shared.snapshot())
        return _json(worlds.dump())

    async def spec(self, call: Call) -> Response:
        name = call.path["name"]
        path = data_dir("specs") / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise AdminError(404, f"no spec named {name!r}", "name", "path")
        return Response(path.read_bytes(), media_type="application/yaml")


def _window(data: dict) -> float | None:
    """`window_seconds` (or `window`): seconds or an ISO-8601 duration, more than 0, at most 100 years."""
    name = "window_seconds" if data.get("window_seconds") is not None else "window"
    value = data.get(name)
    if value is None:
        return None
    try:
        seconds = parse_duration(value)
    except ValueError as error:
        raise AdminError(400, str(error), name) from None
    if not 0.001 <= seconds <= 3_153_600_000:
        raise AdminError(400, f"'{name}' must be between 0.001 seconds and 100 years", name)
    return seconds
