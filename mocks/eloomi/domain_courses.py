"""Course participants and course assignment (the later reference's create-course-assignment)."""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row, World

from . import domain as d
from . import errors as e
from .laravel import Input


def participants_of(world: World, course_id: int) -> list[Row]:
    participants = world["participants"]
    index = participants.derived("by_course", lambda: _by_course(participants.values()))
    return index.get(course_id, [])


def _by_course(rows: list[Row]) -> dict[int, list[Row]]:
    found: dict[int, list[Row]] = {}
    for row in sorted(rows, key=lambda r: (r["course_id"], r["user_id"])):
        found.setdefault(row["course_id"], []).append(row)
    return found


def assign(world: World, course_id: str, user_id: str, inp: Input) -> Row:
    """Assign a course (body: deadline, required, customAttributes); assigning again updates the deadline
    and the required flag (inferred). An unknown course or user is 400 "Invalid input"."""
    deadline = inp.date("deadline") if "deadline" in inp else None
    required = inp.flag("required")
    attributes = Input(inp.mapping("customAttributes"))
    custom = {k: attributes.text(k) for k in attributes.data}
    course, user = d.by_pk(world, "courses", course_id), d.by_pk(world, "users", user_id)
    if course is None:
        raise e.invalid_input("No course found with that id")
    if user is None:
        raise e.invalid_input("No user found with that id")
    participants = world["participants"]
    key = d.participant_key(course["id"], user["id"])
    with world.transaction():
        existing = participants.get(key)
        if existing is None:
            return participants.insert(
                {
                    **d.new_participant(world, course["id"], user["id"], deadline=deadline, required=required or 0),
                    "custom_attributes": custom,
                }
            )
        changes: dict[str, Any] = {"custom_attributes": {**existing["custom_attributes"], **custom}}
        if "deadline" in inp:
            changes["deadline"] = deadline
        if required is not None:
            changes["required"] = required
        return participants.update(key, changes)
