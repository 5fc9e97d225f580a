"""Connexion's RoutingMiddleware for the FlaskApp build, with mounts that match every path.

Starlette's `Mount` matches `<base_path>/{path:path}` with `.*` compiled without DOTALL, so a path whose
parameter holds a percent-encoded line break (`/users/a%0A`) misses the API's mount. Connexion then passes
the request on unrouted, Flask's own router still finds the view, and the view fails with a 500 for want of
Connexion's operation context. The AsyncApp build (core/compiled.py) routes such paths normally; with this
middleware the FlaskApp build does too.
"""

from __future__ import annotations

import re

from connexion.middleware.routing import RoutingMiddleware
from starlette.routing import Mount


class AnyPathRoutingMiddleware(RoutingMiddleware):
    def add_api(self, *args, **kwargs) -> None:
        super().add_api(*args, **kwargs)
        for route in self.router.routes:
            if isinstance(route, Mount) and not route.path_regex.flags & re.DOTALL:
                route.path_regex = re.compile(route.path_regex.pattern, route.path_regex.flags | re.DOTALL)
