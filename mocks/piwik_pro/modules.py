"""Piwik PRO modules: which modules the account is licensed for (a per-account switch, `licensed_modules`
in /_mocks/settings) and who may use them (official `platform_modules_public_v1.yaml`).

A user's explicit access to a licensed module is granted unless revoked (`PUT .../access/user/{id}`
with `access: false`; the default is inferred from the documented "Access to module '...' is revoked");
groups can add access (`group_access`). Owners may use every licensed module.
"""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row, World

from .access import GROUP, USER, groups_of

MODULES = ("analytics", "consent_manager", "customer_data_platform", "tag_manager", "administration")
MODULE_TYPE = "ppms/module"


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
