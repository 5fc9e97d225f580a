"""Listing, creating, changing and deleting users: every body field of users/post.md (identical for PATCH) and
the later reference's additions, and joining a team. Input is read and checked completely before anything is
written."""

from __future__ import annotations

from typing import Any

from mocks.core.errors import Invalid, RequestInvalid
from mocks.core.store import Row, World

from . import domain as d
from . import errors as e
from .laravel import Input, invalid

TEXT_FIELDS = (
    "first_name",
    "last_name",
    "employee_id",
    "username",
    "personal_email",
    "gender",
    "title",
    "phone",
    "generic_role",
    "initials",
    "legal",
    "country",
    "location",
    "language_iso",
)
# the 2018 docs' names first; the later reference's names are read too
DATETIME_ALIASES = {
    "start_of_employment_at": ("start_of_employment_at", "start_of_employment"),
    "end_of_employment_at": ("end_of_employment_at", "end_of_employment"),
}
PERMISSIONS = ("user", "company adm.")
# `activate`: 1/true and 0/false (2018 docs), or the later reference's activation methods
_ACTIVATE_NOW = ("instant", "pre_generated_password")
_INVITE = ("standard", "company_default")


def listed(world: World, mode: str | None, employee_id: str | None) -> list[Row] | None:
    """GET /v3/users: the users in `mode` (default "all"; a past end of employment counts as inactive) with
    this employee id (case-insensitive), or None when every user is listed."""
    mode = mode or "all"
    if mode not in d.USER_MODES:  # the spec's pattern allows Unicode blanks, which PHP's trim keeps
        raise RequestInvalid([Invalid("query", "mode", "enum", mode)])
    if mode == "all" and employee_id is None:
        return None
    now = d.now_text(world)
    wanted = None if employee_id is None else employee_id.casefold()
    return [
        u
        for u in world["users"].values()
        if (mode == "all" or d.user_status(u, now) == mode)
        and (wanted is None or (u["employee_id"] or "").strip().casefold() == wanted)
    ]


def read_changes(world: World, inp: Input, user: Row | None) -> tuple[dict[str, Any], str | None]:
    """The row changes a create/update body asks for, and its activation ("activate", "invite",
    "deactivate" or None). Raises RequestInvalid for values eloomi could not take."""
    changes: dict[str, Any] = {field: inp.text(field) for field in TEXT_FIELDS if field in inp}
    for field, names in DATETIME_ALIASES.items():
        sent = inp.sent(*names)
        if sent:
            changes[field] = inp.datetime(sent[0])
    sent = inp.sent("mobile_phone", "mobile")
    if sent:
        changes["mobile_phone"] = inp.text(sent[0])
    if "birthday" in inp:
        changes["birthday"] = inp.date("birthday")
    if "language_code" in inp:
        changes["language"] = inp.text("language_code") or "en"
    if "level" in inp:
        changes["level"] = inp.integer("level")
    if "user_permission" in inp:
        changes["user_permission"] = inp.choice("user_permission", PERMISSIONS) or "user"
    if "email" in inp:
        email = inp.text("email")
        if not email or not email.strip():
            raise invalid("email", "minLength", email)
        changes["email"] = email.strip()
    changes.update(_relations(world, inp, user))
    for accepted in ("profile_ids",):  # accepted and checked; nothing on the wire shows them
        inp.ids(accepted)
    inp.mapping("prompts")
    inp.text("password")
    return changes, _activation(inp)


