"""AnyPathRoutingMiddleware: the FlaskApp build routes paths whose parameters hold line breaks."""

from __future__ import annotations

import asyncio

import pytest
from connexion.middleware.routing import RoutingMiddleware
from connexion.resolver import Resolver
from connexion.spec import Specification

from mocks.core.routing import AnyPathRoutingMiddleware

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/items/{item}": {
            "get": {
                "operationId": "tests.core.test_routing.handler",
                "parameters": [{"name": "item", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def handler(item: str) -> None:  # the operation's function (routing resolves it, never calls it)
    """The operationId's target."""


def routed(middleware_class, path: str) -> dict:
    """The routing context the middleware gives a GET of `path` (empty: not routed)."""
    seen: dict = {}

    async def app(scope, receive, send) -> None:
        seen.update(scope.get("extensions", {}).get("connexion_routing", {}))

    middleware = middleware_class(app)
    middleware.add_api(Specification.load(SPEC), base_path="/api", resolver=Resolver())
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": [], "query_string": b""}
    asyncio.run(middleware(scope, None, None))
    return seen


@pytest.mark.parametrize("path", ["/api/items/a", "/api/items/a\n", "/api/items/a\nb"])
def test_paths_with_line_breaks_reach_their_operation(path):
    assert routed(AnyPathRoutingMiddleware, path)["operation_id"] == "tests.core.test_routing.handler"


def test_connexions_own_middleware_misses_them():
    # the defect this module works around (when this fails, Starlette fixed its Mount: drop the module)
    assert routed(RoutingMiddleware, "/api/items/a\nb").get("operation_id") is None
