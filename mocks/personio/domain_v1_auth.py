"""POST /v1/auth: which credentials get a token, and the token issued (personio-auth-api.yaml).

Credentials in the query string are deprecated
(https://developer.personio.de/changelog/deprecated-query-string-credentials-on-post-v1auth).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mocks.core.store import Row, World

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


def checked_credential(world: World, client_id: Any, client_secret: Any, *, from_query: bool, now: float) -> Row:
    """The credential the id and secret name, else the documented 401 (or 400 once query strings are gone)."""
    row = tokens.credential(world, client_id)
    if row is None or not isinstance(client_secret, str) or row["secret"] != client_secret:
        raise e.wrong_credentials()
    if from_query and query_credentials_removed(row, now):
        raise e.query_string_credentials_removed()
    return row


def issue_token(world: World, row: Row, *, rotate: bool) -> tuple[str, int]:
    """The token and its lifetime in seconds (the current one while it lives, unless tokens rotate)."""
    with world.transaction():
        return tokens.issue_v1_token(world, row, stable=not rotate)