def _relations(world: World, inp: Input, user: Row | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    units = world["units"]
    # department_id and department_code "should not be used" together: the ids win (inferred)
    if "department_id" in inp:
        changes["department_ids"] = sorted({i for i in inp.ids("department_id") if i in units})
    elif "department_code" in inp:
        found = (d.unit_by_code(world, code) for code in inp.strings("department_code"))
        changes["department_ids"] = sorted({u["id"] for u in found if u is not None})
    if "access_groups" in inp:
        changes["access_groups"] = d.access_group_refs(world, inp.ids("access_groups"))
    if "team_ids" in inp:
        changes["team_ids"] = sorted({i for i in inp.ids("team_ids") if i in world["teams"]})
    managers = _managers(world, inp, user)
    if managers is not None:
        changes["manager_ids"] = managers
    return changes


def _managers(world: World, inp: Input, user: Row | None) -> list[int] | None:
    """direct_manager_ids / direct_manager_employee_ids synchronize (replace); the add_ variants append.
    Unknown managers are skipped and nobody manages themselves (inferred)."""
    users = world["users"]
    replace: list[int] | None = None
    if "direct_manager_ids" in inp:
        replace = [i for i in inp.ids("direct_manager_ids") if i in users]
    if "direct_manager_employee_ids" in inp:
        replace = (replace or []) + _by_employee_ids(world, inp.strings("direct_manager_employee_ids"))
    added = [i for i in inp.ids("add_direct_manager_ids") if i in users]
    added += _by_employee_ids(world, inp.strings("add_direct_manager_employee_ids"))
    if replace is None and not added:
        return None
    base = replace if replace is not None else (list(user["manager_ids"]) if user else [])
    own = user["id"] if user else None
    return [i for i in dict.fromkeys(base + added) if i != own]


def _by_employee_ids(world: World, keys: list[str]) -> list[int]:
    found = (d.user_by_employee_id(world, key) for key in keys)
    return [u["id"] for u in found if u is not None]


def _activation(inp: Input) -> str | None:
    value = inp.get("activate")
    if value is None:
        return None
    word = value.strip().lower() if isinstance(value, str) else None
    if word in _ACTIVATE_NOW:
        return "activate"
    if word in _INVITE:
        return "invite"
    if word == "deactivate":
        return "deactivate"
    try:
        return "activate" if inp.flag("activate") else "deactivate"
    except RequestInvalid:
        raise invalid("activate", "enum", value) from None


def _activated(row: Row, activation: str | None, now: str) -> dict[str, Any]:
    if activation == "activate":
        return {"state": "active", "activated_at": row["activated_at"] or now}
    if activation == "invite" and row["state"] != "active":
        return {"state": "pending"}  # the activation mail is on its way
    if activation == "deactivate":
        return {"state": "inactive"}
    return {}


def create(world: World, inp: Input) -> Row:
    if "email" not in inp:
        raise e.email_missing()
    changes, activation = read_changes(world, inp, None)
    if activation == "deactivate":
        # inferred: on create, `deactivate` (the later reference: "do not activate") and 0/false leave the
        # new user pending, as no `activate` does; only a PATCH deactivates (inactive)
        activation = None
    if d.user_by_email(world, changes["email"]) is not None:
        raise e.email_taken(changes["email"])
    users = world["users"]
    with world.transaction():
        row = {**d.new_user(world, users.next_id(), changes["email"]), **changes}
        row.update(_activated(row, activation, d.now_text(world)))
        users.insert(row)
        _join_team_courses(world, row, row["team_ids"])
    return row


def change(world: World, user: Row, inp: Input) -> Row:
    changes, activation = read_changes(world, inp, user)
    email = changes.get("email")
    if email is not None:
        holder = d.user_by_email(world, email)
        if holder is not None and holder["id"] != user["id"]:
            raise e.email_taken(email, creating=False)
    with world.transaction():
        row = {**user, **changes}
        changes.update(_activated(row, activation, d.now_text(world)))
        row = world["users"].update(user["id"], changes)
        _join_team_courses(world, row, [t for t in row["team_ids"] if t not in user["team_ids"]])
    return row


def join_team(world: World, user: Row | None, team: Row | None) -> None:
    """PUT users-employee_id/{id}/teams/{teamId}: add the membership (idempotent); a user or team that
    does not exist is 404."""
    if user is None or team is None:
        raise e.no_user_or_team()
    if team["id"] in user["team_ids"]:
        return
    with world.transaction():
        row = world["users"].update(user["id"], {"team_ids": sorted([*user["team_ids"], team["id"]])})
        _join_team_courses(world, row, [team["id"]])


def _join_team_courses(world: World, user: Row, team_ids: list[int]) -> None:
    for team_id in team_ids:
        team = world["teams"].get(team_id)
        if team is not None:
            d.assign_team_courses(world, team, [user["id"]])


def remove(world: World, user: Row) -> None:
    """Gone from every list; the references others hold to the user go with it."""
    user_id = user["id"]
    with world.transaction():
        world["users"].delete(user_id)
        for name in ("units", "teams"):
            world[name].remove_from_lists("leader_ids", user_id)
        world["users"].remove_from_lists("manager_ids", user_id)
        for row in world["participants"].values():
            if row["user_id"] == user_id:
                world["participants"].delete(row["id"])
