"""Teams (the later reference's create-team, and the operations real clients use on /v3/teams/{id}).

Members come from `user_ids`, `employee_ids` and `user_emails` together and replace the members; the
`course_ids` / `program_ids` maps "should include all information, and not just changes", so they replace
the team's maps; every member takes the team's courses. Unknown users and courses are ignored (as units do).
"""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row, World

from . import domain as d
from . import errors as e
from .domain_units import users_named
from .laravel import Input, ascii_number

MEMBER_FIELDS = ("user_ids", "employee_ids", "user_emails")


def read_changes(world: World, inp: Input, *, creating: bool) -> tuple[dict[str, Any], list[int] | None]:
    changes: dict[str, Any] = {}
    if creating or "name" in inp:
        name = inp.text("name") if "name" in inp else None
        if not name or not name.strip():
            raise e.bad_request(e.TEAM_INVALID, "The name field is required.")
        changes["name"] = name
    if "description" in inp:
        changes["description"] = inp.text("description")
    if "leader_ids" in inp:
        changes["leader_ids"] = users_named(world, inp, ids=("leader_ids",))
    if "custom_attributes" in inp:
        attributes = Input(inp.mapping("custom_attributes"))
        changes["custom_attributes"] = {k: attributes.text(k) or "" for k in attributes.data}
    if "course_ids" in inp:
        changes["course_map"] = _course_map(world, inp)
    if "program_ids" in inp:
        changes["program_map"] = _program_map(inp)
    members = None
    if inp.sent(*MEMBER_FIELDS):
        members = users_named(world, inp, ids=("user_ids",), emails=("user_emails",), employee_ids=("employee_ids",))
    return changes, members


def _course_map(world: World, inp: Input) -> dict[str, dict[str, Any]]:
    found = {}
    for key in inp.mapping("course_ids"):
        terms = inp.nested("course_ids", key)
        deadline, required = terms.date("deadline"), terms.flag("required")
        course_id = ascii_number(key)
        if course_id is not None and course_id in world["courses"]:
            found[str(course_id)] = {"deadline": deadline, "required": required or 0}
    return found


def _program_map(inp: Input) -> dict[str, dict[str, Any]]:
    found = {}
    for key in inp.mapping("program_ids"):
        terms = inp.nested("program_ids", key)
        notify, required = terms.flag("notify"), terms.flag("required")
        program_id = ascii_number(key)
        if program_id is not None and program_id >= 0:
            found[str(program_id)] = {"notify": 1 if notify is None else notify, "required": required or 0}
    return found


def create(world: World, inp: Input) -> Row:
    changes, members = read_changes(world, inp, creating=True)
    teams = world["teams"]
    with world.transaction():
        row = teams.insert(
            {
                "id": teams.next_id(),
                "name": changes["name"],
                "description": None,
                "leader_ids": [],
                "custom_attributes": {},
                "course_map": {},
                "program_map": {},
                **changes,
            }
        )
        if members:
            d.set_members(world, "team_ids", row["id"], members)
        d.assign_team_courses(world, row)
    return row


def change(world: World, team: Row, inp: Input) -> Row:
    changes, members = read_changes(world, inp, creating=False)
    with world.transaction():
        row = world["teams"].update(team["id"], changes) if changes else team
        if members is not None:
            d.set_members(world, "team_ids", team["id"], members)
        d.assign_team_courses(world, row)
    return row


def remove(world: World, team: Row) -> None:
    with world.transaction():
        d.set_members(world, "team_ids", team["id"], [])
        world["teams"].delete(team["id"])
