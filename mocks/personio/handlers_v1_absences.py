"""v1 time-off types, time-offs (day-based) and absence periods (hour-based) (personio-personnel-data-api-oa3.yaml;
time-off pages numbered from 1: https://developer.personio.de/discuss/661512b68e5c3f005ffa8c8d)."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response

from . import domain_v1_absences as d
from . import wire_v1 as w


async def list_time_off_types(limit: int = 200, offset: int = 0):
    return w.ok([w.time_off_type(r) for r in d.time_off_types(current().world, offset, limit)])


async def list_time_offs(
    start_date: str | None = None,
    end_date: str | None = None,
    updated_from: str | None = None,
    updated_to: str | None = None,
    employees: list[int] | None = None,
    limit: int = 200,
    offset: int = 0,
):
    world = current().world
    rows = d.time_offs(world, d.PeriodFilters(start_date, end_date, updated_from, updated_to, employees))
    items, metadata = w.page_number_page(rows, offset, limit)
    return json_response(w.listing([w.time_off_period(world, r) for r in items], metadata, offset=offset, limit=limit))


async def create_time_off(body: Any):
    ctx = current()
    fields = d.period_fields(body, hourly=False)
    row = d.create_time_off(ctx.world, fields, ctx.clock.time())
    return w.ok(w.time_off_period(ctx.world, row))


async def get_time_off(id: str):  # noqa: A002 (the official parameter name)
    world = current().world
    return w.ok(w.time_off_period(world, d.time_off_of(world, id)))


async def delete_time_off(id: str):  # noqa: A002
    d.delete_time_off(current().world, id)
    return w.ok({"message": "The absence period was deleted."})


# -- absence periods (hours) -----------------------------------------------------------------------
async def list_absence_periods(
    start_date: str | None = None,
    end_date: str | None = None,
    updated_from: str | None = None,
    updated_to: str | None = None,
    employees: list[int] | None = None,
    absence_types: list[str] | None = None,
    absence_periods: list[str] | None = None,
    limit: int = 200,
    offset: int = 0,
):
    world = current().world
    filters = d.PeriodFilters(start_date, end_date, updated_from, updated_to, employees)
    rows = d.absence_periods(world, filters, absence_types, absence_periods)
    items, metadata = w.item_page(rows, offset, limit, first_page=1)
    return json_response(w.listing([w.absence_period(world, r) for r in items], metadata, offset=offset, limit=limit))


async def create_absence_period(body: Any):
    ctx = current()
    fields = d.period_fields(body, hourly=True)
    row = d.create_absence_period(ctx.world, fields, ctx.clock.time())
    return w.ok([w.absence_period(ctx.world, row)], 201)


async def delete_absence_period(id: str):  # noqa: A002
    d.delete_absence_period(current().world, id)
    return w.ok({"message": "The absence period was deleted."})
