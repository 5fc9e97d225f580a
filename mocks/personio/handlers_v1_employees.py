"""v1 employees: list, get, create, update, attributes, absence balance, profile pictures
(personio-personnel-data-api-oa3.yaml; page sizes from
https://developer.personio.de/changelog/pagination-enforcement-v1-employees-api)."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response, raw_response

from . import dates, png
from . import domain_v1_employees as d
from . import wire_v1 as w
from . import wire_v1_employees as we
from .auth import principal


def _whitelist() -> frozenset[str] | None:
    return d.whitelist(current().world, principal().get("client_id") or "")


async def list_employees(
    limit: int = 50,
    offset: int = 0,
    email: str | None = None,
    attributes: list[str] | None = None,
    updated_since: str | None = None,
):
    world = current().world
    keys = d.projection(_whitelist(), attributes)
    base = w.api_base()
    if updated_since is not None:
        changed = d.changed_since(world, updated_since, attributes)
        return json_response(we.changed_since_listing([w.projected(r, base, keys) for r in changed]))
    limit = d.page_limit(limit)
    items, metadata = w.item_page(d.employees(world, email), offset, limit)
    return json_response(w.listing([w.projected(r, base, keys) for r in items], metadata, offset=offset, limit=limit))


async def get_employee(employee_id: int):
    row = d.employee_of(current().world, employee_id)
    return w.ok(w.projected(row, w.api_base(), _whitelist()))


async def create_employee(body: Any):
    ctx = current()
    row, meta = d.create_employee(ctx.world, we.employee_fields(body), ctx.clock.time())
    extra: dict[str, Any] = {"meta": meta} if meta else {}
    return w.ok({"id": row["id"], "message": "success"}, **extra)


async def update_employee(employee_id: int, body: Any):
    ctx = current()
    meta = d.update_employee(ctx.world, employee_id, we.employee_fields(body), ctx.clock.time())
    return w.ok({"id": employee_id}, meta=meta)


# -- attributes, balance, pictures -----------------------------------------------------------------
def _attribute_list():
    return w.ok(we.attribute_definitions(d.custom_attributes(current().world), _whitelist()))


async def list_employee_attributes():
    return _attribute_list()


async def list_employee_custom_attributes():
    return _attribute_list()


async def get_employee_absence_balance(employee_id: int):
    ctx = current()
    balances = d.absence_balances(ctx.world, employee_id, dates.today(ctx.clock.time()))
    return w.ok([we.absence_balance(kind, balance, available) for kind, balance, available in balances])


def _picture(employee_id: int, width: int):
    size = d.picture_width(current().world, employee_id, width, _whitelist())
    return raw_response(png.avatar(size, employee_id), media_type="image/png")


async def get_employee_profile_picture(employee_id: int, width: int):
    return _picture(employee_id, width)


async def get_employee_profile_picture_original(employee_id: int):
    return _picture(employee_id, d.ORIGINAL_PICTURE_WIDTH)
