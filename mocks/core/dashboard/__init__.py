"""The dashboard at /_mocks/: plain HTML, JavaScript and CSS from static/ (no build step) driving the admin API,
plus the one read-only endpoint the admin API lacks for it: GET /_mocks/worlds (every live world, its size)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

if TYPE_CHECKING:
    from mocks.core.app import Suite

STATIC = Path(__file__).parent / "static"
_MEDIA = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


def world_sizes(suite: Suite) -> list[dict]:
    """Every world seeded so far: rows per collection (what a reset would drop)."""
    worlds = []
    for vendor, tenant in suite.worlds.tenants():
        world = suite.worlds.peek(vendor, tenant)
        if world is None:  # reset between the listing and now
            continue
        collections = {name: len(collection) for name, collection in sorted(world.collections.items())}
        worlds.append(
            {"vendor": vendor, "tenant": tenant, "rows": sum(collections.values()), "collections": collections}
        )
    return worlds


def dashboard_routes(suite: Suite) -> list[Route]:
    from mocks.core.console import json_response, token_refused

    async def page(request: Request) -> Response:
        # The vendor rows are in the page itself (readable without JavaScript); the script then fills in the rest.
        base = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"
        rows = "".join(
            f"<tr><td><strong>{html.escape(v.title)}</strong></td><td><code>{html.escape(base + v.mount)}"
            f"</code></td><td></td><td></td></tr>"
            for v in suite.vendors.values()
        )
        text = (STATIC / "index.html").read_text(encoding="utf-8").replace("<!--vendors-->", rows, 1)
        return HTMLResponse(text, headers={"Cache-Control": "no-cache"})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file() or path.suffix not in _MEDIA:
            return json_response({"error": "not_found", "detail": f"no dashboard file {name!r}"}, 404)
        return FileResponse(path, media_type=_MEDIA[path.suffix], headers={"Cache-Control": "no-cache"})

    async def worlds(request: Request) -> Response:
        refused = token_refused(suite, request)
        return refused or json_response(world_sizes(suite))

    return [
        Route("/_mocks", page, methods=["GET"]),
        Route("/_mocks/", page, methods=["GET"]),
        Route("/_mocks/dashboard/{name}", static, methods=["GET"]),
        Route("/_mocks/worlds", worlds, methods=["GET"]),
    ]
