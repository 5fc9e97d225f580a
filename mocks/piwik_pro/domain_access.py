"""Permissions of users and user groups on apps and meta sites (official
`platform_access_control_public_v2.yaml`: its permission → action tables), shared by every API that asks
"may this caller do that", and the writes of the access control API.

A row of `permissions` is one explicit grant: (entity type, entity id, subject type, subject id) →
permission. `no-access` is the absence of a row. A user's permission on an entity is the highest of their
own grant and their groups' grants; owners may do everything.
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.store import Row, World

from . import domain as d
from . import domain_audit as audit
from . import errors as e
from .errors_services import ACCESS_CONTROL, forbidden

APP, META_SITE = "app", "meta-site"
USER, GROUP = "user", "user-group"
PERMISSIONS = {
    APP: ("no-access", "view", "edit", "edit-publish", "manage"),
    META_SITE: ("no-access", "view", "edit", "manage"),
}
NO_ACCESS = "no-access"

# "↓ Action \ Permission →" tables of the access control spec. list_apps_in_meta_site is in the action enum
# but not in the table: granted with view (inferred).
_ACTIONS = {
    APP: {
        "no-access": [],
        "view": ["view"],
        "edit": ["view", "edit"],
        "edit-publish": ["view", "edit", "publish"],
        "manage": ["view", "edit", "publish", "manage"],
    },
    META_SITE: {
        "no-access": [],
        "view": ["view", "list_apps_in_meta_site"],
        "edit": ["view", "edit", "list_apps_in_meta_site"],
        "manage": ["view", "edit", "view_details", "edit_details", "list_apps_in_meta_site", "manage"],
    },
}
# An owner's actions: the entity actions example of the spec (apps) and the action enum (meta sites).
OWNER_ACTIONS = {
    APP: ["view", "edit", "publish", "delete", "manage", "add"],
    META_SITE: [
        "view",
        "edit",
        "view_details",
        "edit_details",
        "list_apps_in_meta_site",
        "manage",
        "add",
        "delete",
        "add_app_to_meta_site",
        "remove_app_from_meta_site",
    ],
}
# GlobalActions example of the spec: what an owner may do without an entity; other users nothing.
OWNER_GLOBAL_ACTIONS = {
    "ppms/app": ["add"],
    "ppms/user": ["list", "add", "demote_app_manager", "demote_meta_site_manager"],
    "ppms/meta-site": ["add", "delete"],
}


def key(entity_type: str, entity_id: str, subject_type: str, subject_id: str) -> str:
    return f"{entity_type}:{entity_id}:{subject_type}:{subject_id}"


def explicit(world: World, entity_type: str, entity_id: str, subject_type: str, subject_id: str) -> str:
    row = world["permissions"].get(key(entity_type, entity_id, subject_type, subject_id))
    return row["permission"] if row else NO_ACCESS


def highest(entity_type: str, permissions: list[str]) -> str:
    order = PERMISSIONS[entity_type]
    return max(permissions, key=order.index, default=NO_ACCESS)


def groups_of(world: World, user_id: str) -> list[Row]:
    return [g for g in world["user_groups"].values() if user_id in g["members"]]


def inherited(world: World, entity_type: str, entity_id: str, user_id: str) -> tuple[str, list[str]]:
    """The highest permission the user's groups give, and the names of the groups that give it."""
    granted = [(g["name"], explicit(world, entity_type, entity_id, GROUP, g["id"])) for g in groups_of(world, user_id)]
    best = highest(entity_type, [p for _, p in granted])
    return best, sorted(name for name, p in granted if p == best and best != NO_ACCESS)


def permission_of(world: World, entity_type: str, entity_id: str, user: Row) -> str:
    if user["role"] == "OWNER":
        return "manage"
    own = explicit(world, entity_type, entity_id, USER, user["id"])
    return highest(entity_type, [own, inherited(world, entity_type, entity_id, user["id"])[0]])


def actions(world: World, entity_type: str, entity_id: str, user: Row) -> list[str]:
    if user["role"] == "OWNER":
        return list(OWNER_ACTIONS[entity_type])
    return list(_ACTIONS[entity_type][permission_of(world, entity_type, entity_id, user)])


def can(world: World, user: Row, entity_type: str, entity_id: str, action: str) -> bool:
    return action in actions(world, entity_type, entity_id, user)


def grant(world: World, entity_type: str, entity_id: str, subject_type: str, subject_id: str, permission: str) -> None:
    """Set one explicit permission (`no-access` removes the grant). Call inside a transaction."""
    permissions, row_key = world["permissions"], key(entity_type, entity_id, subject_type, subject_id)
    if permission == NO_ACCESS:
        if row_key in permissions:
            permissions.delete(row_key)
        return
    row = {
        "id": row_key,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "permission": permission,
    }
    if row_key in permissions:
        permissions.update(row_key, row)
    else:
        permissions.insert(row)


