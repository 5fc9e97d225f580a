"""Access control API v2 (`specs/piwik_pro_access_control.yaml`): one function per operationId.

Setting a permission needs the `manage` action on the app or meta site (owners have it everywhere);
listing them too. Owners are left out of the user listings ("Lists all users (but not owners)").
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.pagination import offset_page, sort_rows
from mocks.core.responses import no_content

from . import access, audit, lookups
from . import errors as e
from .jsonapi import document, listing, resource, search_filter
from .services import ACCESS_CONTROL, forbidden

NAME_SORTS = {"name": lambda g: g["name"].lower()}
_ENTITY_TYPES = {access.APP: "ppms/app", access.META_SITE: "ppms/meta-site"}


def _entity(entity_type: str, entity_id: str, action: str = "manage"):
    row = lookups.app(entity_id) if entity_type == access.APP else lookups.meta_site(entity_id)
    if not access.can(current().world, lookups.me(), entity_type, row["id"], action):
        raise forbidden(ACCESS_CONTROL)
    return row


# -- what the caller may do -----------------------------------------------------------------------------
async def get_entity_actions_v2(entity_id: str):
    """Actions on an app, a meta site or a user; an id the account does not know grants none (inferred)."""
    world, me = current().world, lookups.me()
    entity_id = entity_id.lower()
    if entity_id in world["apps"]:
        granted = access.actions(world, access.APP, entity_id, me)
    elif entity_id in world["meta_sites"]:
        granted = access.actions(world, access.META_SITE, entity_id, me)
    elif entity_id in world["users"]:
        granted = _user_actions(me, entity_id)
    else:
        granted = []
    return document(
        {"data": {"type": "ppms/permission/entity/actions", "id": entity_id, "attributes": {"actions": granted}}}
    )


def _user_actions(me, user_id: str) -> list[str]:
    """On users: owners view, edit and delete anyone (but themselves); a user sees and edits only themselves."""
    if me["role"] == "OWNER":
        return ["view", "edit"] if user_id == me["id"] else ["view", "edit", "delete"]
    return ["view", "edit"] if user_id == me["id"] else []


def _entities(entity_type: str, rows, action: str):
    world, me = current().world, lookups.me()
    found = [r for r in rows if action in access.actions(world, entity_type, r["id"], me)]
    return listing(
        [
            {"id": r["id"], "type": "ppms/permission/entity", "attributes": {"entityType": _ENTITY_TYPES[entity_type]}}
            for r in found
        ],
        len(found),
    )


async def get_apps_with_action_v2(action: str):
    return _entities(access.APP, current().world["apps"].values(), action)


async def get_meta_sites_with_action_v2(action: str):
    return _entities(access.META_SITE, current().world["meta_sites"].values(), action)


async def get_users_with_action_v2(action: str):
    world, me = current().world, lookups.me()
    found = [
        u
        for u in world["users"].values()
        if action in _user_actions(me, u["id"]) or (me["role"] == "OWNER" and action == "list")
    ]
    return listing(
        [{"id": u["id"], "type": "ppms/permission/entity", "attributes": {"entityType": "ppms/user"}} for u in found],
        len(found),
    )


async def get_global_actions_v2():
    owner = lookups.is_owner()
    return document(
        {
            "data": [
                {
                    "id": entity,
                    "type": "ppms/permissions/global",
                    "attributes": {"permissions": list(actions) if owner else []},
                }
                for entity, actions in access.OWNER_GLOBAL_ACTIONS.items()
            ]
        }
    )


# -- listings -------------------------------------------------------------------------------------------
def _user_listing(
    entity_type: str,
    entity_id: str,
    resource_type: str,
    search: str | None,
    limit: int,
    offset: int,
    *,
    deprecated: bool = False,
):
    world = current().world
    entity = _entity(entity_type, entity_id)
    matches = search_filter(search, lambda u: u["email"], lambda u: u["id"])
    users = sorted(
        (u for u in world["users"].values() if u["role"] != "OWNER" and matches(u)), key=lambda u: (u["email"], u["id"])
    )
    page = offset_page(users, offset, max(limit, 0))
    items = []
    for user in page.items:
        grant = access.user_grant(world, entity_type, entity["id"], user)
        attributes = {"email": user["email"], "group_permissions": grant["group_permissions"]}
        if deprecated:
            attributes["permissions"] = [grant["permission"]]
        else:
            attributes["permission"] = grant["permission"]
        items.append({"id": user["id"], "type": resource_type, "attributes": attributes})
    return listing(items, page.total)


def _group_listing(
    entity_type: str, entity_id: str, resource_type: str, search: str | None, sort: str, limit: int, offset: int
):
    world = current().world
    entity = _entity(entity_type, entity_id)
    matches = search_filter(search, lambda g: g["name"], lambda g: g["id"])
    groups = sort_rows(
        [g for g in world["user_groups"].values() if matches(g)], sort, NAME_SORTS, tie=lambda g: g["id"]
    )
    page = offset_page(groups, offset, limit)
    return listing(
        [
            {
                "id": g["id"],
                "type": resource_type,
                "attributes": {
                    "name": g["name"],
                    "permission": access.explicit(world, entity_type, entity["id"], access.GROUP, g["id"]),
                },
            }
            for g in page.items
        ],
        page.total,
    )


async def list_app_permissions_for_user_v2(app_id: str, limit: int = 10, offset: int = 0, search: str | None = None):
    return _user_listing(access.APP, app_id, "app/permission/user", search, limit, offset)


async def list_app_permissions_for_user_group_v2(
    app_id: str, limit: int = 10, offset: int = 0, search: str | None = None, sort: str = "name"
):
    return _group_listing(access.APP, app_id, "app/permission/user-group", search, sort, limit, offset)


async def list_meta_site_permissions_for_user_v2(
    meta_site_id: str, limit: int = 10, offset: int = 0, search: str | None = None
):
    return _user_listing(access.META_SITE, meta_site_id, "meta-site/permission/user", search, limit, offset)


async def list_meta_site_permissions_for_user_group_v2(
    meta_site_id: str, limit: int = 10, offset: int = 0, search: str | None = None, sort: str = "name"
):
    return _group_listing(
        access.META_SITE, meta_site_id, "meta-site/permission/user-group", search, sort, limit, offset
    )


async def _legacy_get_permission_groups_v2(entity_id: str, limit: int = 10, offset: int = 0, search: str | None = None):
    return _user_listing(access.APP, entity_id, "ppms/permissions/group", search, limit, offset, deprecated=True)


# -- setting --------------------------------------------------------------------------------------------
def _permission(body: Any, resource_type: str, entity_type: str) -> str:
    permission = resource(body, resource_type)[1].get("permission")
    if permission not in access.PERMISSIONS[entity_type]:
        raise e.problem(e.invalid_permission(permission, access.PERMISSIONS[entity_type]))
    return permission


def _set(entity_type: str, entity_id: str, subject_type: str, subject_id: str, permission: str):
    world = current().world
    entity = _entity(entity_type, entity_id)
    subject = lookups.user(subject_id) if subject_type == access.USER else lookups.group(subject_id)
    subject_kind = "user" if subject_type == access.USER else "user_group"
    with world.transaction():
        access.grant(world, entity_type, entity["id"], subject_type, subject["id"], permission)
        audit.record(
            f"permission.{subject_kind}.changed.{entity_type.replace('-', '_')}",
            entity["id"],
            {f"{subject_kind}_id": subject["id"], "permission": permission},
        )
    return no_content()


async def set_app_permission_for_user_v2(app_id: str, user_id: str, body: Any):
    return _set(access.APP, app_id, access.USER, user_id, _permission(body, "app/permission/user", access.APP))


async def set_app_permission_for_user_group_v2(app_id: str, user_group_id: str, body: Any):
    permission = _permission(body, "app/permission/user-group", access.APP)
    return _set(access.APP, app_id, access.GROUP, user_group_id, permission)


async def set_meta_site_permission_for_user_v2(meta_site_id: str, user_id: str, body: Any):
    permission = _permission(body, "meta-site/permission/user", access.META_SITE)
    return _set(access.META_SITE, meta_site_id, access.USER, user_id, permission)


async def set_meta_site_permission_for_user_group_v2(meta_site_id: str, user_group_id: str, body: Any):
    permission = _permission(body, "meta-site/permission/user-group", access.META_SITE)
    return _set(access.META_SITE, meta_site_id, access.GROUP, user_group_id, permission)


async def _legacy_set_permission_group_v2(body: Any):
    """Deprecated: `{"entity": "ppms/app", "entityId", "group", "targetUserId"}` sets a user's app permission."""
    _, attributes = resource(body, "ppms/permissions/group")
    for field in ("entityId", "group", "targetUserId"):
        if not attributes.get(field):
            raise e.problem(e.not_blank(f"/data/attributes/{field}"))
    if attributes["group"] not in access.PERMISSIONS[access.APP]:
        raise e.problem(e.invalid_permission(attributes["group"], access.PERMISSIONS[access.APP]))
    return _set(access.APP, attributes["entityId"], access.USER, attributes["targetUserId"], attributes["group"])
