"""The control API under /_mocks (JSON), for CI in any language, and a small HTML dashboard.

Every operation here is also reachable from Python through `Suite` (see mocks.testing).
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route, Router

from .auth import revoke
from .clock import parse_duration, parse_instant
from .paths import data_dir
from .serialization import dumps

if TYPE_CHECKING:
    from .app import Suite


class AdminError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _json(data: Any, status: int = 200) -> Response:
    return Response(dumps(data), status_code=status, media_type="application/json")


async def _body(request: Request) -> dict:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise AdminError(400, f"body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise AdminError(400, "body must be a JSON object")
    return data


def _int(value: Any, name: str, *, minimum: int | None = None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise AdminError(400, f"'{name}' must be an integer") from None
    if isinstance(value, bool) or (minimum is not None and number < minimum):
        raise AdminError(400, f"'{name}' must be an integer >= {minimum}")
    return number


class AdminApp:
    def __init__(self, suite: Suite) -> None:
        self.suite = suite
        routes = [
            Route("/_mocks", self.dashboard, methods=["GET"]),
            Route("/_mocks/", self.dashboard, methods=["GET"]),
            Route("/_mocks/health", self.health, methods=["GET"]),
            Route("/_mocks/vendors", self.vendors, methods=["GET"]),
            Route("/_mocks/reset", self.reset, methods=["POST"]),
            Route("/_mocks/seed", self.seed, methods=["GET", "POST"]),
            Route("/_mocks/clock", self.clock, methods=["GET", "POST"]),
            Route("/_mocks/ratelimits", self.ratelimits, methods=["GET", "PUT", "DELETE"]),
            Route("/_mocks/faults", self.faults, methods=["GET", "POST", "DELETE"]),
            Route("/_mocks/faults/{fault_id:int}", self.fault, methods=["DELETE"]),
            Route("/_mocks/journal", self.journal, methods=["GET", "DELETE"]),
            Route("/_mocks/tokens", self.tokens, methods=["POST", "DELETE"]),
            Route("/_mocks/settings", self.settings, methods=["GET", "PATCH"]),
            Route("/_mocks/snapshot", self.snapshot, methods=["GET", "PUT"]),
            Route("/_mocks/specs/{name}", self.spec, methods=["GET"]),
        ]
        self.router = Router(routes=[Route(r.path, self._guard(r.endpoint), methods=r.methods) for r in routes])

    async def __call__(self, scope, receive, send) -> None:
        await self.router(scope, receive, send)

    def _guard(self, endpoint):
        async def guarded(request: Request) -> Response:
            try:
                return await endpoint(request)
            except AdminError as exc:
                return _json({"error": exc.message}, exc.status)
            except (ValueError, KeyError) as exc:
                message = exc.args[0] if exc.args else str(exc)
                return _json({"error": str(message)}, 400)

        return guarded

    def _vendor(self, name: Any, *, required: bool = True) -> str | None:
        if name is None and not required:
            return None
        if name not in self.suite.vendors:
            raise AdminError(400 if name is None else 404,
                             f"unknown vendor {name!r}; vendors: {sorted(self.suite.vendors)}")
        return name

    @staticmethod
    def _base_url(request: Request) -> str:
        return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"

    # -- outside any vendor ------------------------------------------------------------------
    async def outside_vendors(self, scope, receive, send) -> None:
        request = Request(scope, receive)
        if scope["path"] == "/" and scope["method"] in ("GET", "HEAD"):
            response = _json({"vendors": [v.describe(self._base_url(request)) for v in self.suite.vendors.values()],
                              "admin": f"{self._base_url(request)}/_mocks"})
        else:
            response = _json({"error": "not_found",
                              "detail": f"no mock is mounted at {scope['path']}; mounts: "
                                        + ", ".join(v.mount for v in self.suite.vendors.values())}, 404)
        await response(scope, receive, send)

    # -- endpoints -----------------------------------------------------------------------------
    async def health(self, request: Request) -> Response:
        suite = self.suite
        return _json({"status": "ok", "framework": suite.framework, "seed": suite.seed,
                      "vendors": sorted(suite.vendors), "clock": suite.clock.state(),
                      "worlds": [{"vendor": v, "tenant": t} for v, t in suite.worlds.tenants()],
                      "journal_entries": len(suite.journal)})

    async def vendors(self, request: Request) -> Response:
        return _json([v.describe(self._base_url(request)) for v in self.suite.vendors.values()])

    async def reset(self, request: Request) -> Response:
        data = {**dict(request.query_params), **await _body(request)}
        vendor = self._vendor(data.get("vendor"), required=False)
        tenant = data.get("tenant")
        dropped = self.suite.reset(vendor, tenant)
        everything = vendor is None and tenant is None
        return _json({"reset": {"vendor": vendor, "tenant": tenant, "worlds_dropped": dropped,
                                "faults_journal_ratelimits": everything}})

    async def seed(self, request: Request) -> Response:
        if request.method == "POST":
            data = await _body(request)
            if "seed" not in data:
                raise AdminError(400, "body must be {\"seed\": <integer>}")
            self.suite.worlds.reseed(_int(data["seed"], "seed"))
        return _json({"seed": self.suite.seed})

    async def clock(self, request: Request) -> Response:
        clock = self.suite.clock
        if request.method == "POST":
            data = await _body(request)
            known = {"advance", "freeze", "unfreeze", "set"}
            if not data or set(data) - known:
                raise AdminError(400, f"use one of {sorted(known)}, e.g. {{\"advance\": \"PT1H\"}}")
            if "set" in data:
                clock.set(parse_instant(str(data["set"])))
            if "freeze" in data:
                at = data["freeze"]
                clock.freeze(None if at in (True, None) else parse_instant(str(at)))
            if data.get("unfreeze"):
                clock.unfreeze()
            if "advance" in data:
                clock.advance(parse_duration(data["advance"]))
        return _json(clock.state())

    async def ratelimits(self, request: Request) -> Response:
        limiter = self.suite.limiter
        if request.method == "DELETE":
            limiter.restore_defaults(self._vendor(request.query_params.get("vendor"), required=False))
        elif request.method == "PUT":
            data = await _body(request)
            if set(data) == {"enabled"}:
                limiter.enabled = bool(data["enabled"])
            else:
                window = data.get("window_seconds", data.get("window"))
                limiter.override(
                    self._vendor(data.get("vendor")), data.get("rule"),
                    limit=None if data.get("limit") is None else _int(data["limit"], "limit", minimum=0),
                    window=None if window is None else max(0.001, parse_duration(window)),
                    enabled=None if data.get("enabled") is None else bool(data["enabled"]))
        return _json({"enabled": limiter.enabled, "vendors": limiter.describe()})

    async def faults(self, request: Request) -> Response:
        faults = self.suite.faults
        if request.method == "POST":
            fault = faults.add(await _body(request), known_vendors=set(self.suite.vendors))
            return _json(fault.to_dict(), 201)
        if request.method == "DELETE":
            faults.clear()
        return _json([f.to_dict() for f in faults.list()])

    async def fault(self, request: Request) -> Response:
        if not self.suite.faults.remove(request.path_params["fault_id"]):
            raise AdminError(404, "no such fault")
        return Response(status_code=204)

    async def journal(self, request: Request) -> Response:
        journal = self.suite.journal
        if request.method == "DELETE":
            journal.clear()
            return Response(status_code=204)
        q = request.query_params
        entries = journal.query(
            vendor=q.get("vendor"), tenant=q.get("tenant"), since=_int(q.get("since", 0), "since", minimum=0),
            method=q.get("method"), path=q.get("path"), kind=q.get("kind"),
            limit=_int(q["limit"], "limit", minimum=1) if "limit" in q else None)
        return _json([e.to_dict() for e in entries])

    async def tokens(self, request: Request) -> Response:
        data = await _body(request)
        vendor = self.suite.vendors[self._vendor(data.pop("vendor", None))]
        tenant = data.pop("tenant", None) or vendor.default_tenant
        world = self.suite.worlds.get(vendor.name, tenant)
        if request.method == "DELETE":  # revoke: the token gets the vendor's 401 from now on
            if not isinstance(data.get("token"), str) or not data["token"]:
                raise AdminError(400, "body must be {\"vendor\", \"tenant\"?, \"token\": <token>}")
            revoke(world, data["token"])
            return Response(status_code=204)
        return _json(self.suite.mint_token(vendor.name, tenant, data, scope=request.scope), 201)

    async def settings(self, request: Request) -> Response:
        data = dict(request.query_params)
        if request.method == "PATCH":
            data.update(await _body(request))
        vendor = self.suite.vendors[self._vendor(data.get("vendor"))]
        tenant = data.get("tenant") or vendor.default_tenant
        world = self.suite.worlds.get(vendor.name, tenant)
        if request.method == "PATCH":
            changes = data.get("settings")
            if not isinstance(changes, dict):
                raise AdminError(400, "body must be {\"vendor\", \"tenant\", \"settings\": {...}}")
            with world.transaction():
                vendor.apply_settings(world, changes)
        return _json({"vendor": vendor.name, "tenant": tenant, "settings": vendor.settings_of(world)})

    async def snapshot(self, request: Request) -> Response:
        worlds = self.suite.worlds
        if request.method == "PUT":
            data = await _body(request)
            if "worlds" not in data or "seed" not in data:
                raise AdminError(400, "not a snapshot (GET /_mocks/snapshot gives one)")
            worlds.load(data)
        return _json(worlds.dump())

    async def spec(self, request: Request) -> Response:
        name = request.path_params["name"]
        path = data_dir("specs") / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise AdminError(404, f"no spec named {name!r}")
        return Response(path.read_bytes(), media_type="application/yaml")

    async def dashboard(self, request: Request) -> Response:
        suite, base = self.suite, self._base_url(request)
        rows = []
        for vendor in suite.vendors.values():
            creds = "<br>".join(html.escape(f"{c.label}: " + ", ".join(f"{k}={v}" for k, v in c.values.items()))
                                for c in vendor.credentials())
            rows.append(f"<tr><td>{html.escape(vendor.title)}</td><td><code>{html.escape(base + vendor.mount)}</code>"
                        f"</td><td>{creds}</td></tr>")
        entries = suite.journal.query(limit=25)
        journal = "".join(
            f"<tr><td>{e.seq}</td><td>{html.escape(e.to_dict()['time'])}</td><td>{html.escape(e.vendor or '')}</td>"
            f"<td>{html.escape(e.tenant or '')}</td><td>{e.method}</td><td>{html.escape(e.path)}</td>"
            f"<td>{e.status}</td></tr>" for e in reversed(entries))
        page = f"""<!doctype html><html><head><meta charset="utf-8"><title>mocks</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:4px 10px;text-align:left;border-bottom:1px solid #ddd}}</style>
</head><body><h1>mocks</h1><p>seed {suite.seed} &middot; clock {html.escape(suite.clock.state()['now'])}
{'(frozen)' if suite.clock.frozen else ''} &middot; framework {suite.framework}</p>
<h2>Vendors</h2><table><tr><th>vendor</th><th>base URL</th><th>credentials</th></tr>{''.join(rows)}</table>
<h2>Last requests</h2><table><tr><th>#</th><th>time</th><th>vendor</th><th>tenant</th><th>method</th><th>path</th>
<th>status</th></tr>{journal}</table><p>API: <code>{html.escape(base)}/_mocks/health</code>, see README.</p></body></html>"""
        return HTMLResponse(page)
