"""The v2 absence types, absence periods (with breakdowns) and attendance periods of specs/personio_v2.yaml.

They read and write the v1 tables of the same company (see wire_v2_periods). Lists paginate like persons: opaque
cursors that carry filters, limit and offset (wire_v2.page). Rules and lookups: domain_v2_periods.
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response, no_content

from . import domain as m
from . import domain_v2_periods as d
from . import wire_v2 as pages
from . import wire_v2_periods as w


# -- absence types ----------------------------------------------------------------------------------
async def list_absence_types(limit: int = 100, **_: Any):
    world = current().world
    return json_response(
        pages.page(
            "/personio/v2/absence-types",
            pages.list_query(),
            lambda filters: d.absence_types(world),
            limit,
            100,
            (),
            w.absence_type,
        )
    )


async def get_absence_type(id: str):  # noqa: A002 (the official parameter name)
    return json_response(w.absence_type(d.absence_type(current().world, id)))


# -- absence periods --------------------------------------------------------------------------------
async def list_absence_periods_v2(limit: int = 100, **_: Any):
    world = current().world
    return json_response(
        pages.page(
            "/personio/v2/absence-periods",
            pages.list_query(),
            lambda filters: d.absences_matching(world, filters),
            limit,
            100,
            w.ABSENCE_FILTERS,
            lambda view: w.absence_period(world, view),
        )
    )


async def get_absence_period_v2(id: str):  # noqa: A002
    world = current().world
    return json_response(w.absence_period(world, d.absence(world, id)))


async def delete_absence_period_v2(id: str):  # noqa: A002
    world = current().world
    d.delete_absence(world, d.absence(world, id))
    return no_content()


async def list_absence_period_breakdowns(id: str, limit: int = 28, **_: Any):  # noqa: A002
    view = d.absence(current().world, id)
    return json_response(
        pages.page(
            f"/personio/v2/absence-periods/{id}/breakdowns",
            pages.list_query(),
            lambda filters: w.breakdowns(view),
            limit,
            28,
            (),
            lambda item: item,
        )
    )


async def create_absence_period_v2(body: Any, skip_approval: bool = False):
    ctx = current()
    data = body if isinstance(body, dict) else {}
    view = d.create_absence(ctx.world, data, skip_approval, ctx.clock.time())
    return json_response(w.absence_period(ctx.world, view), 201)


async def update_absence_period_v2(id: str, body: Any, skip_approval: bool = False):  # noqa: A002
    """PATCH https://developer.personio.de/reference/patch_v2-absence-periods-id: 204."""
    ctx = current()
    view = d.absence(ctx.world, id)
    d.update_absence(ctx.world, view, body if isinstance(body, dict) else {}, skip_approval, ctx.clock.time())
    return no_content()


# -- attendance periods -----------------------------------------------------------------------------
async def list_attendance_periods(limit: int = 100, **_: Any):
    world = current().world
    away = m.time_off_days(world)
    return json_response(
        pages.page(
            "/personio/v2/attendance-periods",
            pages.list_query(),
            lambda filters: d.attendances_matching(world, filters),
            limit,
            100,
            w.ATTENDANCE_FILTERS,
            lambda row: w.attendance_period(world, row, (row["employee_id"], row["date"]) in away),
        )
    )


async def get_attendance_period(id: str):  # noqa: A002
    world = current().world
    row = d.attendance(world, id)
    return json_response(w.attendance_period(world, row, d.on_time_off(world, row)))


async def create_attendance_period(body: Any, skip_approval: bool = False):
    ctx = current()
    data = body if isinstance(body, dict) else {}
    row = d.create_attendance(ctx.world, data, skip_approval, ctx.clock.time())
    return json_response(w.attendance_created(row), 201)


async def update_attendance_period(id: str, body: Any, skip_approval: bool = False):  # noqa: A002
    ctx = current()
    row = d.attendance(ctx.world, id)
    d.update_attendance(ctx.world, row, body if isinstance(body, dict) else {}, skip_approval, ctx.clock.time())
    # "204 PATCH Valid request": https://developer.personio.de/reference/patch_v2-attendance-periods-id
    return no_content()


async def delete_attendance_period(id: str):  # noqa: A002
    world = current().world
    d.delete_attendance(world, d.attendance(world, id))
    return no_content()
