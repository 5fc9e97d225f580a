"""PERSCOM v2 handlers: every `v2_<route>_<action>` operationId of specs/perscom_v2.yaml runs the same Orion
action of domain.py as v1 does (the version is the route's, so rules and wire shape follow it); the few
operations that are not Orion's are here: the cache, health and the JSON spec."""

from __future__ import annotations

import functools
from typing import Any

import orjson

from mocks.core.context import current
from mocks.core.specs import parsed_spec

from . import auth, wire
from .domain_routes import by_operation_id
from .handlers import resolve

# The roster lists groups with their units and their users unless the caller names other includes
# (INFERRED from SPEC2's roster include list and RosterResource: units with users).
ROSTER_DEFAULT_INCLUDE = "units.users"


@functools.cache
def _resolve(name: str):
    op = by_operation_id().get(name)
    if op is None or op.route.version != "v2":
        raise AttributeError(name)
    orion = resolve(name)
    if op.route.segment != "roster":
        return orion

    async def roster(body: Any = None, **params: Any):
        params.setdefault("include", ROSTER_DEFAULT_INCLUDE)
        return await orion(body=body, **params)

    roster.__name__ = roster.__qualname__ = name
    return roster


def __getattr__(name: str):  # PEP 562: Connexion's resolver asks for each operationId by name
    if name.startswith("__"):
        raise AttributeError(name)
    return _resolve(name)


async def v2_cache(version: str = "v2"):
    """POST /{version}/cache: clears the organisation's response cache (the mock keeps none). Scope
    `clear:cache` (APPH config/api.php)."""
    auth.require_scope(current().principal or {}, "clear:cache")
    return wire.status_okay()


async def v2_health():
    """GET /health (INFERRED body; no auth)."""
    return wire.status_okay()


async def v2_spec_json():
    """GET /spec.json: the v2 OpenAPI document (api-reference/introduction.mdx links it), public."""
    return wire.json_response(_spec())


@functools.cache
def _spec() -> Any:
    return orjson.loads(orjson.dumps(parsed_spec("perscom_v2.yaml")))
