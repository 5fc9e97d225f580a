"""Piwik PRO modules: which modules the account is licensed for (a per-account switch, `licensed_modules`
in /_mocks/settings) and who may use them (official `platform_modules_public_v1.yaml`).

A user's explicit access to a licensed module is granted unless revoked (`PUT .../access/user/{id}`
with `access: false`; the default is inferred from the documented "Access to module '...' is revoked");
groups can add access (`group_access`). Owners may use every licensed module. Also the modules service's
own reading of its requests: its user lookup, its JSON:API collections (another type is its 409).
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.store import Row, World

from . import domain as d
from . import domain_audit as audit
from . import errors as e
from .domain_access import GROUP, USER, groups_of
from .jsonapi import require_content_type, uuid

MODULES = ("analytics", "consent_manager", "customer_data_platform", "tag_manager", "administration")
MAX_USERS = 100  # users per batch request


def licensed(world: World) -> list[str]:
    from . import vendor  # the per-account switch

    chosen = set(vendor.settings_of(world)["licensed_modules"])
    return [m for m in MODULES if m in chosen]


def key(subject_type: str, subject_id: str, module: str) -> str:
    return f"{subject_type}:{subject_id}:{module}"


def access_of(world: World, user: Row, module: str) -> dict[str, Any]:
    """ModulesAccessForUser attributes: the user's own access and the access their groups give."""
    own = world["module_access"].get(key(USER, user["id"], module))
    names = sorted(
        g["name"]
        for g in groups_of(world, user["id"])
        if (row := world["module_access"].get(key(GROUP, g["id"], module))) and row["access"]
    )
    return {
        "group_access": {"group_names": names, "access": bool(names)},
        "access": True if own is None else own["access"],
    }


def accessible(world: World, user: Row) -> list[str]:
    """The licensed modules the user may use."""
    if user["role"] == "OWNER":
        return licensed(world)
    found = []
    for module in licensed(world):
        access = access_of(world, user, module)
        if access["access"] or access["group_access"]["access"]:
            found.append(module)
    return found


def set_access(world: World, subject_type: str, subject_id: str, module: str, access: bool) -> None:
    """Call inside a transaction."""
    row_key = key(subject_type, subject_id, module)
    row = {"id": row_key, "subject_type": subject_type, "subject_id": subject_id, "module": module, "access": access}
    if row_key in world["module_access"]:
        world["module_access"].update(row_key, row)
    else:
        world["module_access"].insert(row)


def forget(world: World, subject_id: str) -> None:
    for row in world["module_access"].values():
        if row["subject_id"] == subject_id:
            world["module_access"].delete(row["id"])


# -- the modules service's requests ----------------------------------------------------------------------
def usable(module: str) -> str:
    """A module the caller may use: licensed (else 404 unlicensed) and accessible (else 403 revoked)."""
    world = current().world
    if module not in licensed(world):
        raise e.problem(e.unlicensed_module(module))
    if module not in accessible(world, d.me()):
        raise e.problem(e.module_access_revoked(module))
    return module


def user(user_id: str) -> Row:
    """A user of the account, with the modules service's own 404."""
    row = current().world["users"].get(uuid(user_id))
    if row is None:
        raise e.problem(e.modules_user_does_not_exist(user_id))
    return row


def collection(body: Any, resource_type: str) -> list[dict[str, Any]]:
    """The JSON:API collection of a modules request; an item of another type is the documented 409."""
    require_content_type()
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        raise e.problem(e.module_error(400, "error.default", "Invalid jsonapi message received", pointer="/data"))
    for item in data:
        if not isinstance(item, dict) or item.get("type") != resource_type:
            raise e.problem(
                e.collection_type_conflict(item.get("type") if isinstance(item, dict) else item, resource_type)
            )
    return data


def batch_users(body: Any) -> list[Row]:
    """The users of a batch request (at most MAX_USERS)."""
    data = collection(body, "ppms/user")
    if len(data) > MAX_USERS:
        raise e.problem(e.too_many_users(len(data), MAX_USERS))
    return [user(str(item.get("id"))) for item in data]


def set_user_access(user_row: Row, body: Any) -> None:
    """PUT a user's access to licensed modules (an unlicensed one is 404), with its audit entry."""
    world = current().world
    data = collection(body, "module/access")
    licensed_now = licensed(world)
    for item in data:
        if item["id"] not in licensed_now:
            raise e.problem(e.unlicensed_module(item["id"]))
    with world.transaction():
        for item in data:
            set_access(world, USER, user_row["id"], item["id"], item["attributes"]["access"])
        audit.record(
            "user.changed.modules_access",
            user_row["id"],
            {"modules": {item["id"]: item["attributes"]["access"] for item in data}},
        )
