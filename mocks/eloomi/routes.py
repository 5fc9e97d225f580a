"""eloomi's route table as Laravel 5.5 sees it: which requests reach a route (and so its middleware, the
throttle among them), and the `Allow` lists of the router's own OPTIONS and 405 answers.

Laravel attaches `throttle` to routes, not globally: a request that matches no route (404), matches a path
with another method (405), or is an OPTIONS request the router answers itself never runs it, so it is not
counted and carries no X-RateLimit headers.
"""

from __future__ import annotations

import functools
import re

from mocks.core.operations import OperationIndex
from mocks.core.ratelimit import RequestInfo
from mocks.core.specs import parsed_spec

SPEC = "eloomi.yaml"
TOKEN_OPERATION = "issue_token"
# Illuminate\Routing\Router::$verbs: the order of Allow lists
VERBS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _index() -> OperationIndex:
    return OperationIndex.of(SPEC, "")  # on paths below the vendor mount


def operation(method: str, local_path: str) -> str | None:
    """The operation a method + path (below the mount) reaches; None for no route or the router's OPTIONS."""
    found = _index().operation_id(method, local_path)
    return None if found is None or found.startswith("options_") else found


def api_route(info: RequestInfo) -> bool:
    """A /v3 route (the `api` throttle: 600 per 60 s)."""
    found = operation(info.method, info.local_path)
    return found is not None and found != TOKEN_OPERATION


def token_route(info: RequestInfo) -> bool:
    """Passport's POST /oauth/token (its own `throttle`)."""
    return operation(info.method, info.local_path) == TOKEN_OPERATION


def allowed(local_path: str, separator: str) -> str:
    """The methods of the routes on a path, in Laravel's order, OPTIONS left out (Laravel registers no
    OPTIONS routes): the router's OPTIONS answer joins them with ",", its 405 with ", "."""
    methods = _index().methods(local_path)
    return separator.join(m for m in VERBS if m in methods and m != "OPTIONS")


@functools.cache
def _templates() -> dict[str, re.Pattern]:
    """operationId → its path template as a pattern with a named group per path parameter."""
    found = {}
    for template, item in parsed_spec(SPEC)["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{([^/]+?)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$")
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                found[operation["operationId"]] = pattern
    return found


def path_parameters(operation: str, local_path: str) -> dict[str, str] | None:
    """The path parameters of `operation` in a path below the mount (as Connexion passes them), or None."""
    pattern = _templates().get(operation)
    match = pattern.match(local_path) if pattern else None
    return None if match is None else match.groupdict()
