"""How eloomi's rows look on the wire: the resource objects of the 2018 docs and the later reference, eloomi's
envelope `{status, status_code, message, extended_message[, data]}`, PHP's JSON encoding and the responses the
handlers return (a success with data, a success with a message, 204 for a record that does not exist).

Memberships live on the user row (`department_ids`, `team_ids`, `manager_ids`), as the user object shows
them; a unit's or team's `users` are derived from them (domain.members), so there is one truth for both
directions.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from mocks.core.pagination import offset_page
from mocks.core.responses import no_content, raw_response
from mocks.core.serialization import dumps, fragment, php_escaped
from mocks.core.store import Row, World, row_memo

from .domain import access_group_refs, members, participant_status

# -- PHP's JSON and eloomi's envelope -------------------------------------------------------------------


def php_json(body: Any) -> bytes:
    """JSON as Laravel's JsonResponse (and league's json_encode) write it: PHP's json_encode with default
    flags, `/` as `\\/` and non-ASCII as `\\uXXXX`."""
    return php_escaped(dumps(body))


def envelope(status: int, message: str | None, extended_message: str | None = "", **extra: Any) -> dict[str, Any]:
    """{"status": "<HTTP status text>", "status_code": N, "message", "extended_message"[, "data"]}."""
    return {
        "status": phrase(status),
        "status_code": status,
        "message": message,
        "extended_message": extended_message,
        **extra,
    }


def phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def json_response(body: Any, **options: Any):
    return raw_response(php_json(body), media_type=options.pop("media_type", "application/json"), **options)


def ok(data: Any, extended_message: str):
    """A success with data: message null, the text in extended_message (users/get.md and the rest)."""
    return json_response(envelope(200, None, extended_message, data=data))


def done(message: str):
    """A success without data: the text in message (users/pk/delete.md)."""
    return json_response(envelope(200, message, ""))


def found(row: Row | None, render: Callable[[Row], Any], extended_message: str):
    """A lookup's answer: 204 No Content when the record does not exist (None), as eloomi documents for
    every lookup, else `ok` with the rendered row."""
    return no_content() if row is None else ok(render(row), extended_message)


def missing():
    """A record that does not exist: 204 No Content, as eloomi documents for every lookup."""
    return no_content()


def token(body: dict[str, Any]):
    """Passport's token response (league/oauth2-server's BearerTokenResponse headers)."""
    return json_response(
        body, media_type="application/json; charset=UTF-8", headers={"Cache-Control": "no-store", "Pragma": "no-cache"}
    )


def options(allow: str):
    """Laravel's router answer to OPTIONS: 200, an empty body and `Allow`."""
    return raw_response(b"", media_type="text/html; charset=UTF-8", headers={"Allow": allow})


# -- users ----------------------------------------------------------------------------------------------


def user_resource(row: Row, *, created: bool = False) -> dict[str, Any]:
    """The user object of the 2018 docs, fields in their order. `created`: the create response, where
    relations not set yet are null rather than [] (users/post.md)."""
    departments = row["department_ids"]
    teams = row["team_ids"]
    return {
        "id": row["id"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "employee_id": row["employee_id"],
        "email": row["email"],
        "username": row["username"],
        "activated_at": row["activated_at"],
        "gender": row["gender"],
        "birthday": row["birthday"],
        "department_id": sorted(departments) if departments or not created else None,
        "user_permission": row["user_permission"],
        "start_of_employment_at": row["start_of_employment_at"],
        "end_of_employment_at": row["end_of_employment_at"],
        "personal_email": row["personal_email"],
        "title": row["title"],
        "phone": row["phone"],
        "mobile_phone": row["mobile_phone"],
        "language": row["language"],
        "access_groups": row["access_groups"],
        "country": row["country"],
        "location": row["location"],
        "legal": row["legal"],
        "level": row["level"],
        "initials": row["initials"],
        "sub_company": None,
        "skill_level": None,
        "salary_id": row["salary_id"],
        "team_id": sorted(teams) if teams or not created else None,
        "direct_manager_ids": list(row["manager_ids"]) or None,  # null when none, in every sample
        "custom_attributes": row["custom_attributes"],
    }


@row_memo
def user_fragment(row: Row):
    """A user serialized once per row version (listings embed these)."""
    return fragment(user_resource(row))


def user_listing(world: World, rows: list[Row] | None, size: int, number: int | None) -> list[Any]:
    """GET /v3/users: the users (None: every user, what clients poll, rendered once per change of the
    users), one page of `size` when `size` is positive (page `number`, from 1), else all."""
    if rows is None:
        users = world["users"]
        listing = users.derived("listing", lambda: [user_fragment(u) for u in users.values()])
    else:
        listing = [user_fragment(u) for u in rows]
    if size and size > 0:
        listing = offset_page(listing, (max(1, number or 1) - 1) * size, size).items
    return listing


# -- units, teams, courses ------------------------------------------------------------------------------


def unit_resource(world: World, row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "code": row["code"],
        "parent_id": row["parent_id"],
        "users": members(world, "department_ids").get(row["id"], []),
        "leaders": list(row["leader_ids"]),
        "access_groups": access_group_refs(world, row["access_group_ids"]),
    }


def team_resource(world: World, row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "users": members(world, "team_ids").get(row["id"], []),
        "leaders": list(row["leader_ids"]),
        "custom_attributes": row["custom_attributes"],
    }


COURSE_FIELDS = (
    "id",
    "name",
    "description",
    "active",
    "cover",
    "created_at",
    "updated_at",
    "due_date",
    "expected_duration",
    "inform_leader_deadline",
    "lock_after_deadline",
    "points",
    "price",
    "reference_number",
    "reward",
    "voluntary",
)


@row_memo
def course_resource(row: Row) -> dict[str, Any]:
    return {field: row[field] for field in COURSE_FIELDS}


@row_memo
def participant_resource(row: Row, extended: bool) -> dict[str, Any]:
    """ParticipantsSuccess fields in the reference's (alphabetical) order; `renewal_at` and `status` only
    with extended_mode."""
    item: dict[str, Any] = {
        "assigned_at": row["assigned_at"],
        "attempts": row["attempts"],
        "completed_at": row["completed_at"],
        "course_id": row["course_id"],
        "deadline": row["deadline"],
        "progress": row["progress"],
    }
    if extended:
        item["renewal_at"] = row["renewal_at"]
    item.update({"required": row["required"], "score": row["score"], "started_at": row["started_at"]})
    if extended:
        item["status"] = participant_status(row)
    item.update({"time_spent": row["time_spent"], "user_id": row["user_id"]})
    return item
