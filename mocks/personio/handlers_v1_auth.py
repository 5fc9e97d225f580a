"""POST /v1/auth (personio-auth-api.yaml): credentials from a JSON or form body, or — deprecated
(https://developer.personio.de/changelog/deprecated-query-string-credentials-on-post-v1auth) — the query string."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response

from . import auth as tokens
from . import errors as e

# Query-string credentials: removed on 2026-12-04 for credentials created after 2026-06-01, on 2027-01-04 for
# older ones (changelog "deprecated-query-string-credentials-on-post-v1auth").
NEW_CREDENTIALS_SINCE = datetime(2026, 6, 1, tzinfo=UTC).timestamp()
NEW_CREDENTIALS_CUTOFF = datetime(2026, 12, 4, tzinfo=UTC).timestamp()
OLD_CREDENTIALS_CUTOFF = datetime(2027, 1, 4, tzinfo=UTC).timestamp()


def query_credentials_removed(credential: dict[str, Any], now: float) -> bool:
    cutoff = NEW_CREDENTIALS_CUTOFF if credential["created_at"] >= NEW_CREDENTIALS_SINCE else OLD_CREDENTIALS_CUTOFF
    return now >= cutoff


async def auth(body: Any = None, client_id: str | None = None, client_secret: str | None = None):
    ctx = current()
    world = ctx.world
    data = body if isinstance(body, dict) else {}
    given_id, given_secret, from_query = data.get("client_id"), data.get("client_secret"), False
    if given_id is None and given_secret is None and (client_id is not None or client_secret is not None):
        given_id, given_secret, from_query = client_id, client_secret, True
    row = tokens.credential(world, given_id)
    if row is None or not isinstance(given_secret, str) or row["secret"] != given_secret:
        raise e.wrong_credentials()
    if from_query and query_credentials_removed(row, ctx.clock.time()):
        raise e.query_string_credentials_removed()
    rotate = ctx.vendor.settings_of(world)["rotate"]
    with world.transaction():
        token, expires_in = tokens.issue_v1_token(world, row, stable=not rotate)
    return json_response(
        {"success": True, "data": {"token": token, "expires_in": expires_in, "scope": " ".join(row["v1_scopes"])}}
    )
