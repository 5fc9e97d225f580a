"""Meta sites API v1 (`specs/piwik_pro_meta_sites.yaml`): one function per operationId."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import no_content

from . import domain as d
from . import domain_meta_sites as ms
from . import wire_meta_sites as wire
from .jsonapi import document, page_of, resource, search_filter
from .wire import offset_listing


async def list_meta_site_v1(limit: int = 10, offset: int = 0, search: str | None = None, sort: str = "name"):
    matches = search_filter(search, lambda r: r["name"], lambda r: r["id"])
    return page_of(ms.visible(matches), sort, wire.META_SITE_SORTS, offset, limit, wire.list_item)


async def add_meta_site_v1(body: Any):
    ctx = current()
    data, attributes = resource(body, wire.META_SITE_TYPE)
    row = ms.add(data, attributes)
    return document({"data": wire.resource(ctx.world, row, ctx.tenant)}, 201)


async def get_meta_site_v1(meta_site_id: str):
    ctx = current()
    return document({"data": wire.resource(ctx.world, ms.meta_site_for(meta_site_id, "view_details"), ctx.tenant)})


async def edit_meta_site_v1(meta_site_id: str, body: Any):
    row = d.meta_site(meta_site_id)
    _, attributes = resource(body, wire.META_SITE_TYPE, url_id=row["id"])
    ms.may(row, "edit_details")
    ms.edit(row, attributes)
    return no_content()


async def delete_meta_site_v1(meta_site_id: str):
    ms.remove(d.meta_site(meta_site_id))
    return no_content()


async def add_apps_to_meta_site_v1(meta_site_id: str, body: Any):
    row = d.meta_site(meta_site_id)
    ms.add_apps(row, ms.app_ids(body))
    return no_content()


async def remove_apps_from_meta_site_v1(meta_site_id: str, body: Any):
    row = d.meta_site(meta_site_id)
    ms.remove_apps(row, ms.app_ids(body))
    return no_content()


def _apps_page(meta_site_id: str, inside: bool, limit: int, offset: int, search: str | None, sort: str):
    row = ms.meta_site_for(meta_site_id, "list_apps_in_meta_site")
    matches = search_filter(search, lambda a: a["name"], lambda a: a["id"])
    return page_of(ms.apps_of(row, inside, matches), sort, wire.APP_SORTS, offset, limit, wire.app_item)


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
    matches = search_filter(search, lambda r: r["name"], lambda r: r["id"])
    ordered = ms.ordered_apps_and_meta_sites(matches, action, sort)
    return offset_listing(ordered, offset, limit, lambda r: wire.mixed_item(*r))


async def meta_site_integrity_v1(meta_site_id: str):
    row = ms.meta_site_for(meta_site_id, "view_details")
    return document({"data": wire.integrity(row, *ms.integrity(row))})
