"""Creating, changing and deleting units (departments): units/post.md and units/pk/patch.md.

"Partial creation/update": related users, leaders (and here also parents and access groups) that match
nothing are ignored, never an error. Leader fields replace the leaders; `user_ids`, `users` and
`user_emails` replace the members, `add_user_ids` / `remove_user_ids` change them; `access_groups` are added
(from the field descriptions; inferred where they are silent).
"""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row, World

from . import domain as d
from . import errors as e
from .laravel import Input

LEADER_EMAILS = ("leader_email",)
LEADER_EMPLOYEE_IDS = ("leader_employee_id", "leaders_employee_id", "leaders_employee_ids")
LEADER_IDS = ("leaders", "leader_ids")
MEMBER_IDS = ("user_ids", "users")
MANAGER_KINDS = ("learning", "organizational", "performance")


def users_named(
    world: World,
    inp: Input,
    *,
    ids: tuple[str, ...] = (),
    emails: tuple[str, ...] = (),
    employee_ids: tuple[str, ...] = (),
) -> list[int]:
    """The existing users the given fields name, in the order named, once each."""
    users = world["users"]
    found = [i for key in ids for i in inp.ids(key) if i in users]
    found += [u["id"] for key in emails for s in inp.strings(key) if (u := d.user_by_email(world, s))]
    found += [u["id"] for key in employee_ids for s in inp.strings(key) if (u := d.user_by_employee_id(world, s))]
    return list(dict.fromkeys(found))


def read_changes(world: World, inp: Input, unit: Row | None) -> tuple[dict[str, Any], list[int] | None]:
    """Row changes and the new member list (None: members untouched)."""
    changes: dict[str, Any] = {}
    if "name" in inp:
        name = inp.text("name")
        if name and name.strip():
            changes["name"] = name
    if "code" in inp:
        changes["code"] = inp.text("code")
    parent = _parent(world, inp, unit)
    if parent is not None:
        changes["parent_id"] = parent[0]
    if inp.sent(*LEADER_EMAILS, *LEADER_EMPLOYEE_IDS, *LEADER_IDS):
        changes["leader_ids"] = users_named(
            world, inp, ids=LEADER_IDS, emails=LEADER_EMAILS, employee_ids=LEADER_EMPLOYEE_IDS
        )
    if "access_groups" in inp:
        known = [i for i in inp.ids("access_groups") if i in world["access_groups"]]
        current = unit["access_group_ids"] if unit else []
        changes["access_group_ids"] = list(dict.fromkeys([*current, *known]))
    managers = dict(unit["managers"]) if unit else {}
    for kind in MANAGER_KINDS:
        prefix = f"add_department_{kind}_manager_"
        added = users_named(
            world, inp, ids=(prefix + "ids",), emails=(prefix + "emails",), employee_ids=(prefix + "employee_ids",)
        )
        if added:
            managers[kind] = list(dict.fromkeys([*managers.get(kind, []), *added]))
    if managers != (unit["managers"] if unit else {}):
        changes["managers"] = managers
    return changes, _members(world, inp, unit)


def _parent(world: World, inp: Input, unit: Row | None) -> tuple[int | None] | None:
    """(new parent id,) or None when the parent stays. Unknown parents and cycles are ignored (inferred)."""
    units = world["units"]
    if "parent_id" in inp:
        parent_id = inp.integer("parent_id")
        if parent_id is None:
            return (None,)
        target = units.get(parent_id)
    elif "parent_code" in inp:
        code = inp.text("parent_code")
        target = d.unit_by_code(world, code) if code else None
    else:
        return None
    if target is None or (unit is not None and _descends_from(world, target, unit["id"])):
        return None
    return (target["id"],)


def _descends_from(world: World, unit: Row, ancestor_id: int) -> bool:
    seen = set()
    node: Row | None = unit
    while node is not None and node["id"] not in seen:
        if node["id"] == ancestor_id:
            return True
        seen.add(node["id"])
        node = world["units"].get(node["parent_id"]) if node["parent_id"] is not None else None
    return False


def _members(world: World, inp: Input, unit: Row | None) -> list[int] | None:
    current = d.members(world, "department_ids").get(unit["id"], []) if unit else []
    replaced = bool(inp.sent(*MEMBER_IDS, "user_emails"))
    base = users_named(world, inp, ids=MEMBER_IDS, emails=("user_emails",)) if replaced else list(current)
    added = users_named(world, inp, ids=("add_user_ids",))
    removed = set(users_named(world, inp, ids=("remove_user_ids",)))
    if not replaced and not added and not removed:
        return None
    return [i for i in dict.fromkeys([*base, *added]) if i not in removed]


def create(world: World, inp: Input, unique: str | None) -> Row:
    name = inp.text("name") if "name" in inp else None
    if not name or not name.strip():
        raise e.unit_name_missing()
    code = inp.text("code") or name.lower()  # the sample's "api test department"
    changes, wanted = read_changes(world, inp, None)
    if unique == "name" and any(_same(u["name"], name) for u in world["units"].values()):
        raise e.unit_exists("name", name)
    if unique == "code" and any(_same(u["code"], code) for u in world["units"].values()):
        raise e.unit_exists("code", code)
    units = world["units"]
    with world.transaction():
        row: Row = {
            "id": units.next_id(),
            "name": name,
            "code": code,
            "parent_id": None,
            "leader_ids": [],
            "access_group_ids": [],
            "managers": {},
        }
        row = units.insert({**row, **changes, "name": name, "code": code})
        if wanted:
            d.set_members(world, "department_ids", row["id"], wanted)
    return row


def change(world: World, unit: Row, inp: Input) -> Row:
    changes, wanted = read_changes(world, inp, unit)
    with world.transaction():
        row = world["units"].update(unit["id"], changes) if changes else unit
        if wanted is not None:
            d.set_members(world, "department_ids", unit["id"], wanted)
    return row


def remove(world: World, unit: Row) -> None:
    """Members leave the unit; its children become roots (a nulled foreign key, inferred)."""
    with world.transaction():
        d.set_members(world, "department_ids", unit["id"], [])
        for child in world["units"].values():
            if child["parent_id"] == unit["id"]:
                world["units"].update(child["id"], {"parent_id": None})
        world["units"].delete(unit["id"])


def _same(a: str | None, b: str | None) -> bool:
    """MySQL's case-insensitive comparison."""
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()
