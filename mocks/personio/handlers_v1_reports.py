"""v1 custom reports: the list, a report's rows (one per employee, computed from the company's data) and the
column labels (shapes of the `Public*` schemas of personio-personnel-data-api-oa3.yaml)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response
from mocks.core.store import Row, World

from . import dates
from . import domain as m
from . import errors as e
from .wire_v1 import page_number_page

DEFAULT_REPORT_LIMIT = 100
# column id -> (data type, English label, German label)
COLUMNS: dict[str, tuple[str, str, str]] = {
    "first_name": ("TEXT", "First name", "Vorname"),
    "last_name": ("TEXT", "Last name", "Nachname"),
    "email": ("TEXT", "Email", "E-Mail"),
    "position": ("TEXT", "Position", "Position"),
    "hire_date": ("TEXT", "Hire date", "Eintrittsdatum"),
    "department": ("ENTITY", "Department", "Abteilung"),
    "office": ("ENTITY", "Office", "Arbeitsplatz"),
    "cost_center": ("COST_CENTER", "Cost center", "Kostenstelle"),
    "weekly_working_hours": ("DURATION", "Weekly hours", "Wochenstunden"),
}


def _columns(world: World) -> dict[str, tuple[str, str, str]]:
    found = dict(COLUMNS)
    for kind in world[m.TIME_OFF_TYPES].values():
        found[f"absence_{kind['id']}"] = ("ABSENCE_OVERVIEW", kind["name"], kind["name"])
    return found


def _period(report: Row, today: str) -> tuple[str, str]:
    day = date.fromisoformat(today)
    kind = report["period_type"]
    if kind == "last_month":
        end = day.replace(day=1) - timedelta(days=1)
        return end.replace(day=1).isoformat(), end.isoformat()
    if kind == "last_year":
        return f"{day.year - 1}-01-01", f"{day.year - 1}-12-31"
    if kind == "this_year":
        return f"{day.year}-01-01", f"{day.year}-12-31"
    return today, today


def _meta(report: Row, today: str) -> dict[str, Any]:
    start, end = _period(report, today)
    stamp = dates.utc_z(report["updated_at"])
    return {
        "id": report["id"],
        "name": report["name"],
        "description": report["description"],
        "author_first_name": report["author_first_name"],
        "author_last_name": report["author_last_name"],
        "type": report["type"],
        "status": report["status"],
        "start_date": start,
        "end_date": end,
        "created_at": dates.utc_z(report["created_at"]),
        "updated_at": stamp,
        "data_refreshed_at": stamp,
        "columns": list(report["columns"]),
        "filters": [],
        "period_type": report["period_type"],
    }


async def listReports(report_ids: list[str] | None = None, status: str | None = None):  # noqa: N802
    ctx = current()
    today = dates.today(ctx.clock.time())
    wanted = {i.strip() for i in report_ids or [] if i.strip()}
    rows = [
        r
        for r in ctx.world[m.CUSTOM_REPORTS].values()
        if (not wanted or r["id"] in wanted) and (status is None or r["status"] == status)
    ]
    return json_response(
        {
            "success": True,
            "metadata": {"total_elements": len(rows), "current_page": 0, "total_pages": 1 if rows else 0},
            "offset": 0,
            "limit": DEFAULT_REPORT_LIMIT,
            "data": [{"type": "Report", "attributes": _meta(r, today)} for r in rows],
        }
    )


def _cell(world: World, column: str, employee: Row, start: str, end: str) -> dict[str, Any]:
    kind = _columns(world)[column][0]
    cell: dict[str, Any] = {"attribute_id": column}
    if kind == "ENTITY":
        collection = m.DEPARTMENTS if column == "department" else m.OFFICES
        unit = world[collection].get(employee[f"{column}_id"])
        cell.update(entity_id=str(unit["id"]) if unit else "", data_type=kind, value=unit["name"] if unit else None)
    elif kind == "COST_CENTER":
        cell.update(
            data_type=kind,
            cost_centers=[
                {"cost_center_id": str(c), "value": m.row_of(world, m.COST_CENTERS, c)["name"], "weight": f"{pct}%"}
                for c, pct in employee["cost_centers"]
                if c in world[m.COST_CENTERS]
            ],
        )
    elif kind == "DURATION":
        cell.update(data_type=kind, duration=int(employee["weekly_working_hours"] * 60))
    elif kind == "ABSENCE_OVERVIEW":
        type_id = int(column.split("_", 1)[1])
        days = 0.0
        for period in world[m.TIME_OFFS].values():
            if (
                period["employee_id"] == employee["id"]
                and period["time_off_type_id"] == type_id
                and period["status"] == "approved"
                and period["start_date"] <= end
                and period["end_date"] >= start
            ):
                days += len(dates.working_days(max(start, period["start_date"]), min(end, period["end_date"])))
        cell.update(
            data_type=kind, start_date=start, end_date=end, duration_days=f"{days:g}", duration_hours=f"{days * 8:g}"
        )
    else:
        cell.update(data_type="TEXT", value=None if employee.get(column) is None else str(employee[column]))
    cell["employee_id"] = employee["id"]
    return cell


async def listReportItems(
    report_id: str,
    locale: str | None = None,
    page: int | None = None,  # noqa: N802
    limit: int | None = None,
):
    ctx = current()
    world = ctx.world
    report = world[m.CUSTOM_REPORTS].get(report_id)
    if report is None:
        raise e.report_not_found()
    if page is not None and page < 1:
        raise e.report_bad_request("page", "Page must be greater than or equal to 1")
    if limit is not None and limit < 1:
        raise e.report_bad_request("limit", "Limit must be greater than or equal to 1")
    limit = limit or DEFAULT_REPORT_LIMIT
    today = dates.today(ctx.clock.time())
    start, end = _period(report, today)
    employees = sorted(world[m.EMPLOYEES].values(), key=lambda r: r["id"])
    rows, metadata = page_number_page(employees, page or 1, limit)
    attributes = _meta(report, today)
    known = _columns(world)
    columns = [c for c in report["columns"] if c in known]
    if report["type"] == "historical_data":
        items = [
            {
                "employee_id": r["id"],
                "historical_attributes": [
                    {**_cell(world, c, r, start, end), "effective_date": r["hire_date"] or start} for c in columns
                ],
            }
            for r in rows
        ]
    else:
        items = [
            {"employee_id": r["id"], "attributes": [_cell(world, c, r, start, end) for c in columns]} for r in rows
        ]
    attributes["items"] = items
    return json_response(
        {
            "success": True,
            "metadata": {**metadata, "current_page": metadata["current_page"]},
            "offset": 0,
            "limit": limit,
            "data": [{"type": "Report", "attributes": attributes}],
        }
    )


async def listColumns(
    columns: list[str] | None = None,
    locale: str | None = None,  # noqa: N802
    report_id: str | None = None,
):
    world = current().world
    known = _columns(world)
    wanted = [c.strip() for c in columns or [] if c.strip()]
    if report_id is not None:
        report = world[m.CUSTOM_REPORTS].get(report_id)
        if report is None:
            raise e.report_not_found()
        wanted = wanted or list(report["columns"])
    german = (locale or "en").lower().startswith("de")
    ids = [c for c in (wanted or list(known)) if c in known]
    attributes = [
        {"attribute_id": c, "human_readable": known[c][2] if german else known[c][1], "data_type": known[c][0]}
        for c in ids
    ]
    return json_response(
        {
            "success": True,
            "metadata": {"total_elements": len(attributes), "current_page": 0, "total_pages": 1 if attributes else 0},
            "offset": 0,
            "limit": len(attributes),
            "data": {"type": "Column", "attributes": attributes},
        }
    )
