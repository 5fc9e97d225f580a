"""Access control API v2 (`specs/piwik_pro_access_control.yaml`): one function per operationId.

Setting a permission needs the `manage` action on the app or meta site (owners have it everywhere);
listing them too. Owners are left out of the user listings ("Lists all users (but not owners)").
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import no_content

from . import domain_access as access
from . import wire_access as wire
from .jsonapi import document, listing, page_of, resource, search_filter, uuid
from .wire import offset_listing


# -- what the caller may do -----------------------------------------------------------------------------
async def get_entity_actions_v2(entity_id: str):
    """Actions on an app, a meta site or a user; an id the account does not know grants none (inferred)."""
    entity_id = uuid(entity_id)
    return document({"data": wire.entity_actions(entity_id, access.entity_actions(entity_id))})


def _entities(entity_type: str, action: str):
    found = access.entities_with(entity_type, action)
    return listing([wire.entity(r, wire.ENTITY_TYPES[entity_type]) for r in found], len(found))


async def get_apps_with_action_v2(action: str):
    return _entities(access.APP, action)


async def get_meta_sites_with_action_v2(action: str):
    return _entities(access.META_SITE, action)


async def get_users_with_action_v2(action: str):
    found = access.users_with(action)
    return listing([wire.entity(u, "ppms/user") for u in found], len(found))


async def get_global_actions_v2():
    return document({"data": wire.global_actions(access.global_actions())})


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
    entity = access.entity_for(entity_type, entity_id)
    matches = search_filter(search, lambda u: u["email"], lambda u: u["id"])
    return offset_listing(
        access.users_listed(matches),
        offset,
        max(limit, 0),
        lambda user: wire.user_permission(
            user, resource_type, access.user_grant(world, entity_type, entity["id"], user), deprecated=deprecated
        ),
    )


def _group_listing(
    entity_type: str, entity_id: str, resource_type: str, search: str | None, sort: str, limit: int, offset: int
):
    world = current().world
    entity = access.entity_for(entity_type, entity_id)
    matches = search_filter(search, lambda g: g["name"], lambda g: g["id"])
    return page_of(
        access.groups_listed(matches),
        sort,
        wire.NAME_SORTS,
        offset,
        limit,
        lambda g: wire.group_permission(
            g, resource_type, access.explicit(world, entity_type, entity["id"], access.GROUP, g["id"])
        ),
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
    return access.checked_permission(resource(body, resource_type)[1].get("permission"), entity_type)


async def set_app_permission_for_user_v2(app_id: str, user_id: str, body: Any):
    permission = _permission(body, "app/permission/user", access.APP)
    access.set_permission(access.APP, app_id, access.USER, user_id, permission)
    return no_content()


async def set_app_permission_for_user_group_v2(app_id: str, user_group_id: str, body: Any):
    permission = _permission(body, "app/permission/user-group", access.APP)
    access.set_permission(access.APP, app_id, access.GROUP, user_group_id, permission)
    return no_content()


async def set_meta_site_permission_for_user_v2(meta_site_id: str, user_id: str, body: Any):
    permission = _permission(body, "meta-site/permission/user", access.META_SITE)
    access.set_permission(access.META_SITE, meta_site_id, access.USER, user_id, permission)
    return no_content()


async def set_meta_site_permission_for_user_group_v2(meta_site_id: str, user_group_id: str, body: Any):
    permission = _permission(body, "meta-site/permission/user-group", access.META_SITE)
    access.set_permission(access.META_SITE, meta_site_id, access.GROUP, user_group_id, permission)
    return no_content()


async def _legacy_set_permission_group_v2(body: Any):
    """Deprecated: `{"entity": "ppms/app", "entityId", "group", "targetUserId"}` sets a user's app permission."""
    _, attributes = resource(body, "ppms/permissions/group")
    app_id, user_id, permission = access.legacy_permission(attributes)
    access.set_permission(access.APP, app_id, access.USER, user_id, permission)
    return no_content()
