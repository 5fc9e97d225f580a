"""Meta sites API v1 (`specs/piwik_pro_meta_sites.yaml`): one function per operationId."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.pagination import offset_page, sort_rows
from mocks.core.responses import no_content

from . import access, audit, lookups
from . import errors as e
from . import meta_sites as ms
from .jsonapi import document, identifiers, listing, page_of, resource, search_filter, uuid
from .rules import raise_if
from .services import META_SITES, forbidden

META_SITE_SORTS = {
    "name": lambda r: r["name"].lower(),
    "created_at": lambda r: r["created_at"],
    "updated_at": lambda r: r["updated_at"],
}
APP_SORTS = {
    "name": lambda a: a["name"].lower(),
    "created_at": lambda a: a["added_at"],
    "updated_at": lambda a: a["updated_at"],
    "cnil": lambda a: a["settings"]["cnil"],
}
MIXED_SORTS = {"name": lambda r: r[1]["name"].lower(), "type": lambda r: r[0], "created_at": lambda r: r[2]}


def _meta_site_for(meta_site_id: str, action: str):
    row = lookups.meta_site(meta_site_id)
    if not access.can(current().world, lookups.me(), access.META_SITE, row["id"], action):
        raise forbidden(META_SITES)
    return row


async def list_meta_site_v1(limit: int = 10, offset: int = 0, search: str | None = None, sort: str = "name"):
    world, me = current().world, lookups.me()
    matches = search_filter(search, lambda r: r["name"], lambda r: r["id"])
    rows = [
        r
        for r in world["meta_sites"].values()
        if matches(r) and access.can(world, me, access.META_SITE, r["id"], "view")
    ]
    return page_of(rows, sort, META_SITE_SORTS, offset, limit, ms.list_item)


async def add_meta_site_v1(body: Any):
    ctx = current()
    world = ctx.world
    data, attributes = resource(body, ms.META_SITE_TYPE)
    raise_if(ms.attribute_errors(world, attributes, creating=True))
    meta_site_id = uuid(data["id"]) if isinstance(data.get("id"), str) else None
    if meta_site_id and (meta_site_id in world["meta_sites"] or meta_site_id in world["apps"]):
        raise e.problem(e.value_already_used("/data/id"))
    settings = {k: attributes[k] for k in ms.EDITABLE if k in attributes and k != "name"}
    with world.transaction():
        row = world["meta_sites"].insert(
            ms.new_meta_site(world, name=attributes["name"], meta_site_id=meta_site_id, **settings)
        )
        audit.record("meta_site.added", row["id"], {"name": row["name"]})
    return document({"data": ms.resource(world, row, ctx.tenant)}, 201)


async def get_meta_site_v1(meta_site_id: str):
    ctx = current()
    return document({"data": ms.resource(ctx.world, _meta_site_for(meta_site_id, "view_details"), ctx.tenant)})


async def edit_meta_site_v1(meta_site_id: str, body: Any):
    world = current().world
    row = lookups.meta_site(meta_site_id)
    _, attributes = resource(body, ms.META_SITE_TYPE, url_id=row["id"])
    if not access.can(world, lookups.me(), access.META_SITE, row["id"], "edit_details"):
        raise forbidden(META_SITES)
    raise_if(ms.attribute_errors(world, attributes, creating=False, except_id=row["id"]))
    changes = {k: attributes[k] for k in ms.EDITABLE if k in attributes}
    with world.transaction():
        world["meta_sites"].update(row["id"], {**changes, "updated_at": int(world.clock.time())})
        audit.record("meta_site.edited", row["id"], changes)
    return no_content()


async def delete_meta_site_v1(meta_site_id: str):
    world = current().world
    row = lookups.meta_site(meta_site_id)
    with world.transaction():
        world["meta_sites"].delete(row["id"])
        access.forget(world, entity_id=row["id"])
        audit.record("meta_site.deleted", row["id"], {"name": row["name"]})
    return no_content()


def _app_ids(body: Any) -> list[str]:
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, list) and len(data) > ms.MAX_APPS_PER_CALL:
        raise e.problem(e.too_many_elements("/data", ms.MAX_APPS_PER_CALL))
    return identifiers(body, "ppms/app", lookups.app)


async def add_apps_to_meta_site_v1(meta_site_id: str, body: Any):
    world = current().world
    row = lookups.meta_site(meta_site_id)
    added = [a for a in _app_ids(body) if a not in row["apps"]]
    with world.transaction():
        world["meta_sites"].update(row["id"], {"apps": row["apps"] + added, "updated_at": int(world.clock.time())})
        audit.record("meta_site.apps.added", row["id"], {"apps": added})
    return no_content()


async def remove_apps_from_meta_site_v1(meta_site_id: str, body: Any):
    world = current().world
    row = lookups.meta_site(meta_site_id)
    doomed = set(_app_ids(body))
    with world.transaction():
        world["meta_sites"].update(
            row["id"], {"apps": [a for a in row["apps"] if a not in doomed], "updated_at": int(world.clock.time())}
        )
        audit.record("meta_site.apps.removed", row["id"], {"apps": sorted(doomed)})
    return no_content()


def _apps_page(meta_site_id: str, inside: bool, limit: int, offset: int, search: str | None, sort: str):
    world = current().world
    members = set(_meta_site_for(meta_site_id, "list_apps_in_meta_site")["apps"])
    matches = search_filter(search, lambda a: a["name"], lambda a: a["id"])
    rows = [a for a in world["apps"].values() if (a["id"] in members) == inside and matches(a)]
    return page_of(rows, sort, APP_SORTS, offset, limit, ms.app_item)


async def list_apps_in_meta_site_v1(
    meta_site_id: str, limit: int = 10, offset: int = 0, search: str | None = None, sort: str = "name"
):
    return _apps_page(meta_site_id, True, limit, offset, search, sort)


async def list_apps_excluded_from_meta_site_v1(
    meta_site_id: str, limit: int = 10, offset: int = 0, search: str | None = None, sort: str = "name"
):
    return _apps_page(meta_site_id, False, limit, offset, search, sort)


async def list_apps_and_meta_sites_v1(
    offset: int = 0, limit: int = 10, search: str | None = None, sort: str = "name", action: str = "view"
):
    """Apps and meta sites the caller may `action`; the demo app always first, whatever the sort."""
    world, me = current().world, lookups.me()
    matches = search_filter(search, lambda r: r["name"], lambda r: r["id"])
    rows = [
        ("ppms/app", a, a["added_at"])
        for a in world["apps"].values()
        if matches(a) and access.can(world, me, access.APP, a["id"], action)
    ]
    rows += [
        ("ppms/meta-site", m, m["created_at"])
        for m in world["meta_sites"].values()
        if matches(m) and access.can(world, me, access.META_SITE, m["id"], action)
    ]
    ordered = sort_rows(rows, sort, MIXED_SORTS, tie=lambda r: r[1]["id"])
    ordered.sort(key=lambda r: r[0] != "ppms/app" or r[1]["app_type"] != "demo")  # stable: demo first
    page = offset_page(ordered, offset, limit)
    return listing(
        [
            {"type": kind, "id": row["id"], "attributes": {"name": row["name"], "created_at": ms.timestamp(at)}}
            for kind, row, at in page.items
        ],
        page.total,
    )


async def meta_site_integrity_v1(meta_site_id: str):
    world = current().world
    row = _meta_site_for(meta_site_id, "view_details")
    apps = world["apps"]
    members = [app["settings"] for a in row["apps"] if (app := apps.get(a)) is not None]
    return document(
        {
            "data": {
                "id": row["id"],
                "type": "meta-site/apps/integrity",
                "attributes": {
                    "valid_currency": all(s["currency"] == row["currency"] for s in members),
                    "valid_timezone": all(s["timezone"] == row["timezone"] for s in members),
                },
            }
        }
    )
