"""Tasq rows on the wire: the README's objects and success envelopes, and the request bodies' names of row fields.

Only the profile object and the `{"Error": false, "Success": true, ...}` answers are documented (README,
tests/reference/tasq/README.md); the user, tasq and ticket objects of the routed operations are inferred from
them and from the gateway's request templates (tests/reference/tasq/backend-api-gateway/api_gateway.2020-07-17.yml).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mocks.core.serialization import fragment
from mocks.core.store import Row, World, row_memo

from . import domain as d


def timestamp(epoch: float) -> str:
    """'2020-07-09 14:03:11' (UTC): the only timestamp format in Tasq's code (the token item's `time`)."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d %H:%M:%S")


# -- objects --------------------------------------------------------------------------------------------
def profile(row: Row) -> dict[str, Any]:
    """GET /v1/profile/{user_email}: exactly the README's keys, in its order."""
    return {
        "username": row["username"],
        "user_id": row["id"],
        "accepting_tasqs": row["accepting_tasqs"],
        "teams": row["teams"],
        "user_phone_number": row["user_phone_number"],
    }


def user(row: Row) -> dict[str, Any]:
    """The /v1/users routes: the profile plus what POST /users maps (names, roles) — inferred."""
    return {**profile(row), "first_name": row["first_name"], "last_name": row["last_name"], "roles": row["roles"]}


@row_memo
def user_fragment(row: Row):
    return fragment(user(row))


def users(world: World) -> Any:
    """GET /v1/users: every user, cached until the users change."""
    rows = world["users"]
    return rows.derived("list", lambda: [user_fragment(u) for u in rows.values()])


def tasq(world: World, row: Row) -> dict[str, Any]:
    """Inferred from the gateway's /tasqs templates (`node_id`, `assign_to_user`, `type`; filters `team`,
    `username`) in the profile's snake_case. `team` is read from the assignee now, not stored."""
    return {
        "tasq_id": row["id"],
        "node_id": row["node_id"],
        "type": row["type"],
        "assign_to_user": row["assign_to_user"],
        "team": d.tasq_team(world, row),
        "time": timestamp(row["time"]),
    }


def ticket(row: Row) -> dict[str, Any]:
    """Inferred: POST /v1/tickets' request and response keys (PascalCase, integer TicketId)."""
    return {
        "TicketId": row["id"],
        "TicketName": row["title"],
        "Username": row["username"],
        "Description": row["description"],
        "IssueType": row["issue_type"],
        "Page": row["page"],
        "Operator": row["operator"],
        "time": timestamp(row["time"]),
    }


# -- Lambda success envelopes (README) -------------------------------------------------------------------
def user_saved(username: str) -> dict[str, Any]:
    """PUT /v1/profile's documented answer (and the users routes', inferred), keys in README order."""
    return {"Username": username, "Error": False, "Success": True}


def done(**identifiers: Any) -> dict[str, Any]:
    """POST /v1/tickets' documented answer shape: the flags first, then what was touched."""
    return {"Error": False, "Success": True, **identifiers}


# -- request bodies: body key → row field ---------------------------------------------------------------
PROFILE_KEYS = {
    "Roles": "roles",
    "PhoneNumber": "user_phone_number",
    "AcceptingTasqs": "accepting_tasqs",
    "Team": "teams",
}
USER_KEYS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "phone_number": "user_phone_number",
    "roles": "roles",
    "accepting_tasqs": "accepting_tasqs",
}
USER_UPDATE_KEYS = {**USER_KEYS, "team": "teams", "email": "username"}
TASQ_KEYS = {"node_id": "node_id", "type": "type", "assign_to_user": "assign_to_user"}

# POST /v1/tickets: the README's keys and the snake_case keys the gateway's request template maps
# (POST /tickets in tests/reference/tasq/backend-api-gateway/api_gateway.2020-07-17.yml).
# Either spelling is accepted; the README's wins when both are sent.
TICKET_FIELDS = {
    "Username": "username",
    "Description": "description",
    "TicketTitle": "ticket_title",
    "IssueType": "issue_type",
    "Page": "page",
    "Operator": "operator",
}


def ticket_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The six ticket fields under the README's names, whichever spelling the client used."""
    return {readme: body[readme] if readme in body else body.get(snake) for readme, snake in TICKET_FIELDS.items()}
