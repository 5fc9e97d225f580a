"""How the users and user groups APIs' rows look on the wire: the dates of each API, the user, group and member
resources (the JSON:API document and listing envelopes are jsonapi.py's)."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any

from mocks.core.pagination import sort_rows
from mocks.core.serialization import fragment
from mocks.core.store import Row, World, row_memo

USER_TYPE = "ppms/user"
GROUP_TYPE = "ppms/user-group"


@functools.lru_cache(maxsize=8192)
def user_timestamp(epoch: int) -> str:
    """Users API dates: '2021-08-02T12:16:30+00:00'."""
    return datetime.fromtimestamp(int(epoch), UTC).isoformat()


def group_timestamp(millis: int) -> str:
    """User groups API dates: '2025-03-27T01:33:30.915Z' (rows keep integer milliseconds)."""
    moment = datetime.fromtimestamp(millis // 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"


def user_resource(row: Row, *, organization: str | None) -> dict[str, Any]:
    attributes: dict[str, Any] = {"email": row["email"], "role": row["role"]}
    if organization is not None:
        attributes["organization"] = organization
    attributes["addedAt"] = user_timestamp(row["added_at"])
    attributes["language"] = row["language"]
    return {"id": row["id"], "type": USER_TYPE, "attributes": attributes}


@row_memo
def user_fragment(row: Row, organization: str | None):
    """A user resource serialized once per row version (lists embed these)."""
    return fragment(user_resource(row, organization=organization))


def user_listing(world: World, rows: list[Row] | None, sort: str, sorts: dict[str, Any], organization: str) -> list:
    """The users sorted and serialized; None: every user, the listing clients poll, computed once per change
    of the users collection (and sort)."""

    def listing(found: list[Row]) -> list:
        return [user_fragment(u, organization) for u in sort_rows(found, sort, sorts, tie=lambda u: u["id"])]

    if rows is None:
        users = world["users"]
        return users.derived(("list", sort), lambda: listing(users.values()))
    return listing(rows)


def token(access_token: str, lifetime: int) -> dict[str, Any]:
    """The token endpoint's answer."""
    return {"token_type": "Bearer", "expires_in": lifetime, "access_token": access_token}


def invited_user_resource(row: Row) -> dict[str, Any]:
    """The invite response carries no `organization` (official schema and example)."""
    return user_resource(row, organization=None)


def group_resource(row: Row, *, with_external_id: bool = True) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "name": row["name"],
        "created_at": group_timestamp(row["created_at"]),
        "updated_at": group_timestamp(row["updated_at"]),
    }
    if with_external_id:
        attributes["external_id"] = row["external_id"]
    return {"type": GROUP_TYPE, "id": row["id"], "attributes": attributes}


def member_resource(row: Row) -> dict[str, Any]:
    return {"id": row["id"], "type": USER_TYPE, "attributes": {"email": row["email"]}}
