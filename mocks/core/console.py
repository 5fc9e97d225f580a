"""What a person opens in a browser under /_mocks: the dashboard (/_mocks/), the API explorer
(/_mocks/explorer/) and the read-only world sizes the dashboard shows (/_mocks/worlds). Everything else under
/_mocks goes on to the admin API.

It also carries the two switches of an exposed instance for these pages: `suite.admin_enabled` False answers
every /_mocks path with 404 "the admin API is switched off" (but `/_mocks/health`, kept minimal for container
health checks), and
with `suite.admin_token` set the JSON these pages serve needs `Authorization: Bearer <token>` (the static
HTML/JS/CSS holds nothing secret and stays open, so the page can ask for the token).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, Router

from . import admin_guard
from .admin_schema import AdminRefusal
from .dashboard import dashboard_routes
from .explorer import explorer_routes
from .serialization import dumps

if TYPE_CHECKING:
    from .app import Suite

HEALTH = "/_mocks/health"


def json_response(data, status: int = 200) -> Response:
    return Response(dumps(data), status_code=status, media_type="application/json")


def token_refused(suite: Suite, request: Request) -> Response | None:
    """The refusal the admin API's own guard gives this request (token, foreign Origin, loopback Host), or None
    when it may go on: the JSON these pages serve is admin data and is guarded exactly like the admin API."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in request.scope["headers"]}
    try:
        admin_guard.check(request.scope, headers, enabled=True, token=getattr(suite, "admin_token", None))
    except AdminRefusal as refusal:
        return Response(
            dumps(refusal.body()), status_code=refusal.status, media_type="application/json", headers=refusal.headers
        )
    return None


class Console:
    """ASGI app mounted at /_mocks in front of the admin API (`admin`)."""

    def __init__(self, suite: Suite, admin) -> None:
        self.suite = suite
        self.admin = admin
        routes: list[Route] = [*dashboard_routes(suite), *explorer_routes(suite)]
        self.paths = Router(routes=routes)

    def __getattr__(self, name: str):
        if name == "admin":  # not set yet: no recursion
            raise AttributeError(name)
        return getattr(self.admin, name)  # outside_vendors() and whatever else the request path asks the admin API

    async def __call__(self, scope, receive, send) -> None:
        if not getattr(self.suite, "admin_enabled", True):
            if scope["path"] == HEALTH:
                await json_response({"status": "ok", "admin": "off"})(scope, receive, send)
            else:
                await self.admin(scope, receive, send)  # the admin guard's 404 "switched off"
            return
        for route in self.paths.routes:
            match, child = route.matches(scope)
            if match.name == "FULL":
                await route.handle({**scope, **child}, receive, send)
                return
        await self.admin(scope, receive, send)
