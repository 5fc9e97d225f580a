"""Connexion's RoutingMiddleware for the FlaskApp build, with mounts that match every path.

Starlette's `Mount` matches `<base_path>/{path:path}` with `.*` compiled without DOTALL, so a path whose
parameter holds a percent-encoded line break (`/users/a%0A`) misses the API's mount. Connexion then passes
the request on unrouted, Flask's own router still finds the view, and the view fails with a 500 for want of
Connexion's operation context. The AsyncApp build (core/compiled.py) routes such paths normally; with this
middleware the FlaskApp build does too.
"""

from __future__ import annotations

import re

from connexion.frameworks.flask import IntegerConverter as FlaskIntegerConverter
from connexion.frameworks.starlette import IntegerConverter
from connexion.middleware.routing import RoutingMiddleware
from starlette.convertors import register_url_convertor
from starlette.routing import Mount


class BoundedIntegerConverter(IntegerConverter):
    """Connexion's `int` path convertor, refusing what int() cannot read (more than 4300 digits): such an id
    matches no route (the vendor's 404) instead of crashing the router."""

    regex = r"[+-]?[0-9]{1,4300}"


class BoundedFlaskIntegerConverter(FlaskIntegerConverter):
    """The same bound for Flask's own router (the FlaskApp build routes twice)."""

    regex = BoundedIntegerConverter.regex


def use_bounded_integers() -> None:
    register_url_convertor("int", BoundedIntegerConverter())


use_bounded_integers()  # before any route is compiled (core.compiled imports this module)


class AnyPathRoutingMiddleware(RoutingMiddleware):
    def __init__(self, app) -> None:
        super().__init__(app)
        use_bounded_integers()  # Connexion registers its own convertors when a RoutingMiddleware is built

    def add_api(self, *args, **kwargs) -> None:
        super().add_api(*args, **kwargs)
        for route in self.router.routes:
            if isinstance(route, Mount) and not route.path_regex.flags & re.DOTALL:
                route.path_regex = re.compile(route.path_regex.pattern, route.path_regex.flags | re.DOTALL)
        self._chain_shared_base_paths()

    def _chain_shared_base_paths(self) -> None:
        """Connexion chains an API to the ones already on its base path by making it the fallback of *every*
        earlier mount, so with three or more APIs on one path the first falls through straight to the last
        and the ones between are never reached. Chain them in order instead: each to the next."""
        mounts: dict[str, list[Mount]] = {}
        for route in self.router.routes:
            if isinstance(route, Mount):
                mounts.setdefault(route.path, []).append(route)
        for chain in mounts.values():
            for earlier, later in zip(chain, chain[1:], strict=False):
                # Mount.app is typed as a bare ASGI callable; Connexion's routed API apps carry `default`
                earlier.app.default = later.app  # type: ignore[attr-defined]
