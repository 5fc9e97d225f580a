"""Tasq resources and what may happen to them: lookups, the rules no schema states, the writes.

A world is one operator (`{OPERATOR}.tasqinc.com`): its teams, users, the tasqs assigned to them and the
support tickets filed. By the time these run the gateway part is done (route, authorizer, body schema); what
is left is what the Lambdas decide: users exist and are addressed by a unique username (their email), phone
numbers are E.164, a renamed user's tasqs and tickets follow the new name. Writes run in `world.transaction()`.
"""

from __future__ import annotations

import re
from typing import Any

from mocks.core.store import Row, World

from . import errors as e

# Phone numbers: Tasq keeps them in the Cognito attribute `phone_number` (E.164: "+", country code, number;
# at most 15 digits). The spec's `pattern` says so; this is the same check with JSON Schema's (ECMA)
# anchors, which — unlike Python's `$` — do not let a trailing newline through.
E164 = re.compile(r"\+[1-9][0-9]{1,14}")


# -- lookups --------------------------------------------------------------------------------------------
def user_named(world: World, username: str) -> Row | None:
    """Users are addressed by username (their email), case-sensitively like a DynamoDB key."""
    users = world["users"]
    return users.derived("by_username", lambda: {u["username"]: u for u in users.values()}).get(username)


def user_of(world: World, username: str) -> Row:
    row = user_named(world, username)
    if row is None:
        raise e.user_not_found(username)
    return row


def tasq_of(world: World, tasq_id: str) -> Row:
    row = world["tasqs"].get(tasq_id)
    if row is None:
        raise e.tasq_not_found(tasq_id)
    return row


def ticket_of(world: World, ticket_id: str) -> Row:
    row = world["tickets"].get(int(ticket_id)) if ticket_id.isascii() and ticket_id.isdigit() else None
    if row is None:
        raise e.ticket_not_found(ticket_id)
    return row


def tasq_team(world: World, row: Row) -> str | None:
    """A tasq belongs to its assignee's first team as the assignee's profile says it now (Tasq's teams are
    the user's `Team_` groups): a team change moves the user's tasqs with it. None without a team."""
    assignee = user_named(world, row["assign_to_user"])
    return assignee["teams"][0] if assignee is not None and assignee["teams"] else None


def tasqs(world: World, *, team: str = "", username: str = "") -> list[Row]:
    """The gateway's /tasqs filters: the assignee's username, the tasq's (derived) team."""
    rows = [t for t in world["tasqs"].values() if not username or t["assign_to_user"] == username]
    return [t for t in rows if not team or tasq_team(world, t) == team]


def tickets(world: World, ticket_id: str = "") -> list[Row]:
    rows = world["tickets"].values()
    return [t for t in rows if str(t["id"]) == ticket_id] if ticket_id else rows


# -- rows -----------------------------------------------------------------------------------------------
def new_user(
    world: World,
    *,
    username: str,
    user_id: str | None = None,
    accepting_tasqs: bool = True,
    teams: list[str] | None = None,
    user_phone_number: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    roles: list[str] | None = None,
) -> Row:
    return {
        "id": user_id or world.rnd.uuid4(),
        "username": username,
        "accepting_tasqs": accepting_tasqs,
        "teams": list(teams or []),
        "user_phone_number": user_phone_number,
        "first_name": first_name,
        "last_name": last_name,
        "roles": list(roles or []),
    }


def new_tasq(
    world: World, *, node_id: str, type_: str, assignee: Row, time: float | None = None, tasq_id: str | None = None
) -> Row:
    return {
        "id": tasq_id or world.rnd.uuid4(),
        "node_id": node_id,
        "type": type_,
        "assign_to_user": assignee["username"],
        "time": world.clock.time() if time is None else time,
    }


def new_ticket(world: World, fields: dict[str, str], *, ticket_id: int | None = None, time: float | None = None) -> Row:
    return {
        "id": ticket_id if ticket_id is not None else world["tickets"].next_id(),
        "title": fields["TicketTitle"],
        "username": fields["Username"],
        "description": fields["Description"],
        "issue_type": fields["IssueType"],
        "page": fields["Page"],
        "operator": fields["Operator"],
        "time": world.clock.time() if time is None else time,
    }


# -- rules ----------------------------------------------------------------------------------------------
def check_phone(field: str, value: Any) -> None:
    if isinstance(value, str) and not E164.fullmatch(value):
        raise e.invalid(e.phone_message(field))


def changes(body: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    """Row changes for the body keys sent (`mapping`: body key → row field). A phone number is checked as
    E.164; an empty one counts as not sent (Tasq's profile Lambda skips a falsy PhoneNumber)."""
    out = {}
    for key, field in mapping.items():
        if key not in body:
            continue
        if field == "user_phone_number":
            if body[key] == "":
                continue
            check_phone(key, body[key])
        out[field] = body[key]
    return out


def check_username_free(world: World, username: str) -> None:
    if user_named(world, username) is not None:
        raise e.user_already_exists(username)


# -- writes ---------------------------------------------------------------------------------------------
def create_user(world: World, username: str, fields: dict[str, Any]) -> Row:
    check_username_free(world, username)
    with world.transaction():
        return world["users"].insert(new_user(world, username=username, **fields))


def save_user(world: World, user: Row, fields: dict[str, Any]) -> str:
    """Apply a profile change; a new username (email) must be free, and everything that names the user by
    username follows: the tasqs assigned to it and the tickets it filed. Returns the username now."""
    old: str = user["username"]
    username: str = fields["username"] if "username" in fields else old
    if username != old:
        check_username_free(world, username)
    with world.transaction():
        world["users"].update(user["id"], fields)
        if username != old:
            for collection, field in (("tasqs", "assign_to_user"), ("tickets", "username")):
                for row in world[collection].values():
                    if row[field] == old:
                        world[collection].update(row["id"], {field: username})
    return username


def create_tasq(world: World, *, node_id: str, type_: str, assign_to_user: str) -> Row:
    assignee = user_of(world, assign_to_user)
    with world.transaction():
        return world["tasqs"].insert(new_tasq(world, node_id=node_id, type_=type_, assignee=assignee))


def update_tasq(world: World, row: Row, fields: dict[str, Any]) -> None:
    """`assign_to_user` must name an existing user."""
    if "assign_to_user" in fields:
        fields = {**fields, "assign_to_user": user_of(world, fields["assign_to_user"])["username"]}
    with world.transaction():
        world["tasqs"].update(row["id"], fields)


def delete_tasq(world: World, row: Row) -> None:
    with world.transaction():
        world["tasqs"].delete(row["id"])


def create_ticket(world: World, fields: dict[str, Any]) -> Row:
    """`fields` under the README's names; the filing user must exist."""
    user_of(world, fields["Username"])
    with world.transaction():
        return world["tickets"].insert(new_ticket(world, fields))


def delete_ticket(world: World, row: Row) -> None:
    with world.transaction():
        world["tickets"].delete(row["id"])
