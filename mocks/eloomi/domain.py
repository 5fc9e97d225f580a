"""What eloomi's resources are, shared by every area (domain_users, domain_units, domain_teams, domain_courses):
how new rows start, the lookups the API offers, derived relations and the courses team members take.

Memberships live on the user row (`department_ids`, `team_ids`, `manager_ids`), as the user object shows
them; a unit's or team's `users` are derived from them, so there is one truth for both directions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, overload

from mocks.core.store import Row, World

from .laravel import ascii_number

TIMESTAMP = "%Y-%m-%d %H:%M:%S"  # eloomi's "yyyy-mm-dd hh:mm:ss" (UTC in the mock; eloomi does not say)
DEFAULT_ACCESS_GROUP = 3  # {"id": 3, "name": "user"}: every created user's (users/post.md)
USER_STATES = ("active", "pending", "inactive", "suspended")
USER_MODES = ("all", *USER_STATES)  # GET /v3/users?mode=


def timestamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP)


def now_text(world: World) -> str:
    return timestamp(world.clock.now())


# -- users ----------------------------------------------------------------------------------------------


def user_status(row: Row, now: str) -> str:
    """How `mode` sees a user: a past end of employment deactivates (the C# wrapper's docs say so)."""
    if row["state"] != "suspended" and row["end_of_employment_at"] and row["end_of_employment_at"] <= now:
        return "inactive"
    return row["state"]


def new_user(world: World, user_id: int, email: str) -> Row:
    """A freshly created user: what users/post.md's sample shows for fields not sent."""
    return {
        "id": user_id,
        "first_name": "",
        "last_name": "",
        "employee_id": None,
        "email": email,
        "username": None,
        "activated_at": None,
        "gender": None,
        "birthday": None,
        "user_permission": "user",
        "start_of_employment_at": None,
        "end_of_employment_at": None,
        "personal_email": None,
        "title": None,
        "phone": None,
        "mobile_phone": None,
        "language": "en",
        "language_iso": None,
        "generic_role": None,
        "access_groups": access_group_refs(world, [DEFAULT_ACCESS_GROUP]),
        "country": None,
        "location": None,
        "legal": None,
        "level": None,
        "initials": None,
        "salary_id": None,
        "department_ids": [],
        "team_ids": [],
        "manager_ids": [],
        "custom_attributes": blank_custom_attributes(world),
        "state": "pending",
        "created_at": now_text(world),
    }


def blank_custom_attributes(world: World) -> dict[str, Any]:
    company = world["company"].get("company")
    if company is None:  # seed.py inserts it before any user
        raise LookupError("eloomi world has no company row")
    return {key: None for key in company["custom_attributes"]}


def access_group_refs(world: World, ids: list[int]) -> list[dict[str, Any]]:
    groups = world["access_groups"]
    return [{"id": i, "name": g["name"]} for i in dict.fromkeys(ids) if (g := groups.get(i)) is not None]


# -- lookups (each computed once per change of the users collection) ------------------------------------


def _first_by(world: World, name: str, key) -> dict[str, Row]:
    users = world["users"]

    def index() -> dict[str, Row]:
        found: dict[str, Row] = {}
        for row in users.values():  # id order: the lowest id wins a shared value
            value = key(row)
            if value is not None:
                found.setdefault(value, row)
        return found

    return users.derived(name, index)


def every(world: World, collection: str) -> list[Row]:
    """Every row of a collection in id order (the unpaged listings: units, teams, courses)."""
    return world[collection].values()


def by_pk(world: World, collection: str, pk: Any) -> Row | None:
    """A row by its integer id as sent in a path; anything that is no id written in ASCII digits finds
    nothing ('²' or a full-width '１' is no id: MySQL reads neither as a number)."""
    key = ascii_number(pk)
    return None if key is None else world[collection].get(key)


def user_by_employee_id(world: World, employee_id: str) -> Row | None:
    return _first_by(world, "by_employee_id", lambda u: _fold(u["employee_id"])).get(_fold(employee_id))


def user_by_email(world: World, email: str) -> Row | None:
    """Emails compare case-insensitively (MySQL's default collation)."""
    return _first_by(world, "by_email", lambda u: _fold(u["email"])).get(_fold(email))


@overload
def _fold(value: str) -> str: ...
@overload
def _fold(value: str | None) -> str | None: ...
def _fold(value: str | None) -> str | None:
    return None if value is None else value.strip().casefold()


def members(world: World, field: str) -> dict[int, list[int]]:
    """unit id → user ids (field "department_ids") or team id → user ids ("team_ids")."""
    users = world["users"]

    def index() -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for row in users.values():
            for key in row[field]:
                found.setdefault(key, []).append(row["id"])
        return found

    return users.derived(("members", field), index)


def set_members(world: World, field: str, group_id: int, wanted: list[int]) -> None:
    """Makes `wanted` the users of the unit (field "department_ids") or team ("team_ids"): the others leave it."""
    users = world["users"]
    keep = set(wanted)
    for row in users.values():
        inside = group_id in row[field]
        if inside != (row["id"] in keep):
            groups = [g for g in row[field] if g != group_id] + ([] if inside else [group_id])
            users.update(row["id"], {field: sorted(groups)})


# -- units, teams, courses ------------------------------------------------------------------------------


def unit_by_code(world: World, code: str) -> Row | None:
    """Codes are not unique: the lowest id wins (inferred)."""
    units = world["units"]
    index = units.derived("by_code", lambda: _first_code(units.values()))
    return index.get(_fold(code))


def _first_code(rows: list[Row]) -> dict[str, Row]:
    found: dict[str, Row] = {}
    for row in rows:
        if row["code"] is not None:
            found.setdefault(_fold(row["code"]), row)
    return found


def participant_status(row: Row) -> str:
    if row["completed_at"]:
        return "completed"
    return "started" if row["started_at"] else "not_started"


def participant_key(course_id: int, user_id: int) -> str:
    return f"{course_id}:{user_id}"


def new_participant(
    world: World,
    course_id: int,
    user_id: int,
    *,
    deadline: str | None = None,
    required: int = 0,
    assigned_at: str | None = None,
) -> Row:
    return {
        "id": participant_key(course_id, user_id),
        "course_id": course_id,
        "user_id": user_id,
        "assigned_at": assigned_at or now_text(world),
        "attempts": 0,
        "completed_at": None,
        "deadline": deadline,
        "progress": "0.00",
        "renewal_at": None,
        "required": required,
        "score": "0.00",
        "started_at": None,
        "time_spent": 0,
        "custom_attributes": {},
    }


def assign_team_courses(
    world: World, team: Row, user_ids: list[int] | None = None, *, assigned_at: str | None = None
) -> None:
    """Members of a team take its courses (with the team's deadline and required flag); existing
    participations are left as they are."""
    participants = world["participants"]
    targets = user_ids if user_ids is not None else members(world, "team_ids").get(team["id"], [])
    for course_key, terms in team["course_map"].items():
        course_id = int(course_key)
        if course_id not in world["courses"]:
            continue
        for user_id in targets:
            key = participant_key(course_id, user_id)
            if key not in participants:
                participants.insert(
                    new_participant(
                        world,
                        course_id,
                        user_id,
                        deadline=terms.get("deadline"),
                        required=terms.get("required", 0),
                        assigned_at=assigned_at,
                    )
                )
