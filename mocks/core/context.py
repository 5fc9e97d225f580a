"""The request context: which vendor and tenant a request belongs to, its world, and who is calling.

The request path (core/middleware/vendor_context.py) sets it before Connexion runs; auth hooks fill in the
principal; handlers read it with `current()`. It is a context variable, so it follows the request into FlaskApp's
worker threads too.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import Suite
    from .clock import VirtualClock
    from .store import World
    from .vendor import Vendor

_current: ContextVar[RequestContext] = ContextVar("mocks_request_context")


@dataclass(slots=True)
class RequestContext:
    suite: Suite
    vendor: Vendor
    tenant: str
    scope: MutableMapping[str, Any]  # the ASGI scope
    vhost: bool = False  # the client used the vendor's own hostname
    principal: dict[str, Any] | None = None  # set by the vendor's verify()
    response_headers: dict[str, str] = field(default_factory=dict)  # extra headers handlers ask for
    _world: World | None = None
    used_world: bool = False  # the request's code asked for its world (a shared store keeps only such worlds)

    @property
    def world(self) -> World:
        if self._world is None:  # held until the request path releases it: see TenantWorlds.acquire
            self._world = self.suite.worlds.acquire(self.vendor.name, self.tenant)
            self.used_world = True
        return self._world

    def authenticated(self, status: int) -> bool:
        """Whether the request counts as authenticated, answered with `status`: a security scheme accepted it,
        or it was not refused as unauthenticated (a 401/403 with no principal: a failed authentication). A
        world a request seeded is kept only then (here, and in a shared store: middleware/shared_state.py)."""
        return self.principal is not None or status not in (401, 403)

    def release(self, status: int) -> None:
        """The request is done with its world (see `authenticated`)."""
        if self._world is not None:
            self.suite.worlds.release(self._world, authenticated=self.authenticated(status))
            self._world = None

    @property
    def clock(self) -> VirtualClock:
        return self.suite.clock

    def header(self, name: str, default: str | None = None) -> str | None:
        wanted = name.lower().encode("latin-1")
        for key, value in self.scope["headers"]:
            if key == wanted:
                return value.decode("latin-1")
        return default

    @property
    def base_url(self) -> str:
        """scheme://host[:port] as the client addressed us (absolute links point back at the mock)."""
        scheme = self.scope.get("scheme", "http")
        host = self.header("host")
        if not host:
            server = self.scope.get("server") or ("127.0.0.1", 8000)
            host = f"{server[0]}:{server[1]}" if server[1] not in (80, 443) else server[0]
        return f"{scheme}://{host}"

    @property
    def path(self) -> str:
        return self.scope["path"]

    def url(self, path: str, query: str = "") -> str:
        """An absolute URL on the mock's own host for a path of ours (e.g. /personio/v2/persons), as the
        client would reach it: without the vendor mount when it called the vendor's real hostname."""
        if self.vhost and path.startswith(self.vendor.mount):
            path = path[len(self.vendor.mount) :]
        return f"{self.base_url}{path}" + (f"?{query}" if query else "")


def current() -> RequestContext:
    """The context of the request being handled (raises LookupError outside a request)."""
    return _current.get()


def bind(ctx: RequestContext):
    return _current.set(ctx)


def unbind(token) -> None:
    _current.reset(token)
