"""The operations of specs/personio_v2.yaml: OAuth token and revocation, persons, employments
(credentials-service-api-v2.json, persons-service-api-v2.json, employment-contract-v2.json; copies in
tests/reference/personio/v2/). Rules and lookups: domain_v2; shapes, cursors and pages: wire_v2.
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response, no_content

from . import domain_v2 as d
from . import errors as e
from . import wire_v2 as w


# -- authentication --------------------------------------------------------------------------------
async def obtain_access_token(body: Any = None):
    token, scopes = d.grant_token(current().world, body if isinstance(body, dict) else {})
    return json_response(w.token(token, scopes))


async def revoke_access_token(body: Any = None):
    """Revokes a v2 access token of the caller's credentials; anything else is left alone (RFC 7009: an
    invalid token is no error)."""
    ctx = current()
    token = (body or {}).get("token") if isinstance(body, dict) else None
    if not token:
        raise e.oauth_missing_parameters(["token"])
    d.revoke_token(ctx.world, token, (ctx.principal or {}).get("client_id"))
    return no_content(200)


# -- persons ---------------------------------------------------------------------------------------
async def list_persons(limit: int = 10, **_: Any):
    query = w.query()
    filters, limit, after = w.page_state(query, w.PERSON_FILTERS, limit)
    found = d.persons_after(current().world, filters, after)
    return json_response(w.persons_page(found, query, filters, limit, after))


async def get_person(id: str):  # noqa: A002 (the official parameter name)
    ctx = current()
    return json_response(w.person_fragment(d.person(ctx.world, id), ctx.base_url))


# -- employments -----------------------------------------------------------------------------------
async def list_employments(person_id: str, limit: int = 10, **_: Any):
    world = current().world
    row = d.person(world, person_id)
    query = w.query()
    filters, limit, offset = w.page_state(query, w.EMPLOYMENT_FILTERS, limit)
    found = d.employments_matching(row, filters)
    return json_response(w.employments_page(world, row, found, query, filters, limit, offset))


async def get_employment(person_id: str, id: str):  # noqa: A002
    ctx = current()
    row = d.person(ctx.world, person_id)
    return json_response(w.employment(ctx.world, row["id"], d.employment(row, id), ctx.url))
