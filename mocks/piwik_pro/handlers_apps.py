"""Apps API v2 (`specs/piwik_pro_apps.yaml`): one function per operationId."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.pagination import offset_page, sort_rows
from mocks.core.responses import no_content

from . import access, apps, audit, lookups
from . import errors as e
from .jsonapi import document, is_uuid, listing, page_of, resource, search_filter, uuid
from .rules import raise_if
from .services import APPS, forbidden

APP_SORTS = {
    "name": lambda a: a["name"].lower(),
    "addedAt": lambda a: a["added_at"],
    "updatedAt": lambda a: a["updated_at"],
}
NAME_SORTS = {"name": lambda a: a["name"].lower()}


def _visible(action: str = "view") -> list:
    """The apps the caller may perform `action` on (owners: all)."""
    world, me = current().world, lookups.me()
    return [a for a in world["apps"].values() if access.can(world, me, access.APP, a["id"], action)]


def _app_for(app_id: str, action: str):
    app = lookups.app(app_id)
    if not access.can(current().world, lookups.me(), access.APP, app["id"], action):
        raise forbidden(APPS)
    return app


async def api_app_list_v2(
    offset: int = 0,
    limit: int = 10,
    search_query: str = "",
    sort: str = "-addedAt",
    search: str = "",
    permission: str | None = None,
):
    matches = search_filter(search or search_query, lambda a: a["name"], lambda a: a["id"])
    return page_of(
        [a for a in _visible(permission or "view") if matches(a)], sort, APP_SORTS, offset, limit, apps.list_item
    )


async def api_app_add_v2(body: Any):
    ctx = current()
    world = ctx.world
    _, attributes = resource(body, apps.APP_TYPE)
    raise_if(apps.attribute_errors(attributes, creating=True))
    app_id = attributes.get("id")
    if app_id is not None:
        if not is_uuid(app_id):
            raise e.problem(e.not_valid("/id"))
        if uuid(app_id) in world["apps"]:
            raise e.problem(e.app_already_exists(app_id))
    if len(world["apps"]) >= ctx.vendor.settings_of(world)["apps_limit"]:
        raise e.problem(e.apps_limit_reached())
    settings = {k: attributes[k] for k in apps.SETTINGS_DEFAULTS if k in attributes}
    with world.transaction():
        row = world["apps"].insert(
            apps.new_app(
                world,
                name=attributes["name"],
                urls=attributes["urls"],
                app_type=attributes.get("appType", "web"),
                app_id=uuid(app_id) if app_id else None,
                settings=settings,
            )
        )
        audit.record("app.added", row["id"], {"name": row["name"], "urls": row["urls"], "appType": row["app_type"]})
    return document({"data": apps.app_resource(row, ctx.tenant)}, 201)


async def api_apps_details_v2(app_id: str):
    return document({"data": apps.app_resource(_app_for(app_id, "view"), current().tenant)})


async def api_app_edit_v2(app_id: str, body: Any):
    world = current().world
    app = lookups.app(app_id)
    _, attributes = resource(body, apps.APP_TYPE, url_id=app["id"])
    if not access.can(world, lookups.me(), access.APP, app["id"], "edit"):
        raise forbidden(APPS)
    raise_if(apps.attribute_errors(attributes, creating=False))
    changes = apps.edited(app, attributes)
    with world.transaction():
        world["apps"].update(app["id"], {**changes, "updated_at": int(world.clock.time())})
        for field in [f for f in apps.EDITABLE if f in attributes]:
            before = app["settings"].get(field, app.get(field))
            if attributes[field] != before:
                audit.record(f"app.changed.{audit.snake(field)}", app["id"], {field: attributes[field]})
    return no_content()


async def api_app_delete_v2(app_id: str):
    world = current().world
    app = lookups.app(app_id)
    with world.transaction():
        world["apps"].delete(app["id"])
        world["meta_sites"].remove_from_lists("apps", app["id"])
        access.forget(world, entity_id=app["id"])
        audit.record("app.deleted", app["id"], {"name": app["name"]})
    return no_content()


async def api_apps_permissions_v2(app_id: str, limit: int = 10000, offset: int = 0):
    """Deprecated: users (not owners) with any access to the app and their actions."""
    world = current().world
    app = _app_for(app_id, "manage")
    rows = []
    for user in sorted(world["users"].values(), key=lambda u: u["email"]):
        granted = access.actions(world, access.APP, app["id"], user)
        if user["role"] != "OWNER" and granted:
            rows.append(
                {
                    "type": "ppms/app_permissions_for_user",
                    "id": user["id"],
                    "attributes": {"displayName": user["email"], "access": granted},
                }
            )
    page = offset_page(rows, offset, max(limit, 0))
    return listing(page.items, page.total)


async def api_apps_user_group_permissions_v2(
    user_group_id: str, search: str | None = None, sort: str = "name", limit: int = 10, offset: int = 0
):
    """Every app with the group's permission on it (`no-access` where it has none)."""
    world = current().world
    group = lookups.group(user_group_id)
    matches = search_filter(search, lambda a: a["name"], lambda a: a["id"])
    rows = sort_rows([a for a in world["apps"].values() if matches(a)], sort, NAME_SORTS, tie=lambda a: a["id"])
    page = offset_page(rows, offset, limit)
    return listing(
        [
            {
                "type": "ppms/app_permissions_for_user_group",
                "id": a["id"],
                "attributes": {
                    "app_name": a["name"],
                    "access": access.explicit(world, access.APP, a["id"], access.GROUP, group["id"]),
                },
            }
            for a in page.items
        ],
        page.total,
    )
