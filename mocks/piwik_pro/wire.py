"""How the users and user groups APIs' rows look on the wire: the dates of each API, the user, group and member
resources, the listings' sort fields, and offset pages of any listing (the JSON:API document and listing
envelopes are jsonapi.py's)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from mocks.core.pagination import offset_page, sort_rows
from mocks.core.serialization import fragment
from mocks.core.store import Row, World, row_memo

from .jsonapi import kept_page, listing

USER_TYPE = "ppms/user"
GROUP_TYPE = "ppms/user-group"

# the `sort` values of the Users and User groups listings and the row field each sorts on
USER_SORTS = {"email": lambda u: u["email"], "addedAt": lambda u: u["added_at"], "role": lambda u: u["role"]}
GROUP_SORTS = {
    "name": lambda g: g["name"].lower(),
    "created_at": lambda g: g["created_at"],
    "updated_at": lambda g: g["updated_at"],
}
MEMBER_SORTS = {"email": lambda u: u["email"]}


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


def users_page(world: World, rows: list[Row] | None, sort: str, offset: int, limit: int, organization: str):
    """A page of the users listing; those of every user (rows None: the listing clients poll) are kept as
    bytes until the users change."""

    def page():
        return offset_listing(user_listing(world, rows, sort, USER_SORTS, organization), offset, limit)

    if rows is not None:
        return page()
    return kept_page(world["users"], ("page", sort, offset, limit, organization), page)


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


def offset_listing(rows: list, offset: int, limit: int, render: Callable[[Any], Any] | None = None):
    """An offset page of rows, in their order, as a JSON:API listing (`meta.total` counts every row);
    `render` turns each row of the page into its resource."""
    page = offset_page(rows, offset, limit)
    return listing(page.items if render is None else [render(r) for r in page.items], page.total)
