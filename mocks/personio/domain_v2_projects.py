"""What may happen to v2 projects and their members (specs/personio_v2.yaml;
https://developer.personio.de/reference/get_v2-projects, get_v2-projects-id, get_v2-projects-id-members and
siblings): lookups, what the list filters match, the `include` list, and the writes with their rules. A v2 project
is a v1 attendance project (see wire_v2_org).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mocks.core.store import Row, World

from . import domain as m
from . import errors as e
from . import wire_v2_org as w
from .domain import as_int
from .domain_v2 import ints, numbered, text, wanted

MAX_MEMBERS_PAGE = 200  # "minimum": 1, "maximum": 200, "default": 200; "422 Invalid limit" (limit=300)


# -- projects ---------------------------------------------------------------------------------------
def includes(raw: str | None) -> tuple[str, ...]:
    """The `include` list; a value outside the four documented ones is the documented 422."""
    if not raw:
        return ()
    names = tuple(dict.fromkeys(n.strip() for n in raw.split(",") if n.strip()))
    unknown = [n for n in names if n not in w.PROJECT_INCLUDES]
    if unknown:
        raise e.v2_unprocessable(f"Invalid include parameter: {', '.join(unknown)}.")
    return tuple(n for n in w.PROJECT_INCLUDES if n in names)


def projects_matching(world: World, filters: dict[str, str]) -> list[Row]:
    ids = ints(wanted(filters, "id"))
    names = wanted(filters, "name")
    codes = wanted(filters, "project_code")
    parents = ints(wanted(filters, "parent_project.id"))
    status = filters.get("status")
    if status is not None and status not in ("ACTIVE", "INACTIVE"):
        raise e.v2_bad_request()
    top_only = filters.get("top_level_only", "false").lower()
    if top_only not in ("true", "false"):
        raise e.v2_bad_request()
    return [
        r
        for r in sorted(world[m.PROJECTS].values(), key=lambda r: r["id"])
        if (ids is None or r["id"] in ids)
        and (names is None or r["name"] in names)
        and (codes is None or r.get("project_code") in codes)
        and (parents is None or r.get("parent_id") in parents)
        and (status is None or w.project_status(r) == status)
        and (top_only == "false" or r.get("parent_id") is None)
    ]


def project(world: World, project_id: str) -> Row:
    """The project of a path id, or the 404."""
    return numbered(world[m.PROJECTS], project_id)


def _project_fields(world: World, data: dict[str, Any], current_id: int | None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "name" in data or current_id is None:
        name = text(data, "name")
        if any(r["name"] == name and r["id"] != current_id for r in world[m.PROJECTS].values()):
            raise e.v2_unprocessable(f"A project named '{name}' already exists.")  # as v1's rule; wording INFERRED
        fields["name"] = name
    if "status" in data:
        if data["status"] not in ("ACTIVE", "INACTIVE"):
            raise e.v2_invalid(400, "`status` must be ACTIVE or INACTIVE.")
        fields["active"] = data["status"] == "ACTIVE"
    if "project_code" in data:
        code = data["project_code"]
        if code is not None and not isinstance(code, str):
            raise e.v2_invalid(400, "`project_code` must be a string.")
        fields["project_code"] = code
    if "parent_project" in data:
        ref = data["parent_project"]
        parent = as_int(ref.get("id")) if isinstance(ref, dict) else None
        if ref is not None and (parent is None or parent not in world[m.PROJECTS] or parent == current_id):
            raise e.v2_unprocessable("The parent project does not exist.")
        if parent is not None and m.row_of(world, m.PROJECTS, parent).get("parent_id") is not None:
            raise e.v2_unprocessable("Sub projects cannot have sub projects.")  # INFERRED: one level of nesting
        fields["parent_id"] = parent
    return fields


def create_project(world: World, data: dict[str, Any], now: float) -> Row:
    fields = _project_fields(world, data, None)
    with world.transaction():
        projects = world[m.PROJECTS]
        return projects.insert(
            {
                "id": projects.next_id(),
                "active": True,
                "project_code": None,
                "parent_id": None,
                **fields,
                "created_at": now,
                "updated_at": now,
            }
        )


def update_project(world: World, row: Row, data: dict[str, Any], now: float) -> None:
    fields = _project_fields(world, data, row["id"])
    with world.transaction():
        world[m.PROJECTS].update(row["id"], {**fields, "updated_at": now})


def delete_project(world: World, row: Row) -> None:
    """ "All its sub projects will be deleted as well", and the members of both."""
    with world.transaction():
        projects = world[m.PROJECTS]
        for child in [r["id"] for r in projects.values() if r.get("parent_id") == row["id"]]:
            projects.delete(child)
            m.drop_project_members(world, child)
        projects.delete(row["id"])
        m.drop_project_members(world, row["id"])


# -- project members --------------------------------------------------------------------------------
def members_limit(limit: int) -> None:
    """The documented 422 of a page size outside 1..200."""
    if not 1 <= limit <= MAX_MEMBERS_PAGE:
        raise e.v2_unprocessable(f"`limit` must be between 1 and {MAX_MEMBERS_PAGE}.")


def member_project(world: World, project_id: str) -> Row:
    """The project whose members are managed: 404 unknown; "Subprojects can't have members" (422)."""
    row = project(world, project_id)
    if row.get("parent_id") is not None:
        raise e.v2_unprocessable("Can't manage members of a subproject.")
    return row


def add_members(world: World, row: Row, items: list[Any], clock: Callable[[], float]) -> None:
    """ "If any of the person IDs are invalid, the entire request will fail with a 422"; a person already a member
    is a no-op; the first member ends `assigned_to_all`. `items`: a list of ProjectMember (x-inferred); `clock`
    stamps each new member."""
    people = []
    for item in items:
        ref = item.get("person") if isinstance(item, dict) else None
        person = as_int(ref.get("id")) if isinstance(ref, dict) else None
        if person is None or person not in world[m.EMPLOYEES]:
            raise e.v2_unprocessable("Person not found.")
        people.append(person)
    if not people:
        raise e.v2_invalid(400, "At least one project member is required.")
    members = world[m.PROJECT_MEMBERS]
    with world.transaction():
        for person in dict.fromkeys(people):
            key = f"{row['id']}:{person}"
            if key not in members:
                members.insert({"id": key, "project_id": row["id"], "person_id": person, "created_at": clock()})


def remove_members(world: World, row: Row, wanted_ids: set[str]) -> None:
    """No ids: every member goes; an id that is not a member is a no-op (documented)."""
    members = world[m.PROJECT_MEMBERS]
    with world.transaction():
        for member in [r for r in members.values() if r["project_id"] == row["id"]]:
            if not wanted_ids or str(member["person_id"]) in wanted_ids:
                members.delete(member["id"])