def forget(world: World, *, entity_id: str | None = None, subject_id: str | None = None) -> None:
    """Remove every grant on an entity or of a subject (the app, meta site, user or group is gone)."""
    for row in world["permissions"].values():
        if row["entity_id"] == entity_id or row["subject_id"] == subject_id:
            world["permissions"].delete(row["id"])


def user_grant(world: World, entity_type: str, entity_id: str, user: Row) -> dict[str, Any]:
    """A user's own and inherited permission, as the access control listings show them."""
    group_permission, group_names = inherited(world, entity_type, entity_id, user["id"])
    return {
        "permission": explicit(world, entity_type, entity_id, USER, user["id"]),
        "group_permissions": {"group_names": group_names, "permission": group_permission},
    }


# -- the caller's view (access control API) --------------------------------------------------------------
def entity_for(entity_type: str, entity_id: str, action: str = "manage") -> Row:
    """The app or meta site, when the caller may perform `action` on it (else the access control 403)."""
    row = d.app(entity_id) if entity_type == APP else d.meta_site(entity_id)
    if not can(current().world, d.me(), entity_type, row["id"], action):
        raise forbidden(ACCESS_CONTROL)
    return row


def user_actions(me: Row, user_id: str) -> list[str]:
    """On users: owners view, edit and delete anyone (but themselves); a user sees and edits only themselves."""
    if me["role"] == "OWNER":
        return ["view", "edit"] if user_id == me["id"] else ["view", "edit", "delete"]
    return ["view", "edit"] if user_id == me["id"] else []


def entity_actions(entity_id: str) -> list[str]:
    """The caller's actions on an app, a meta site or a user; an id the account does not know grants none
    (inferred)."""
    world, me = current().world, d.me()
    if entity_id in world["apps"]:
        return actions(world, APP, entity_id, me)
    if entity_id in world["meta_sites"]:
        return actions(world, META_SITE, entity_id, me)
    if entity_id in world["users"]:
        return user_actions(me, entity_id)
    return []


def entities_with(entity_type: str, action: str) -> list[Row]:
    """The apps or meta sites the caller may `action`."""
    world, me = current().world, d.me()
    rows = world["apps" if entity_type == APP else "meta_sites"].values()
    return [r for r in rows if action in actions(world, entity_type, r["id"], me)]


def users_with(action: str) -> list[Row]:
    """The users the caller may `action` (owners may `list` everyone)."""
    world, me = current().world, d.me()
    return [
        u
        for u in world["users"].values()
        if action in user_actions(me, u["id"]) or (me["role"] == "OWNER" and action == "list")
    ]


def global_actions() -> dict[str, list[str]]:
    """What the caller may do without an entity: an owner's GlobalActions, nothing for other users."""
    owner = d.is_owner()
    return {entity: list(granted) if owner else [] for entity, granted in OWNER_GLOBAL_ACTIONS.items()}


def users_listed(matches) -> list[Row]:
    """The users (never owners: "Lists all users (but not owners)") `matches` accepts, by email."""
    world = current().world
    return sorted(
        (u for u in world["users"].values() if u["role"] != "OWNER" and matches(u)), key=lambda u: (u["email"], u["id"])
    )


def groups_listed(matches) -> list[Row]:
    """The user groups `matches` accepts."""
    return [g for g in current().world["user_groups"].values() if matches(g)]


def checked_permission(permission: Any, entity_type: str) -> str:
    """A permission the entity type knows (else the access control 400)."""
    if permission not in PERMISSIONS[entity_type]:
        raise e.problem(e.invalid_permission(permission, PERMISSIONS[entity_type]))
    return permission


def legacy_permission(attributes: dict[str, Any]) -> tuple[str, str, str]:
    """The deprecated `{"entity": "ppms/app", "entityId", "group", "targetUserId"}` document: (app id,
    user id, permission)."""
    for field in ("entityId", "group", "targetUserId"):
        if not attributes.get(field):
            raise e.problem(e.not_blank(f"/data/attributes/{field}"))
    return attributes["entityId"], attributes["targetUserId"], checked_permission(attributes["group"], APP)


def set_permission(entity_type: str, entity_id: str, subject_type: str, subject_id: str, permission: str) -> None:
    """Grant a user or group a permission on an app or meta site the caller manages (with its audit entry)."""
    world = current().world
    entity = entity_for(entity_type, entity_id)
    subject = d.user(subject_id) if subject_type == USER else d.group(subject_id)
    subject_kind = "user" if subject_type == USER else "user_group"
    with world.transaction():
        grant(world, entity_type, entity["id"], subject_type, subject["id"], permission)
        audit.record(
            f"permission.{subject_kind}.changed.{entity_type.replace('-', '_')}",
            entity["id"],
            {f"{subject_kind}_id": subject["id"], "permission": permission},
        )
