"""v1 attendances and projects (personio-personnel-data-api-oa3.yaml and its examples); the rules, including the
per-row answer of POST /company/attendances, are in domain_v1_attendances.py."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response, no_content

from . import domain as m
from . import domain_v1_attendances as d
from . import wire_v1 as w
from .domain import as_int, form_bool


async def list_attendances(
    start_date: str,
    end_date: str,
    updated_from: str | None = None,
    updated_to: str | None = None,
    includePending: bool | None = None,  # noqa: N803
    employees: list[int] | None = None,
    limit: int = 200,
    offset: int = 0,
):
    world = current().world
    rows = d.attendances(world, start_date, end_date, updated_from, updated_to, includePending, employees)
    items, metadata = w.item_page(rows, offset, limit)
    away = m.time_off_days(world)
    data = [w.attendance(world, r, (r["employee_id"], r["date"]) in away) for r in items]
    return json_response(w.listing(data, metadata, offset=offset, limit=limit))


def _form_rows(body: dict[str, Any]) -> list[dict[str, Any]]:
    """`attendances[][employee]=..` fields (repeated values arrive joined by commas)."""
    columns: dict[str, list[str]] = {}
    for field in d.ROW_FIELDS:
        for key in (f"attendances[][{field}]", f"attendances[]{field}"):
            if isinstance(body.get(key), str):
                columns[field] = body[key].split(",") if field != "comment" else [body[key]]
    if "project_id" not in columns and isinstance(body.get("project_id"), str):
        columns["project_id"] = [body["project_id"]]
    count = max((len(v) for v in columns.values()), default=0)
    rows = []
    for index in range(count):
        row: dict[str, Any] = {f: (v[index] if index < len(v) else v[-1]) for f, v in columns.items()}
        for field in ("employee", "break", "project_id"):
            if field in row:
                row[field] = as_int(row[field]) if as_int(row[field]) is not None else row[field]
        rows.append(row)
    return rows


async def create_attendances(body: Any):
    ctx = current()
    data = body if isinstance(body, dict) else {}
    rows = data["attendances"] if isinstance(data.get("attendances"), list) else _form_rows(data)
    skip_approval = form_bool(data.get("skip_approval"), True)
    inserted = d.create_attendances(ctx.world, rows, skip_approval, ctx.clock.time())
    return w.ok({"id": inserted, "message": "success"})


async def update_attendance(id: int, body: Any):  # noqa: A002 (the official parameter name)
    ctx = current()
    data = body if isinstance(body, dict) else {}
    fields = data["attendances"] if isinstance(data.get("attendances"), dict) else data
    skip_approval = form_bool(fields.get("skip_approval", data.get("skip_approval")), True)
    d.update_attendance(ctx.world, id, fields, skip_approval, ctx.clock.time())
    return w.ok({"message": "The attendance period was updated."})


async def delete_attendance(id: int, skip_approval: bool = True):  # noqa: A002
    d.delete_attendance(current().world, id)
    return w.ok({"message": "The attendance period was deleted."})


# -- projects --------------------------------------------------------------------------------------
async def list_projects():
    return w.ok([w.project(p) for p in d.projects(current().world)])


async def create_project(body: Any = None):
    ctx = current()
    return w.ok(w.project(d.create_project(ctx.world, body, ctx.clock.time())))


async def update_project(id: int, body: Any = None):  # noqa: A002
    ctx = current()
    return w.ok(w.project(d.update_project(ctx.world, id, body, ctx.clock.time())))


async def delete_project(id: int):  # noqa: A002
    d.delete_project(current().world, id)
    return no_content()
