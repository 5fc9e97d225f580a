"""Apps API v2 (`specs/piwik_pro_apps.yaml`): one function per operationId."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import no_content

from . import domain as d
from . import domain_access as access
from . import domain_apps as apps
from . import wire_apps as wire
from .jsonapi import document, page_of, resource, search_filter
from .wire import offset_listing


async def api_app_list_v2(
    offset: int = 0,
    limit: int = 10,
    search_query: str = "",
    sort: str = "-addedAt",
    search: str = "",
    permission: str | None = None,
):
    matches = search_filter(search or search_query, lambda a: a["name"], lambda a: a["id"])
    rows = [a for a in apps.visible(permission or "view") if matches(a)]
    return page_of(rows, sort, wire.APP_SORTS, offset, limit, wire.list_item)


async def api_app_add_v2(body: Any):
    _, attributes = resource(body, wire.APP_TYPE)
    row = apps.add(attributes)
    return document({"data": wire.app_resource(row, current().tenant)}, 201)


async def api_apps_details_v2(app_id: str):
    return document({"data": wire.app_resource(apps.app_for(app_id, "view"), current().tenant)})


async def api_app_edit_v2(app_id: str, body: Any):
    app = d.app(app_id)
    _, attributes = resource(body, wire.APP_TYPE, url_id=app["id"])
    apps.may(app, "edit")
    apps.edit(app, attributes)
    return no_content()


async def api_app_delete_v2(app_id: str):
    apps.remove(d.app(app_id))
    return no_content()


async def api_apps_permissions_v2(app_id: str, limit: int = 10000, offset: int = 0):
    """Deprecated: users (not owners) with any access to the app and their actions."""
    rows = apps.user_actions(apps.app_for(app_id, "manage"))
    return offset_listing(rows, offset, max(limit, 0), lambda row: wire.user_permissions(*row))


async def api_apps_user_group_permissions_v2(
    user_group_id: str, search: str | None = None, sort: str = "name", limit: int = 10, offset: int = 0
):
    """Every app with the group's permission on it (`no-access` where it has none)."""
    world = current().world
    group = d.group(user_group_id)
    matches = search_filter(search, lambda a: a["name"], lambda a: a["id"])
    return page_of(
        apps.matching(matches),
        sort,
        wire.NAME_SORTS,
        offset,
        limit,
        lambda a: wire.group_permission(a, access.explicit(world, access.APP, a["id"], access.GROUP, group["id"])),
    )
