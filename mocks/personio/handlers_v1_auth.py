"""POST /v1/auth (personio-auth-api.yaml): credentials from a JSON or form body, or — deprecated
(https://developer.personio.de/changelog/deprecated-query-string-credentials-on-post-v1auth) — the query string."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current

from . import domain_v1_auth as d
from . import wire_v1 as w


async def auth(body: Any = None, client_id: str | None = None, client_secret: str | None = None):
    ctx = current()
    world = ctx.world
    data = body if isinstance(body, dict) else {}
    given_id, given_secret, from_query = data.get("client_id"), data.get("client_secret"), False
    if given_id is None and given_secret is None and (client_id is not None or client_secret is not None):
        given_id, given_secret, from_query = client_id, client_secret, True
    row = d.checked_credential(world, given_id, given_secret, from_query=from_query, now=ctx.clock.time())
    token, expires_in = d.issue_token(world, row, rotate=ctx.vendor.settings_of(world)["rotate"])
    return w.ok(w.auth_token(token, expires_in, row))
